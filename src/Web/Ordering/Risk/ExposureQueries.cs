namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// Reads accounts' risk state inside the single writer, so positions, open orders and cash are one consistent moment: what the
/// exposure and utilisation API builds on. A read, not a write: the batch commits nothing for it.
/// </summary>
internal sealed class ExposureQueries(OrderBooks books, TradSys.Web.ReferenceData.ReferenceDataCache referenceData)
{
    public SequencerResult Read(ExposureQuery q, WriterBatch batch)
    {
        var states = new List<AccountRiskState>(q.Accounts.Count);
        foreach (var account in q.Accounts)
        {
            var positions = new List<MarkedPosition>();
            foreach (var (symbol, quantity) in books.Aggregates.Positions(account.Id))
            {
                if (!referenceData.TryGet(symbol, out var instrument))
                {
                    continue; // reference data never drops an instrument that has traded
                }
                var (price, isLast) = books.LastOrReference(instrument, batch.Now);
                positions.Add(new MarkedPosition(symbol, quantity, price, isLast ? "Last" : "Reference"));
            }
            var openOrders = 0;
            var openNotional = 0m;
            decimal? cash = null;
            var reserved = 0m;
            try
            {
                (openOrders, openNotional) = books.Aggregates.Open(account.Id);
                (cash, reserved) = books.Cash.Parts(account.Id, account.CreditCurrency);
            }
            catch (InvalidOperationException)
            {
                // A currency without an FX rate (the cash statement says which): exposure leaves buying power out for this account, and
                // its open orders too when they are what cannot be converted (the order path refuses such orders, fail closed).
            }
            states.Add(new AccountRiskState(account, positions, openOrders, openNotional, cash, reserved));
        }
        return new SequencerResult(SequencerOutcome.ExposureRead, null, [], Risk: states);
    }
}

/// <summary>A position and the price it is marked at (the day's last trade, else the reference price).</summary>
internal sealed record MarkedPosition(string Symbol, long Quantity, decimal Price, string PriceSource);

/// <summary>
/// One account's risk state at one moment: positions, working and held orders (count, and notional in its credit currency), cash
/// available and what open buys reserve (base currency; cash null when a currency has no FX rate).
/// </summary>
internal sealed record AccountRiskState(TradSys.Web.Persistence.Entities.Account Account, IReadOnlyList<MarkedPosition> Positions, int OpenOrders,
    decimal OpenNotional, decimal? Cash, decimal Reserved);

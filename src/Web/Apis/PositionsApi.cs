using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// An account's open position in one instrument and what it has made, in the instrument's currency. The average cost is
/// the weighted average price of the shares still held (of the shares sold short, for a short position).
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Currency">The instrument's currency: every amount of the row is in it.</param>
/// <param name="Quantity">Net shares: bought minus sold, negative when short (the same figure as the holdings the rules and reports read).</param>
/// <param name="AverageCost">Weighted average cost of the open position (6 decimal places); null when flat.</param>
/// <param name="RealisedPnl">Profit or loss of every share closed so far, against the average cost at the time (4 decimal places).</param>
/// <param name="Price">The price the open position is valued at.</param>
/// <param name="PriceSource"><c>Last</c> (the instrument's last trade of the venue's trading day) or <c>Reference</c> (its reference price, the previous close, when it has not traded today).</param>
/// <param name="MarketValue">Quantity x price x the instrument's price multiplier (negative when short).</param>
/// <param name="UnrealisedPnl">Market value minus the open position's cost (4 decimal places).</param>
/// <param name="Trades">How many of the account's trades in the instrument the figures are computed from.</param>
public sealed record PositionResponse(long AccountId, string Symbol, string Currency, long Quantity, decimal? AverageCost,
    decimal RealisedPnl, decimal Price, string PriceSource, decimal MarketValue, decimal UnrealisedPnl, int Trades);

/// <summary>
/// Positions under /api/v1/positions, priced from the platform's own trades (the ledger of <see cref="Holdings"/>, the
/// single source the rules stage and the reports read): average cost by weighted average, realised P&amp;L on every
/// reduction, unrealised P&amp;L at the trading day's last price (the level-1 quote's), or the reference price before the day's first trade.
/// </summary>
public static class PositionsApi
{
    /// <summary>Maps <c>GET /api/v1/positions</c>.</summary>
    /// <param name="app">The endpoint builder.</param>
    public static IEndpointRouteBuilder MapPositionsApiV1(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/positions", ListAsync).ForwardedToTheWriter(CommandForwarding.ReadResend).WithTags("Positions").RequireAuthorization(Policies.Read)
            .Produces<IReadOnlyList<PositionResponse>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("List positions with average cost and P&L")
            .WithDescription("Filters: accountId, symbol. One row per account and instrument the account has traded, in the instrument's " +
                             "currency, including positions closed back to flat (their realised P&L stays). Average cost is the weighted " +
                             "average of the open position: a buy adds to a long position at its price, a sell reduces it at the average cost " +
                             "and realises (price - average cost) x quantity; a short position mirrors this. Unrealised P&L is (price - " +
                             "average cost) x quantity, at the last price of the instrument's trading day (priceSource Last, as in its quote) or, " +
                             "before the day's first trade, its reference price (Reference). Amounts are multiplied by the instrument's price multiplier " +
                             "(1 for shares). A trader sees only their own accounts.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db, ReferenceDataCache referenceData,
        OrderWriter writer)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var accountId = q.Long("accountId");
        var symbol = q.String("symbol", 16);
        if (accountId is <= 0)
        {
            q.Add("accountId", $"'{accountId}' must be a positive account id");
        }
        TradableInstrument? instrument = null;
        if (symbol is not null && !referenceData.TryGet(symbol, out instrument))
        {
            q.Add("symbol", $"'{symbol}' is not a known instrument (GET /api/v1/instruments lists them)");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var caller = Caller.From(user);
        var readable = await caller.ReadableAccountsAsync(db, ct);
        if (accountId is { } id)
        {
            if (readable is not null && !readable.Contains(id))
            {
                return Problems.NotYourAccount(id);
            }
            if (readable is null && !await db.Accounts.AsNoTracking().AnyAsync(a => a.Id == id, ct))
            {
                return Problems.NotFound($"there is no account {id}");
            }
        }
        IReadOnlyCollection<long>? accounts = accountId is { } one ? [one] : readable;
        try
        {
            return TypedResults.Ok(await PositionValuation.ValueAsync(db, writer, referenceData, caller.UserName, accounts, instrument?.Row.Symbol, ct));
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.Unavailable(ex.Message);
        }
    }
}

/// <summary>
/// The positions of some accounts valued now: what <c>GET /api/v1/positions</c> answers and the WebSocket <c>portfolio</c> channel
/// sends, computed one way.
/// </summary>
public static class PositionValuation
{
    /// <summary>
    /// One row per account and instrument traded (closed positions included), ordered by account then symbol, from the trade ledger
    /// (<see cref="Holdings"/>), each valued at its instrument's last price of the trading day or, before the day's first trade, its
    /// reference price (read from the single writer's books). Throws <see cref="JournalUnavailableException"/> when the writer cannot answer.
    /// </summary>
    /// <param name="db">The database (the ledger).</param>
    /// <param name="writer">The single writer (the marks).</param>
    /// <param name="referenceData">The instruments.</param>
    /// <param name="actor">Who asks (the writer's queries name their caller).</param>
    /// <param name="accounts">The accounts; null for every account.</param>
    /// <param name="symbol">One instrument only, or null for all.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<List<PositionResponse>> ValueAsync(TradSysDbContext db, OrderWriter writer, ReferenceDataCache referenceData, string actor,
        IReadOnlyCollection<long>? accounts, string? symbol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(referenceData);
        var ledger = await Holdings.LedgerAsync(db, null, accounts, symbol, cancellationToken);
        var marks = new Dictionary<string, (decimal Price, string Source)>(StringComparer.Ordinal);
        var rows = new List<PositionResponse>();
        foreach (var group in ledger.GroupBy(t => (t.AccountId, t.Symbol)).OrderBy(g => g.Key.AccountId).ThenBy(g => g.Key.Symbol, StringComparer.Ordinal))
        {
            if (!referenceData.TryGet(group.Key.Symbol, out var traded))
            {
                continue; // reference data never loses an instrument that has traded; nothing to value it with if it did
            }
            if (!marks.TryGetValue(traded.Row.Symbol, out var mark))
            {
                var result = await writer.SendAsync(new QuoteQuery(actor, traded.Spec.Id), cancellationToken);
                var quote = result.Quote!.Value;
                marks[traded.Row.Symbol] = mark = quote.TradeCount > 0
                    ? (traded.ToDecimal(quote.LastPrice), "Last")
                    : (traded.ToDecimal(traded.Spec.ReferencePrice), "Reference");
            }
            rows.Add(PositionPricing.Price(group.Key.AccountId, traded.Row.Symbol, traded.Row.Currency, [.. group], mark.Price, mark.Source,
                traded.Row.PriceMultiplier));
        }
        return rows;
    }
}

/// <summary>Weighted-average position keeping: pure arithmetic over one account's trades in one instrument, oldest first.</summary>
public static class PositionPricing
{
    /// <summary>
    /// Prices the position that <paramref name="trades"/> (one account, one instrument, oldest first) leave. A trade in the
    /// direction of the position (or opening one) moves the average cost to the weighted average of old and new shares; a
    /// trade against it closes shares at the average cost, realising (price - average cost) x closed shares for a long
    /// position and the opposite for a short one, and a trade larger than the position opens the remainder at its price.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="symbol">The instrument.</param>
    /// <param name="currency">The instrument's currency.</param>
    /// <param name="trades">The account's side of each trade, oldest first.</param>
    /// <param name="price">The price to value the open position at.</param>
    /// <param name="priceSource">Where <paramref name="price"/> came from.</param>
    /// <param name="multiplier">The instrument's price multiplier (1 for shares).</param>
    public static PositionResponse Price(long accountId, string symbol, string currency, IReadOnlyList<HoldingTrade> trades, decimal price,
        string priceSource, decimal multiplier)
    {
        ArgumentNullException.ThrowIfNull(trades);
        long quantity = 0;
        var average = 0m;
        var realised = 0m;
        foreach (var t in trades)
        {
            if (t.Split is { CarriedAverageCost: { } carried })
            {
                // A symbol change moves the position at its cost: it closes on the old symbol realising nothing and opens on the
                // new one at the average it had (docs/back-office.md).
                quantity += t.Quantity;
                average = quantity == 0 ? 0m : carried;
                continue;
            }
            if (t.Split is { } split)
            {
                // A split keeps the cost basis: the average is scaled by old/new; the fraction paid in cash (rounded toward zero,
                // docs/back-office.md) leaves at its share of the basis and realises the cash received less that share.
                var exact = quantity * (decimal)split.RatioNew / split.RatioOld;
                average = average * split.RatioOld / split.RatioNew;
                var fraction = exact - (quantity + t.Quantity);
                realised += split.CashInLieu - (fraction * average * multiplier);
                quantity += t.Quantity;
                if (quantity == 0)
                {
                    average = 0m;
                }
                continue;
            }
            if (quantity == 0 || Math.Sign(quantity) == Math.Sign(t.Quantity))
            {
                average = (average * Math.Abs(quantity) + t.Price * Math.Abs(t.Quantity)) / (Math.Abs(quantity) + Math.Abs(t.Quantity));
                quantity += t.Quantity;
                continue;
            }
            var closed = Math.Min(Math.Abs(quantity), Math.Abs(t.Quantity));
            // Closing a long position sells (gain when above cost); closing a short one buys back (gain when below it).
            realised += (t.Price - average) * closed * Math.Sign(quantity) * multiplier;
            quantity += t.Quantity;
            if (quantity == 0)
            {
                average = 0m;
            }
            else if (Math.Sign(quantity) == Math.Sign(t.Quantity))
            {
                average = t.Price; // the trade went through flat: the rest opens a new position at its price
            }
        }
        var marketValue = quantity * price * multiplier;
        var unrealised = quantity == 0 ? 0m : (price - average) * quantity * multiplier;
        return new PositionResponse(accountId, symbol, currency, quantity, quantity == 0 ? null : Exact.Trim(Math.Round(average, 6)),
            Exact.Trim(Math.Round(realised, 4)), Exact.Trim(price), priceSource, Exact.Trim(marketValue), Exact.Trim(Math.Round(unrealised, 4)),
            trades.Count);
    }
}

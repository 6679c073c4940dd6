using TradSys.Engine;
using TradSys.Rules.Context;

namespace TradSys.Rules.Tests.Evaluation;

/// <summary>
/// One case per shipped rule: a mutation of the pack's passing context that makes the rule fire, and one
/// that stays on the passing side, at the threshold where DOMAIN.md puts it.
/// </summary>
internal sealed record RuleCase(string Pack, string Rule, Action<OrderContext> Fire, Action<OrderContext> Pass, IReadOnlyDictionary<string, object>? Parameters = null)
{
    public string Key => Pack + "/" + Rule;
}

internal static partial class RuleCases
{
    private static readonly Action<OrderContext> Nothing = _ => { };

    public static IReadOnlyList<RuleCase> All { get; } = [.. Sec(), .. Others()];

    /// <summary>One row per rule: a rule with several cases (e.g. one per asset class) runs them all in that row.</summary>
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (string key in All.Select(c => c.Key).Distinct(StringComparer.Ordinal))
        {
            data.Add(key);
        }

        return data;
    }

    private static void ShortSale(OrderContext c)
    {
        c.Order.Side = Side.Sell;
        c.Order.ShortMarking = ShortMarking.Short;
        c.Order.LocateId = "LOC-1";
        c.Order.HasBorrowedShares = true;
        c.Aggregates.BorrowedSharesAvailable = c.Order.Quantity;
    }

    private static IEnumerable<RuleCase> Sec()
    {
        yield return new("sec", "SEC.CREDIT_LIMIT",
            c => { c.Aggregates.OpenOrdersNotional = 600_000m; c.Aggregates.TodayNotional = 390_000m; c.Order.NotionalInAccountCurrency = 10_000.01m; },
            c => { c.Aggregates.OpenOrdersNotional = 600_000m; c.Aggregates.TodayNotional = 390_000m; c.Order.NotionalInAccountCurrency = 10_000m; });
        // $20 reference: 10% band. $40: 5%. $100: 3%.
        yield return new("sec", "SEC.PRICE_COLLAR",
            c => { c.Market.ReferencePrice = 20m; c.Order.Price = 22.01m; },
            c => { c.Market.ReferencePrice = 20m; c.Order.Price = 22.00m; });
        yield return new("sec", "SEC.PRICE_COLLAR",
            c => { c.Market.ReferencePrice = 40m; c.Order.Price = 37.99m; },
            c => { c.Market.ReferencePrice = 40m; c.Order.Price = 38.00m; });
        yield return new("sec", "SEC.PRICE_COLLAR",
            c => { c.Market.ReferencePrice = 100m; c.Order.Price = 103.01m; },
            c => { c.Market.ReferencePrice = 100m; c.Order.Price = 103.00m; });
        yield return new("sec", "SEC.SIZE_COLLAR",
            c => c.Order.Quantity = 100_001,
            c => c.Order.Quantity = 100_000);
        yield return new("sec", "SEC.DUPLICATE",
            c => c.Aggregates.IdenticalOrdersRecent = 1,
            c => c.Aggregates.IdenticalOrdersRecent = 0);
        yield return new("sec", "SEC.RESTRICTED",
            c => c.Instrument.IsRestricted = true,
            Nothing);
        yield return new("sec", "SEC.SELL_MARKING",
            c => c.Order.Side = Side.Sell,
            c => { c.Order.Side = Side.Sell; c.Order.ShortMarking = ShortMarking.Long; });
        yield return new("sec", "SEC.LOCATE",
            c => { ShortSale(c); c.Order.LocateId = ""; },
            ShortSale);
        yield return new("sec", "SEC.SSR_201",
            c => { ShortSale(c); c.Market.DayLow = 9.00m; c.Order.Price = 9.99m; },
            c => { ShortSale(c); c.Market.DayLow = 9.01m; c.Order.Price = 9.99m; });
        yield return new("sec", "SEC.SSR_201",
            c => { ShortSale(c); c.Market.SsrCarriedOver = true; c.Order.Price = 9.99m; },
            c => { ShortSale(c); c.Market.SsrCarriedOver = true; c.Order.Price = 10.00m; });
        yield return new("sec", "SEC.THRESHOLD_LIST",
            c => { ShortSale(c); c.Instrument.IsOnThresholdList = true; },
            c => c.Instrument.IsOnThresholdList = true);
        // The order that would complete the fourth day trade in 5 business days (3 done) is stopped; one that completes none is not.
        yield return new("sec", "SEC.PDT",
            c => { Pdt(c, done: 3, trades: 20, completes: true); c.Account.EquityUsd = 24_999.99m; },
            c => { Pdt(c, done: 3, trades: 20, completes: true); c.Account.EquityUsd = 25_000m; });
        yield return new("sec", "SEC.PDT",
            c => Pdt(c, done: 3, trades: 20, completes: true),
            c => Pdt(c, done: 3, trades: 20, completes: false));
        yield return new("sec", "SEC.PDT",
            c => Pdt(c, done: 3, trades: 20, completes: true),
            c => Pdt(c, done: 2, trades: 20, completes: true));
        // More than 6% of the trades, this order included: 4 of 66 is 6.06%, 4 of 67 is 5.97%.
        yield return new("sec", "SEC.PDT",
            c => Pdt(c, done: 3, trades: 65, completes: true),
            c => Pdt(c, done: 3, trades: 66, completes: true));
    }

    private static void Pdt(OrderContext c, int done, int trades, bool completes)
    {
        c.Account.IsMarginAccount = true;
        c.Account.EquityUsd = 1_000m;
        c.Aggregates.DayTradesLast5Days = done;
        c.Aggregates.TradesLast5Days = trades;
        c.Aggregates.OrderCompletesDayTrade = completes;
    }

    private static partial IEnumerable<RuleCase> Others();
}

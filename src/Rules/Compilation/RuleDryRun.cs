using System.Text.RegularExpressions;
using TradSys.Engine;
using TradSys.Rules.Context;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Compilation;

/// <summary>
/// Runs a compiled draft's applicability and every rule over <see cref="SampleContexts"/> before it may be validated,
/// published or replayed, and refuses, naming the rule and the fault, any that throws: a rule that cannot be evaluated
/// blocks every order it meets (<see cref="Evaluation.RuleEvaluator"/> fails closed), so a division by a figure that is
/// zero for a real order (a new listing without a prior close, an account without trades) must be found by the officer,
/// not by the orders. Also warns of the faults the samples cannot rule out: a division by something other than a parameter.
/// </summary>
public static partial class RuleDryRun
{
    /// <summary>Evaluates every expression of <paramref name="pack"/> on every sample; the problems of those that throw.</summary>
    /// <param name="pack">The compiled draft.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>One error per expression that faulted (on its first faulting sample); empty when all evaluate.</returns>
    public static IReadOnlyList<RulePackError> Check(CompiledPack pack, string source)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var errors = new List<RulePackError>();
        var samples = SampleContexts();
        Try(pack, source, null, "appliesTo", pack.AppliesToPredicate, samples, errors);
        for (int i = 0; i < pack.Rules.Count; i++)
        {
            CompiledRule rule = pack.Rules[i];
            Try(pack, source, rule.Id, $"rules[{i}].expression", rule.Predicate, samples, errors);
        }
        return errors;
    }

    /// <summary>
    /// The rules whose expression divides (<c>/</c> or <c>%</c>) by something other than a parameter or a literal: the
    /// samples may not meet the order that makes that divisor zero, and then the rule faults and the order is blocked.
    /// </summary>
    /// <param name="pack">The compiled draft.</param>
    /// <returns>A warning per such rule.</returns>
    public static IReadOnlyList<string> Warnings(CompiledPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var warnings = new List<string>();
        foreach (CompiledRule rule in pack.Rules)
        {
            foreach (Match m in Division().Matches(rule.Definition.Expression))
            {
                if (!ConstantDivisor().IsMatch(m.Groups[1].Value))
                {
                    warnings.Add($"{rule.Id} divides by {m.Groups[1].Value.Trim()}: if it is ever 0 for an order, the rule faults and the order is " +
                        "blocked (fail closed, reason: the rule and the fault). Guard the divisor, e.g. \"X > 0 && ... / X\".");
                    break;
                }
            }
        }
        return warnings;
    }

    private static void Try(CompiledPack pack, string source, string? ruleId, string location, Func<OrderContext, bool> predicate,
        IReadOnlyList<(string Name, OrderContext Context)> samples, List<RulePackError> errors)
    {
        foreach (var (name, context) in samples)
        {
            try
            {
                predicate(context);
            }
            catch (Exception ex) when (ex is ArithmeticException or NullReferenceException or InvalidOperationException or IndexOutOfRangeException
                                           or ArgumentException or FormatException)
            {
                errors.Add(new RulePackError(source, pack.Id, ruleId, location, null, null,
                    $"cannot be evaluated: {ex.GetType().Name} ({ex.Message}) on the sample order \"{name}\"; a rule that faults blocks every order it meets"));
                return;
            }
        }
    }

    /// <summary>
    /// Orders the platform really meets: a plain order on a new listing with no market data and a new account (every
    /// figure the platform may not have yet is 0), a sell on an active instrument with history, and a short sale of an OTC
    /// derivative by a legal entity. Each is a valid order (quantity and limit price positive).
    /// </summary>
    public static IReadOnlyList<(string Name, OrderContext Context)> SampleContexts()
    {
        var day = new DateOnly(2026, 1, 5);
        var cold = new OrderContext();
        cold.Market.TradeDate = day;
        cold.Order.Quantity = 1;
        cold.Order.Price = 1m;
        cold.Order.Notional = 1m;
        cold.Order.NotionalInAccountCurrency = 1m;
        cold.Order.NotionalEur = 1m;

        var active = new OrderContext();
        active.Market.TradeDate = day;
        active.Order.Side = Side.Sell;
        active.Order.ShortMarking = ShortMarking.Long;
        active.Order.Quantity = 100;
        active.Order.Price = 10m;
        active.Order.Notional = 1_000m;
        active.Order.NotionalInAccountCurrency = 1_000m;
        active.Order.NotionalEur = 900m;
        active.Account.CreditLimit = 1_000_000m;
        active.Account.EquityUsd = 50_000m;
        active.Account.BalanceUsd = 50_000m;
        active.Instrument.SectorCode = "60201020";
        active.Instrument.IssuedShares = 1_000_000;
        active.Instrument.Sharia.MarketCap = 10_000_000m;
        active.Instrument.Sharia.AverageMarketCap36M = 9_500_000m;
        active.Instrument.Sharia.TotalAssets = 12_000_000m;
        active.Instrument.Sharia.TotalRevenue = 2_500_000m;
        active.Instrument.Sharia.AsOf = day.AddDays(-30);
        active.Market.PriorClose = 10m;
        active.Market.ReferencePrice = 10m;
        active.Market.BestBid = 9.99m;
        active.Market.BestAsk = 10.01m;
        active.Market.DayLow = 9.9m;
        active.Market.TickSize = 0.01m;
        active.Market.AverageDailyVolume = 100_000;
        active.Aggregates.TodayOrderCount = 3;
        active.Aggregates.TradesLast5Days = 10;
        active.Aggregates.DayTradesLast5Days = 1;
        active.Aggregates.PositionQuantity = 500;

        var derivative = new OrderContext();
        derivative.Market.TradeDate = day;
        derivative.Order.Side = Side.Sell;
        derivative.Order.Type = OrderType.Market;
        derivative.Order.ShortMarking = ShortMarking.Short;
        derivative.Order.Quantity = 10;
        derivative.Order.Notional = 10_000m;
        derivative.Order.NotionalInAccountCurrency = 10_000m;
        derivative.Order.NotionalEur = 9_000m;
        derivative.Account.IsLegalEntity = true;
        derivative.Account.IsIndividual = false;
        derivative.Account.ClientCategory = ClientCategory.Professional;
        derivative.Account.EmirClass = EmirCounterpartyClass.NonFinancialMinus;
        derivative.Instrument.IsDerivative = true;
        derivative.Instrument.IsComplex = true;
        derivative.Instrument.IsOtc = true;
        derivative.Instrument.AssetClass = AssetClass.Equity;

        return [("new listing, new account, buy 1 at 1", cold), ("sell 100 at 10 on an active instrument", active),
            ("short sale of an OTC equity derivative at market by a legal entity", derivative)];
    }

    [GeneratedRegex(@"[/%]\s*(\(?[^\s)]+)")]
    private static partial Regex Division();

    [GeneratedRegex(@"^\(?(@[A-Za-z][A-Za-z0-9_]*|[0-9.]+m?)$")]
    private static partial Regex ConstantDivisor();
}

using BenchmarkDotNet.Attributes;
using TradSys.Engine.Risk.PreTrade;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// The pre-trade risk checks on the pass path (DESIGN.md budget: mean under 1 µs, 0 bytes): one status, one scope's seven
/// limits, and what the order path runs for an order when every scope is set (three statuses, four scopes of limits).
/// `dotnet run -c Release --project tests/Benchmarks -- --filter '*PreTradeRisk*'`.
/// </summary>
[MemoryDiagnoser]
public class PreTradeRiskBenchmarks
{
    private readonly RiskLimits _limits = new(MaxOrderQuantity: 100_000, MaxOrderNotional: 5_000_000m, PriceCollarPct: 5m, MaxOpenOrders: 500,
        MaxOpenNotional: 50_000_000m, MaxLongPosition: 1_000_000, MaxShortPosition: 100_000, MaxConcentrationPct: 25m,
        MaxIssuerHoldingPct: 5m, MaxAdvPct: 10m);

    private readonly PreTradeOrder _order = new(Side.Buy, 1_000, 80.25m, 80_250m, 80m, 5_000, 12, 1_250_000m, PositionValueAfter: 480_000m,
        PortfolioValue: 10_000_000m, IssuerHolding: 5_000, SharesOutstanding: 3_000_000_000,
        AverageDailyVolume: 4_000_000);

    [Benchmark]
    public bool Status() => PreTradeRisk.Status(TradingStatus.ReducingOnly, Side.Sell, 1_000, 5_000).Passed;

    [Benchmark]
    public bool OneScope() => PreTradeRisk.Limits(_limits, _order).Passed;

    [Benchmark(Baseline = true)]
    public bool EveryScope()
    {
        var passed = PreTradeRisk.Status(TradingStatus.Active, _order.Side, _order.Quantity, _order.Position).Passed &
                     PreTradeRisk.Status(TradingStatus.Active, _order.Side, _order.Quantity, _order.Position).Passed &
                     PreTradeRisk.Status(TradingStatus.Active, _order.Side, _order.Quantity, _order.Position).Passed;
        for (var i = 0; i < 4; i++)
        {
            passed &= PreTradeRisk.Limits(_limits, _order).Passed;
        }
        return passed;
    }
}

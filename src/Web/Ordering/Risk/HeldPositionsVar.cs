using TradSys.Engine.Risk;
using TradSys.Engine.Risk.Portfolio;
using TradSys.Web.Persistence;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// The VaR of held positions over the stored daily price history, as GET /api/v1/risk/var, the daily risk report and the VaR limit
/// of the risk alert monitor all compute it: the closes of the instruments held up to <c>asOf</c> (<see cref="HistoryCalendarDays"/>
/// calendar days back, <see cref="PriceHistory"/>), aligned on common days, then <see cref="PositionVar"/> with its backtest.
/// </summary>
public static class HeldPositionsVar
{
    /// <summary>Calendar days of history read: enough for 250 days of returns and a 250-day backtest before them.</summary>
    public const int HistoryCalendarDays = 800;

    /// <summary>
    /// The figure (null when it could not be computed), with the closes it read and, when it could not, why: too few days of
    /// returns in common (<see cref="Outcome.ReturnsAvailable"/> against <see cref="Outcome.ReturnsNeeded"/>) or a history that is
    /// not prices (<see cref="Outcome.Unavailable"/>).
    /// </summary>
    public sealed record Outcome(PositionVarResult? Figure, IReadOnlyDictionary<string, List<DailyClosePoint>> Closes, int ReturnsAvailable,
        int ReturnsNeeded, string? Unavailable);

    /// <summary>Computes the VaR of <paramref name="exposures"/> (today's values of <paramref name="symbols"/>, negative when short).</summary>
    public static async Task<Outcome> ComputeAsync(TradSysDbContext db, IReadOnlyList<string> symbols, double[] exposures, DateOnly asOf,
        VarMethod method, double confidence, int horizonDays, CancellationToken ct)
    {
        var closes = await PriceHistory.ReadAsync(db, symbols, asOf.AddDays(-HistoryCalendarDays), asOf, ct);
        var (dates, prices) = PriceHistory.Align(symbols, closes);
        var returns = Math.Max(0, dates.Length - 1);
        var needed = PositionVar.ReturnsNeeded(method, confidence);
        if (returns < needed)
        {
            return new Outcome(null, closes, returns, needed, null);
        }
        try
        {
            return new Outcome(PositionVar.Compute(exposures, dates, prices, method, confidence, horizonDays), closes, returns, needed, null);
        }
        catch (RiskInputException ex)
        {
            return new Outcome(null, closes, returns, needed,
                $"the VaR could not be computed from the stored history: {string.Join("; ", ex.Problems.Select(p => $"{p.Field}: {p.Message}"))}");
        }
    }
}

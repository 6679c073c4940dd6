using TradSys.Engine.Risk.Portfolio;
using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Apis;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// The VaR limits' use (<see cref="RiskLimits.MaxVar"/>): each account's one-day 99% historical VaR of its positions (the figure of
/// GET /api/v1/risk/var and of the daily risk report, <see cref="HeldPositionsVar"/>) against every maxVar limit in force for it (the
/// firm's, its client category's, its own), in the limit's currency. Read by the risk alert monitor, not by the pre-trade stage: a
/// VaR over a year of closes costs milliseconds, far above the stage's budget per order, and one order barely moves it.
/// </summary>
internal static class VarLimitCheck
{
    /// <summary>The limit's name in utilisation rows and alerts.</summary>
    public const string Limit = nameof(RiskLimits.MaxVar);

    /// <summary>How the VaR held against the maxVar limits is computed, as the utilisation rows name it.</summary>
    public const string Method = "historical simulation, 1 day, 99%, 250 days";

    /// <summary>
    /// One row per account and maxVar limit that applies to it; and the accounts whose VaR could not be computed (too little history
    /// in common, or a currency without an FX rate), whose limits are left at the level last alerted rather than cleared.
    /// </summary>
    public static async Task<(List<UtilisationResponse> Rows, HashSet<(long AccountId, string Scope)> Undetermined)> UtilisationAsync(
        TradSysDbContext db, IReadOnlyList<AccountRiskState> states, RiskControlsView controls, ReferenceDataCache referenceData, DateTime now,
        CancellationToken ct)
    {
        var rows = new List<UtilisationResponse>();
        var undetermined = new HashSet<(long, string)>();
        foreach (var state in states)
        {
            var account = state.Account;
            var id = account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var limits = controls.Limits.Where(l => l.MaxVar is not null && (l.Scope == RiskScope.Firm ||
                (l.Scope == RiskScope.Account && l.Key == id) || (l.Scope == RiskScope.ClientCategory && l.Key == account.ClientCategory.ToString()))).ToList();
            if (limits.Count == 0)
            {
                continue;
            }
            var value = await AccountVarAsync(db, state, referenceData, now, ct);
            foreach (var limit in limits)
            {
                var scope = Stages.RiskStage.ScopeText(limit.Scope, limit.Key);
                try
                {
                    var used = value is { } v ? referenceData.Fx.Convert(v, account.CreditCurrency, limit.Currency) : (decimal?)null;
                    if (used is { } u)
                    {
                        rows.Add(RiskExposureApi.Use(account.Id, null, Limit, scope, limit.Version, limit.MaxVar!.Value, decimal.Round(u, 2), limit.Currency));
                        continue;
                    }
                }
                catch (InvalidOperationException)
                {
                    // No FX rate between the account's currency and the limit's: the VaR cannot be compared with it.
                }
                undetermined.Add((account.Id, scope));
            }
        }
        return (rows, undetermined);
    }

    /// <summary>The account's one-day 99% historical VaR in its base currency: zero without positions, null when it cannot be computed.</summary>
    private static async Task<decimal?> AccountVarAsync(TradSysDbContext db, AccountRiskState state, ReferenceDataCache referenceData, DateTime now,
        CancellationToken ct)
    {
        var held = new List<(string Symbol, double Value)>();
        foreach (var p in state.Positions.Where(p => p.Quantity != 0).OrderBy(p => p.Symbol, StringComparer.Ordinal))
        {
            var instrument = referenceData.Get(p.Symbol);
            try
            {
                held.Add((p.Symbol, (double)referenceData.Fx.Convert(p.Quantity * p.Price * instrument.Row.PriceMultiplier, instrument.Row.Currency,
                    state.Account.CreditCurrency)));
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
        if (held.Count == 0)
        {
            return 0m;
        }
        var outcome = await HeldPositionsVar.ComputeAsync(db, [.. held.Select(h => h.Symbol)], [.. held.Select(h => h.Value)], DateOnly.FromDateTime(now),
            VarMethod.Historical, 0.99, 1, ct);
        return outcome.Figure is { } figure ? (decimal)figure.Estimate.ValueAtRisk : null;
    }
}

/// <summary>
/// The risk alert monitor's last VaR computation for the maxVar limits: when it ran (market clock), the method, one utilisation row per
/// account and maxVar limit (the VaR converted into the limit's currency), and the accounts and limit scopes whose VaR it could not compute.
/// </summary>
internal sealed record VarLimitFigures(DateTime AsOf, string Method, IReadOnlyList<UtilisationResponse> Rows,
    IReadOnlyList<(long AccountId, string Scope)> Undetermined);

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Engine.Risk.Portfolio;
using TradSys.Reporting.Data;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Reports;

// The daily risk report's half of the port. Positions at the day's end come from Holdings (the trades before it, as the rules stage
// and the positions API count them); each is marked at its instrument's last trade of the day, else the reference price stored for the
// day (else the nearest earlier stored day's, else today's, labelled), and converted at the FX rates stored for the day (same fallback);
// the VaR is HeldPositionsVar, the code behind GET /api/v1/risk/var.
public sealed partial class EfReportDataSource
{
    /// <summary>The currency the firm's largest exposures are compared in.</summary>
    public const string RiskReportCurrency = "USD";

    public async Task<DailyRiskData> GetDailyRiskAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var (from, to) = Day(businessDate, timeZone);
        var notes = new List<string>();
        var breaches = await db.RiskAlerts.AsNoTracking()
            .Where(a => a.RaisedAt >= from && a.RaisedAt < to && a.Level == RiskAlertLevel.Breached).OrderBy(a => a.Id).ToListAsync(ct);
        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        // The venue's side of a routed order's trade is no account of the firm's: left out.
        var holdings = (await Holdings.AsOfAsync(db, to, null, ct)).Where(h => accounts.ContainsKey(h.AccountId)).ToList();
        var parties = await Parties(breaches.Select(b => b.AccountId).Concat(holdings.Select(h => h.AccountId)), ct);

        var symbols = holdings.Select(h => h.Symbol).Distinct(StringComparer.Ordinal).ToList();
        var lastIds = await db.Trades.AsNoTracking().Where(t => symbols.Contains(t.Symbol) && t.ExecutedAt >= from && t.ExecutedAt < to)
            .GroupBy(t => t.Symbol).Select(g => g.Max(t => t.Id)).ToListAsync(ct);
        var lastPrices = await db.Trades.AsNoTracking().Where(t => lastIds.Contains(t.Id)).ToDictionaryAsync(t => t.Symbol, t => t.Price, ct);
        // The day's figures: FX and, for an instrument without a trade that day, its reference price, as stored for the day (else the
        // nearest earlier stored day's, else today's), each labelled.
        var (fxChoice, fx) = await FxChoiceAsync(businessDate, ct);
        var stored = await StoredPricesAsync([.. symbols.Where(s => !lastPrices.ContainsKey(s))], businessDate, ct);
        var references = new Dictionary<string, PriceChoice>(StringComparer.Ordinal);

        var lines = new List<(Account Account, ExposureLine Line, decimal? BaseValue, decimal ReportValue)>();
        foreach (var h in holdings)
        {
            if (!referenceData.TryGet(h.Symbol, out var instrument))
            {
                notes.Add($"account {h.AccountId}, {h.Symbol}: not in the reference data; left out");
                continue;
            }
            decimal price;
            string source;
            if (lastPrices.TryGetValue(h.Symbol, out var last))
            {
                (price, source) = (last, "Last");
            }
            else
            {
                if (!references.TryGetValue(h.Symbol, out var reference))
                {
                    references[h.Symbol] = reference = ReferenceFigures.Price(businessDate, Today, stored.GetValueOrDefault(h.Symbol), instrument.Row.ReferencePrice);
                }
                (price, source) = (reference.Price, reference.Label);
            }
            var local = h.Quantity * price * instrument.Row.PriceMultiplier;
            var account = accounts[h.AccountId];
            decimal value;
            decimal? baseValue;
            try
            {
                value = fx.Convert(local, instrument.Row.Currency, RiskReportCurrency);
                baseValue = fx.Convert(local, instrument.Row.Currency, account.CreditCurrency);
            }
            catch (InvalidOperationException ex)
            {
                notes.Add($"account {h.AccountId}, {h.Symbol}: {ex.Message}; left out");
                continue;
            }
            lines.Add((account, new ExposureLine(parties[h.AccountId], h.Symbol, h.Quantity, price, source, instrument.Row.Currency, Money(local),
                Money(value)), baseValue, value));
        }

        var rows = new List<AccountVarRow>();
        var demo = false;
        foreach (var group in lines.GroupBy(l => l.Account.Id).OrderBy(g => g.Key))
        {
            var account = group.First().Account;
            var held = group.Select(l => (l.Line.Symbol, Value: l.BaseValue!.Value)).OrderBy(l => l.Symbol, StringComparer.Ordinal).ToList();
            var gross = Money(held.Sum(l => Math.Abs(l.Value)));
            var outcome = await HeldPositionsVar.ComputeAsync(db, [.. held.Select(l => l.Symbol)], [.. held.Select(l => (double)l.Value)], businessDate,
                VarMethod.Historical, 0.99, 1, ct);
            demo |= outcome.Closes.Values.Any(c => c.Any(p => p.Source == ReferencePriceDay.DemoSource));
            if (outcome.Figure is not { } figure)
            {
                rows.Add(new AccountVarRow(parties[account.Id], account.CreditCurrency, held.Count, gross, null, null, 0, null,
                    outcome.Unavailable ?? string.Create(CultureInfo.InvariantCulture,
                        $"no VaR: {outcome.ReturnsAvailable} day(s) of returns in common, {outcome.ReturnsNeeded} needed; import closes through POST /api/v1/risk/price-history")));
                continue;
            }
            rows.Add(new AccountVarRow(parties[account.Id], account.CreditCurrency, held.Count, gross, Money((decimal)figure.Estimate.ValueAtRisk),
                Money((decimal)figure.Estimate.ExpectedShortfall), figure.WindowDays, Backtest(figure), NoBacktest(figure, outcome)));
        }

        // The firm: every account's positions in the report's currency, netted per instrument, the same method as per account.
        FirmVarRow? firm = null;
        if (lines.Count > 0)
        {
            var (firmSymbols, firmExposures) = FirmPositions.Net(lines.Select(l => (l.Line.Symbol, (double)l.ReportValue)));
            var accountCount = lines.Select(l => l.Account.Id).Distinct().Count();
            var firmGross = Money(lines.GroupBy(l => l.Line.Symbol).Sum(g => Math.Abs(g.Sum(l => l.ReportValue))));
            if (firmSymbols.Length == 0)
            {
                firm = new FirmVarRow(RiskReportCurrency, accountCount, 0, 0m, 0m, 0m, 0, null,
                    "the firm's positions net to zero in every instrument (longs in some accounts offset by shorts in others): no market risk in aggregate");
            }
            else
            {
                var outcome = await HeldPositionsVar.ComputeAsync(db, firmSymbols, firmExposures, businessDate, VarMethod.Historical, 0.99, 1, ct);
                demo |= outcome.Closes.Values.Any(c => c.Any(p => p.Source == ReferencePriceDay.DemoSource));
                firm = outcome.Figure is not { } figure
                    ? new FirmVarRow(RiskReportCurrency, accountCount, firmSymbols.Length, firmGross, null, null, 0, null,
                        outcome.Unavailable ?? string.Create(CultureInfo.InvariantCulture,
                            $"no VaR: {outcome.ReturnsAvailable} day(s) of returns in common, {outcome.ReturnsNeeded} needed; import closes through POST /api/v1/risk/price-history"))
                    : new FirmVarRow(RiskReportCurrency, accountCount, firmSymbols.Length, firmGross, Money((decimal)figure.Estimate.ValueAtRisk),
                        Money((decimal)figure.Estimate.ExpectedShortfall), figure.WindowDays, Backtest(figure), NoBacktest(figure, outcome));
            }
        }
        if (demo)
        {
            notes.Add("The history includes the demo data's illustrative closes (source demo): a seeded random walk, not market data.");
        }
        notes.Add("Positions are those of the trades executed before the day's end, each marked at its instrument's last trade of the day.");
        notes.Add(ReferenceFigures.PriceLabel(businessDate, references.Values));
        notes.Add(fxChoice.Label);

        return new DailyRiskData(businessDate, timeZone, RiskReportCurrency,
            [
                .. breaches.Select(a => new RiskBreachRow(a.Id, a.RaisedAt, parties[a.AccountId], a.Limit, a.Symbol, a.Scope, a.LimitValue, a.Used, a.Unit,
                    a.UtilisationPct, a.AcknowledgedBy)),
            ],
            [.. rows.OrderByDescending(r => r.ValueAtRisk ?? -1m).ThenBy(r => r.Account.AccountId)],
            [.. lines.Select(l => l.Line).OrderByDescending(l => Math.Abs(l.Value)).ThenBy(l => l.Account.AccountId).ThenBy(l => l.Symbol, StringComparer.Ordinal)
                .Take(DailyRiskData.MaxExposures)],
            notes, firm);
    }

    private static VarBacktestRow? Backtest(PositionVarResult figure) => figure.Backtest is not { } b ? null
        : new VarBacktestRow(b.Observations, figure.BacktestDates[0], figure.BacktestDates[^1], b.Exceptions,
            [.. b.ExceptionDays.Select(i => figure.BacktestDates[i])], b.ExpectedExceptions, b.KupiecStatistic, b.PValue, b.Zone.ToString());

    private static string? NoBacktest(PositionVarResult figure, HeldPositionsVar.Outcome outcome) => figure.Backtest is not null ? null
        : string.Create(CultureInfo.InvariantCulture, $"no backtest: the history holds {outcome.ReturnsAvailable} days of returns, one window is {figure.WindowDays}");

    private static decimal Money(decimal value) => decimal.Round(value, 2);
}

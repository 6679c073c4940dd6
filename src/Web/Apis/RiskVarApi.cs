using System.Globalization;
using System.Security.Claims;
using TradSys.Engine.Risk.Portfolio;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// VaR of the accounts' own positions under /api/v1/risk/var: the positions of one account (or of every account the caller may read:
/// the firm for risk officers and the other firm-wide roles, their own accounts for a trader) at one moment of the single writer,
/// valued as the exposure API values them, over the stored daily price history (<see cref="PriceHistory"/>), by historical
/// simulation, variance-covariance or Monte Carlo (<see cref="PositionVar"/>), with expected shortfall and, where the history is long
/// enough, a backtest of the one-day figure with Kupiec's test.
/// </summary>
public static class RiskVarApi
{
    public static RouteGroupBuilder MapRiskVar(this RouteGroupBuilder api)
    {
        api.MapGet("/var", VarAsync).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.Read).Produces<PositionVarResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetPositionVar").WithSummary("VaR and expected shortfall of an account's or the firm's positions, with a backtest").WithDescription(
                "accountId (one account; otherwise every account the caller may read, their positions netted per instrument), method " +
                "(historical | parametric | montecarlo, default historical), horizon (1 or 10 days, default 1), confidence (0.95 or 0.99, " +
                "default 0.99), currency (the reporting currency, default the account's base currency, or USD for several accounts). " +
                "Positions are valued at the day's last trade, else the reference price, as GET /risk/exposure does; returns are daily " +
                "simple returns of the instruments' closes (GET /risk/price-history) over the last 250 days (fewer when the history is " +
                "shorter), in each instrument's own currency (FX moves are not modelled). The 10-day figure is the 1-day one times " +
                "sqrt(10). Monte Carlo: 10,000 paths, seed 1. Backtest: each of the last days (up to 250) before which a whole window " +
                "exists gets the one-day VaR of its preceding window, against the P&L today's positions would have made that day; " +
                "exceptions, Kupiec's statistic and p-value, and the Basel zone (99% only). 422 when the instruments have too few days " +
                "of closes in common, saying how many there are and how many the method needs.");
        return api;
    }

    private static async Task<IResult> VarAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
        ReferenceDataCache referenceData, MarketClock clock)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var accountId = q.Long("accountId");
        var methodText = q.String("method", 16);
        var horizonText = q.String("horizon", 4);
        var confidenceText = q.String("confidence", 6);
        var currencyText = q.String("currency", 3)?.Trim().ToUpperInvariant();
        if (accountId is <= 0)
        {
            q.Add("accountId", $"'{accountId}' must be a positive account id");
        }
        var method = (methodText ?? "historical").ToLowerInvariant() switch
        {
            "historical" => VarMethod.Historical,
            "parametric" => VarMethod.Parametric,
            "montecarlo" => VarMethod.MonteCarlo,
            _ => (VarMethod?)null,
        };
        if (method is null)
        {
            q.Add("method", $"'{methodText}' is not a method: historical, parametric or montecarlo");
        }
        var horizon = horizonText switch { null or "1" => 1, "10" => 10, _ => 0 };
        if (horizon == 0)
        {
            q.Add("horizon", $"'{horizonText}' is not a horizon: 1 or 10 (days)");
        }
        var confidence = confidenceText switch { null or "0.99" => 0.99, "0.95" => 0.95, _ => 0d };
        if (confidence == 0)
        {
            q.Add("confidence", $"'{confidenceText}' is not a confidence: 0.95 or 0.99");
        }
        if (currencyText is not null && !referenceData.Fx.Has(currencyText))
        {
            q.Add("currency", $"'{currencyText}' has no platform FX rate (known: {referenceData.Fx.Known})");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var (rows, refused) = await RiskExposureApi.ReadableAccountsAsync(Caller.From(user), db, accountId, ct);
        if (refused is not null)
        {
            return refused;
        }
        var currency = currencyText ?? (rows.Count == 1 ? rows[0].CreditCurrency : "USD");
        var (result, unavailable) = await writer.TrySendAsync(new ExposureQuery(Caller.From(user).UserName, rows), ct);
        if (unavailable is not null)
        {
            return unavailable;
        }
        var states = (IReadOnlyList<AccountRiskState>)result!.Risk!;
        var asOf = clock.UtcNow;

        // Today's positions netted per instrument across the accounts, valued in the reporting currency.
        var problems = new List<string>();
        var held = new SortedDictionary<string, (long Quantity, decimal Value)>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            foreach (var p in state.Positions)
            {
                var instrument = referenceData.Get(p.Symbol);
                decimal value;
                try
                {
                    value = referenceData.Fx.Convert(p.Quantity * p.Price * instrument.Row.PriceMultiplier, instrument.Row.Currency, currency);
                }
                catch (InvalidOperationException ex)
                {
                    problems.Add($"account {state.Account.Id}, {p.Symbol}: {ex.Message}; left out of the VaR");
                    continue;
                }
                var (quantity, sum) = held.GetValueOrDefault(p.Symbol);
                held[p.Symbol] = (quantity + p.Quantity, sum + value);
            }
        }
        var symbols = held.Where(h => h.Value.Quantity != 0).Select(h => h.Key).ToList();
        var scope = accountId is { } one ? $"account {one}" : rows.Count == 1 ? $"account {rows[0].Id}" : "accounts";
        var accounts = rows.Select(r => r.Id).ToList();
        if (symbols.Count == 0)
        {
            problems.Add("no positions: nothing is at risk");
            return TypedResults.Ok(new PositionVarResponse(scope, accounts, currency, asOf, method!.Value.ToString(), confidence, horizon, 0m, 0m,
                "None", 0, 0, null, null, null, 0, [], [], null, problems));
        }

        var exposures = symbols.Select(s => (double)held[s].Value).ToArray();
        var outcome = await HeldPositionsVar.ComputeAsync(db, symbols, exposures, DateOnly.FromDateTime(asOf), method!.Value, confidence, horizon, ct);
        var (closes, returns, needed) = (outcome.Closes, outcome.ReturnsAvailable, outcome.ReturnsNeeded);
        if (outcome.Unavailable is { } why)
        {
            return Problems.Unavailable(why);
        }
        if (outcome.Figure is not { } figure)
        {
            var perSymbol = symbols.Select(s => new PriceHistorySpan(s, closes[s].Count, closes[s].FirstOrDefault()?.Date, closes[s].LastOrDefault()?.Date)).ToList();
            var spans = string.Join("; ", perSymbol.Select(s => s.Closes == 0 ? $"{s.Symbol}: no closes"
                : string.Create(CultureInfo.InvariantCulture, $"{s.Symbol}: {s.Closes} close(s), {s.From:yyyy-MM-dd} to {s.To:yyyy-MM-dd}")));
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"{method} VaR at {confidence:0.00} needs at least {needed} days of returns ({needed + 1} days of closes) of every instrument held; the history has {returns} in common, from the first day every instrument has a close ({spans}). Import closes through POST /api/v1/risk/price-history or PUT /api/v1/reference-prices/{{date}}.");
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Not enough price history", detail: detail,
                extensions: new Dictionary<string, object?> { ["daysAvailable"] = returns, ["daysNeeded"] = needed, ["instruments"] = perSymbol });
        }
        var sources = symbols.SelectMany(s => closes[s]).GroupBy(c => c.Source, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (sources.ContainsKey(Persistence.Entities.ReferencePriceDay.DemoSource))
        {
            problems.Add("the history includes the demo data's illustrative closes (source demo): a seeded random walk, not market data");
        }
        if (figure.Backtest is null)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"no backtest: it needs more than the {figure.WindowDays} days of returns of one window; the history has {returns}"));
        }
        var e = figure.Estimate;
        var positions = symbols.Select(s => new VarPositionResponse(s, held[s].Quantity, Money(held[s].Value), closes[s].Count)).ToList();
        BacktestResponse? backtest = figure.Backtest is { } b
            ? new BacktestResponse(b.Observations, figure.BacktestDates[0], figure.BacktestDates[^1], b.Exceptions,
                [.. b.ExceptionDays.Select(i => figure.BacktestDates[i])], b.ExpectedExceptions, b.KupiecStatistic, b.PValue, b.Zone.ToString(),
                BacktestDays(figure))
            : null;
        return TypedResults.Ok(new PositionVarResponse(scope, accounts, currency, asOf, e.Method.ToString(), e.Confidence, e.HorizonDays,
            Money((decimal)e.ValueAtRisk), Money((decimal)e.ExpectedShortfall), e.Scaling.ToString(), e.Scenarios, e.TailScenarios,
            method == VarMethod.MonteCarlo ? PositionVar.Seed : null, figure.WindowFrom, figure.WindowTo, figure.WindowDays, positions,
            [.. sources.Select(s => new PriceSourceCount(s.Key, s.Value))], backtest, problems));
    }

    private static decimal Money(decimal value) => Exact.Trim(decimal.Round(value, 2));

    /// <summary>Each day of the backtest: its P&amp;L, the VaR set for it, and whether the loss exceeded it (as the backtest counts).</summary>
    internal static IReadOnlyList<BacktestDayResponse> BacktestDays(PositionVarResult figure)
    {
        var exceptions = figure.Backtest?.ExceptionDays.ToHashSet() ?? [];
        return [.. figure.BacktestDates.Select((d, i) => new BacktestDayResponse(d, Money((decimal)figure.BacktestPnl[i]), Money((decimal)figure.BacktestVar[i]),
            exceptions.Contains(i)))];
    }
}

/// <summary>One day of a VaR backtest: the P&amp;L the positions would have made (negative for a loss), the one-day VaR set for that day
/// (a positive loss), and whether the loss exceeded the VaR (an exception).</summary>
public sealed record BacktestDayResponse(DateOnly Date, decimal Pnl, decimal ValueAtRisk, bool Exception);

/// <summary>An instrument's closes in the history read: how many and the days they span (null when none).</summary>
public sealed record PriceHistorySpan(string Symbol, int Closes, DateOnly? From, DateOnly? To);

/// <summary>A position behind the VaR: the net quantity over the accounts, its value in the reporting currency, and its closes on file.</summary>
public sealed record VarPositionResponse(string Symbol, long Quantity, decimal Value, int Closes);

/// <summary>How many of the closes read came from a source (import, demo, trades).</summary>
public sealed record PriceSourceCount(string Source, int Closes);

/// <summary>The backtest of the one-day VaR: the days compared, the exceptions (a loss above that day's VaR) and their days, Kupiec's test,
/// the Basel zone, and each day's P&amp;L against its VaR (the series the portal's backtest chart draws).</summary>
public sealed record BacktestResponse(int Observations, DateOnly From, DateOnly To, int Exceptions, IReadOnlyList<DateOnly> ExceptionDates,
    double ExpectedExceptions, double KupiecStatistic, double PValue, string Zone, IReadOnlyList<BacktestDayResponse>? Days = null);

/// <summary>
/// VaR and ES (losses as positive amounts in <see cref="Currency"/>) of the positions of <see cref="Accounts"/>, how they were obtained
/// (method, scaling, scenarios, the seed of Monte Carlo, the window of history), the positions, the sources of the closes, the backtest
/// (null when the history is too short) and notes.
/// </summary>
public sealed record PositionVarResponse(string Scope, IReadOnlyList<long> Accounts, string Currency, DateTime AsOf, string Method, double Confidence,
    int HorizonDays, decimal ValueAtRisk, decimal ExpectedShortfall, string Scaling, int Scenarios, int TailScenarios, int? Seed, DateOnly? WindowFrom,
    DateOnly? WindowTo, int WindowDays, IReadOnlyList<VarPositionResponse> Positions, IReadOnlyList<PriceSourceCount> Sources, BacktestResponse? Backtest,
    IReadOnlyList<string> Notes);

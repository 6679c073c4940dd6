using TradSys.Engine.Risk;
using TradSys.Engine.Risk.Options;
using TradSys.Engine.Risk.Portfolio;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// Risk calculators under /api/v1/risk for terms a user gives, so a risk officer can check a figure by hand: an option's
/// Black-Scholes-Merton price, Greeks and implied volatility, and the VaR and expected shortfall of a hypothetical portfolio
/// (historical, parametric or Monte Carlo) over a history the caller supplies. Pure calculations (TradSys.Engine.Risk):
/// nothing is read or written. VaR of the accounts' own positions over the stored price history: RiskVarApi.
/// </summary>
public static class RiskAnalyticsApi
{
    /// <summary>Bounds that keep one request's work small: instruments in a what-if, days of history, Monte Carlo paths.</summary>
    public const int MaxInstruments = 500, MaxDays = 2_600, MaxPaths = 100_000;

    public static RouteGroupBuilder MapRiskAnalytics(this RouteGroupBuilder api)
    {
        api.MapPost("/options/analytics", (Func<HttpContext, Task<IResult>>)OptionAnalyticsAsync).RequireAuthorization(Policies.ReadRisk)
            .Accepts<OptionAnalyticsRequest>("application/json").Produces<OptionAnalyticsResponse>().ProducesValidationProblem()
            .WithName("OptionAnalytics").WithSummary("Black-Scholes-Merton price, Greeks and implied volatility of a European option").WithDescription(
                "{\"right\": Call | Put, \"spot\", \"strike\", \"rate\" (continuously compounded, 0.05 for 5%), \"dividendYield\" (default 0), " +
                "\"timeToExpiry\" (years), \"volatility\" (a year, 0.20 for 20%) and/or \"price\" (the option's market price: its implied " +
                "volatility is solved, and used for the Greeks when no volatility is given)}. Vega and rho per 1.00 and per 1%; theta per " +
                "year, per calendar day (/365) and per trading day (/252).");
        api.MapPost("/var/what-if", (Func<HttpContext, Task<IResult>>)WhatIfVarAsync).RequireAuthorization(Policies.ReadRisk)
            .Accepts<WhatIfVarRequest>("application/json").Produces<VarResponse>().ProducesValidationProblem()
            .WithName("WhatIfVar").WithSummary("VaR and expected shortfall of a hypothetical portfolio").WithDescription(
                "{\"method\": historical | parametric | montecarlo, \"confidence\" (default 0.99), \"horizonDays\" (default 1), \"exposures\": " +
                "the money held in each instrument (negative for short), and the history: \"prices\" (daily closes, one row a day, oldest " +
                "first, one column an instrument) or \"returns\" (daily simple returns, the same shape), or for parametric and Monte Carlo " +
                "\"dailyVolatilities\" with \"correlations\"; \"days\" (history window, default 250), \"scaling\" (historical, more than one " +
                "day: sqrt or overlapping; default sqrt), \"seed\" and \"paths\" (Monte Carlo, default 10,000)}. VaR and ES are losses, " +
                "stated as positive amounts in the exposures' currency.");
        return api;
    }

    private static async Task<IResult> OptionAnalyticsAsync(HttpContext http)
    {
        var (request, problem) = await RequestBody.ReadAsync<OptionAnalyticsRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var r = request!;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        OptionRight right = default;
        if (r.Right is null || !Enum.TryParse(r.Right, ignoreCase: true, out right) || !Enum.IsDefined(right) || int.TryParse(r.Right, out _))
        {
            Add(errors, "right", "must be Call or Put");
        }
        Required(r.Spot, "spot", errors);
        Required(r.Strike, "strike", errors);
        Required(r.Rate, "rate", errors);
        Required(r.TimeToExpiry, "timeToExpiry", errors);
        if (r.Volatility is null && r.Price is null)
        {
            Add(errors, "volatility", "give the volatility to value the option, or its market price (\"price\") to solve for its implied volatility, or both");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        try
        {
            double? implied = r.Price is { } price
                ? ImpliedVolatility.Solve(right, price, r.Spot!.Value, r.Strike!.Value, r.Rate!.Value, r.DividendYield ?? 0, r.TimeToExpiry!.Value)
                : null;
            var volatility = r.Volatility ?? implied!.Value;
            var terms = new OptionTerms(r.Spot!.Value, r.Strike!.Value, r.Rate!.Value, r.DividendYield ?? 0, volatility, r.TimeToExpiry!.Value);
            var v = BlackScholesMerton.Value(right, terms);
            return TypedResults.Ok(new OptionAnalyticsResponse(right.ToString(), volatility, implied, v.Price, v.Delta, v.Gamma, v.Vega, v.VegaPerPercent,
                v.Theta, v.ThetaPerCalendarDay, v.ThetaPerTradingDay, v.Rho, v.RhoPerPercent, v.D1, v.D2));
        }
        catch (RiskInputException ex)
        {
            return Invalid(ex);
        }
    }

    private static async Task<IResult> WhatIfVarAsync(HttpContext http)
    {
        var (request, problem) = await RequestBody.ReadAsync<WhatIfVarRequest>(http, maxBytes: 4 * 1024 * 1024);
        if (problem is not null)
        {
            return problem;
        }
        var r = request!;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var method = (r.Method ?? "").ToLowerInvariant() switch
        {
            "historical" => VarMethod.Historical,
            "parametric" => VarMethod.Parametric,
            "montecarlo" or "monte-carlo" => VarMethod.MonteCarlo,
            _ => (VarMethod?)null,
        };
        if (method is null)
        {
            Add(errors, "method", $"'{r.Method}' is not a method: historical, parametric or montecarlo");
        }
        var exposures = r.Exposures ?? [];
        if (exposures.Length == 0 || exposures.Length > MaxInstruments)
        {
            Add(errors, "exposures", $"give the money held in each instrument, 1 to {MaxInstruments} of them");
        }
        var histories = (r.Prices is null ? 0 : 1) + (r.Returns is null ? 0 : 1) + (r.DailyVolatilities is null ? 0 : 1);
        if (histories != 1)
        {
            Add(errors, "prices", "give exactly one history: prices, returns, or dailyVolatilities (with correlations)");
        }
        else if (r.DailyVolatilities is not null && method == VarMethod.Historical)
        {
            Add(errors, "dailyVolatilities", "historical simulation needs a history of prices or returns, not volatilities");
        }
        var table = r.Prices ?? r.Returns;
        if (table is not null && (table.Length > MaxDays || table.Any(row => row is null || row.Length != exposures.Length)))
        {
            Add(errors, r.Prices is not null ? "prices" : "returns",
                $"must be at most {MaxDays} rows (days, oldest first), each with one number for each of the {exposures.Length} exposures");
        }
        if (r.Paths is < 1 or > MaxPaths)
        {
            Add(errors, "paths", $"must be 1 to {MaxPaths}");
        }
        var scaling = (r.Scaling ?? "sqrt").ToLowerInvariant() switch
        {
            "sqrt" => HorizonScaling.SquareRootOfTime,
            "overlapping" => HorizonScaling.OverlappingReturns,
            _ => (HorizonScaling?)null,
        };
        if (scaling is null || (scaling == HorizonScaling.OverlappingReturns && method != VarMethod.Historical))
        {
            Add(errors, "scaling", "must be sqrt, or overlapping for the historical method");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        try
        {
            var confidence = r.Confidence ?? 0.99;
            var horizon = r.HorizonDays ?? 1;
            var history = table is null ? null : r.Prices is not null ? ReturnHistory.FromPrices(Rect(table)) : ReturnHistory.FromReturns(Rect(table));
            // Without "days", the last 250 days of the history, or all of a shorter one (the response says how many scenarios).
            var days = r.Days ?? Math.Min(HistoricalVar.DefaultDays, history?.Days ?? HistoricalVar.DefaultDays);
            var covariance = method == VarMethod.Historical ? null
                : history is not null ? CovarianceMatrix.FromReturns(history, days)
                : CovarianceMatrix.FromVolatilities(r.DailyVolatilities, Rect(r.Correlations ?? [], r.DailyVolatilities!.Length));
            var estimate = method switch
            {
                VarMethod.Historical => HistoricalVar.Estimate(exposures, history!, confidence, horizon, horizon == 1 ? HorizonScaling.None : scaling!.Value, days),
                VarMethod.Parametric => ParametricVar.Estimate(exposures, covariance!, confidence, horizon),
                _ => MonteCarloVar.Estimate(exposures, covariance!, confidence, horizon, r.Seed ?? 1, r.Paths ?? MonteCarloVar.DefaultPaths),
            };
            return TypedResults.Ok(VarResponse.From(estimate));
        }
        catch (RiskInputException ex)
        {
            return Invalid(ex);
        }
    }

    private static double[,] Rect(double[][] rows, int? columns = null)
    {
        var width = columns ?? (rows.Length == 0 ? 0 : rows[0].Length);
        var result = new double[rows.Length, width];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < width && j < (rows[i]?.Length ?? 0); j++)
            {
                result[i, j] = rows[i][j];
            }
        }
        return result;
    }

    private static IResult Invalid(RiskInputException ex)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in ex.Problems)
        {
            Add(errors, p.Field, p.Message);
        }
        return Problems.Invalid(errors);
    }

    private static void Required(double? value, string field, Dictionary<string, List<string>> errors)
    {
        if (value is null)
        {
            Add(errors, field, "is required");
        }
    }
}

/// <summary>A European option's terms; see the endpoint's description.</summary>
public sealed record OptionAnalyticsRequest(string? Right, double? Spot, double? Strike, double? Rate, double? DividendYield, double? Volatility,
    double? TimeToExpiry, double? Price);

/// <summary>The option's value and Greeks at <paramref name="Volatility"/>, and the volatility its market price implies when one was given.</summary>
public sealed record OptionAnalyticsResponse(string Right, double Volatility, double? ImpliedVolatility, double Price, double Delta, double Gamma,
    double Vega, double VegaPerPercent, double Theta, double ThetaPerCalendarDay, double ThetaPerTradingDay, double Rho, double RhoPerPercent,
    double D1, double D2);

/// <summary>A hypothetical portfolio and its history; see the endpoint's description.</summary>
public sealed record WhatIfVarRequest(string? Method, double? Confidence, int? HorizonDays, double[]? Exposures, double[][]? Prices,
    double[][]? Returns, double[]? DailyVolatilities, double[][]? Correlations, int? Days, string? Scaling, int? Seed, int? Paths);

/// <summary>A VaR and ES figure (losses as positive amounts) and how it was obtained.</summary>
public sealed record VarResponse(string Method, double Confidence, int HorizonDays, double ValueAtRisk, double ExpectedShortfall, string Scaling,
    int Scenarios, int TailScenarios, double JitterAdded)
{
    internal static VarResponse From(VarEstimate e) => new(e.Method.ToString(), e.Confidence, e.HorizonDays, e.ValueAtRisk, e.ExpectedShortfall,
        e.Scaling.ToString(), e.Scenarios, e.TailScenarios, e.JitterAdded);
}

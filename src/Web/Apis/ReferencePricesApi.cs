using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// The per-day store of reference (closing) prices and FX rates under /api/v1/reference-prices/{date} (issue 14 part 3, issue 15): read a
/// day (operations, admins, risk, compliance) and import a day's figures (operations and admins; a dry run first, every field's problem at
/// once, nothing written on any problem, audited). The prices are the one store of daily closes (<see cref="ReferencePriceDay"/>): the close
/// job (<see cref="ReferencePriceCloseJob"/>), the risk CSV import (<see cref="RiskPriceHistoryApi"/>) and the demo history write it too;
/// reports of a past day value positions with them and the VaR's price history reads them.
/// </summary>
public static class ReferencePricesApi
{
    /// <summary>The largest body taken (413 beyond it).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private const string Tag = "Reference prices";

    public static IEndpointRouteBuilder MapReferencePricesApiV1(this IEndpointRouteBuilder app)
    {
        const string one = "/api/v1/reference-prices/{date}";
        app.MapGet(one, GetAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<ReferencePricesDayResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetReferencePrices").WithSummary("A day's stored reference prices and FX rates").WithDescription(
                "date: yyyy-MM-dd, the venue-local trading day. Each price with its instrument's currency and its source: close (the venue's " +
                "closing price the order path set that day), last-trade (the day's last trade), reference (no trade: the reference price in " +
                "force, carried over), import (this PUT, or a risk officer's CSV through POST /api/v1/risk/price-history: the same store of " +
                "daily closes, which the VaR's price history reads too) or demo (the demo data's illustrative history, not market data); who " +
                "stored it and when. Each currency's rates (USD and EUR per unit) " +
                "with their source. 404 when nothing is stored for the day, naming the nearest earlier day that has figures.");
        app.MapPut(one, PutAsync).WithTags(Tag).RequireAuthorization(Policies.ManageReferencePrices)
            .Accepts<ReferencePricesRequest>("application/json").Produces<ReferencePricesImportResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("PutReferencePrices").WithSummary("Import a day's reference prices and FX rates, with a dry run").WithDescription(
                "Body: reason (required, audited), prices [{symbol, price}] (a listed instrument whose venue trades on the day: not its " +
                "weekend, not a holiday of its calendar; not after today on its clock; the price above 0 in its currency with at most its " +
                "venue's price decimals, checked as the risk CSV import checks a close; each symbol once) and " +
                "fxRates [{currency, usdPerUnit, eurPerUnit}] (a currency of the platform's FX table; rates above 0, at most 12 decimals; " +
                "USD's usdPerUnit and EUR's eurPerUnit are 1; each currency once); at least one of them. dryRun=true checks and answers what " +
                "each entry would do (New, Replace with the stored figure and its source, Unchanged) and writes nothing. Otherwise every entry " +
                "is stored (replacing the day's stored figure of the same instrument or currency, whoever stored it: the close job, an earlier " +
                "import through either API, the demo history; the close job never replaces an import) with one audit record " +
                "(reference_prices.imported), in one transaction. Every field's problem is answered at once (400, keyed e.g. 'prices[2].price', " +
                "'fxRates[0].currency') and nothing is written. Entries not sent keep their stored figures.");
        return app;
    }

    private static async Task<IResult> GetAsync(string date, HttpContext http, TradSysDbContext db)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Problems.Invalid("date", $"'{date}' is not a date as yyyy-MM-dd");
        }
        var ct = http.RequestAborted;
        var prices = await db.ReferencePriceDays.AsNoTracking().Where(p => p.Date == day).ToListAsync(ct);
        var rates = await db.DailyFxRates.AsNoTracking().Where(r => r.Date == day).ToListAsync(ct);
        if (prices.Count == 0 && rates.Count == 0)
        {
            var earlierPrice = await db.ReferencePriceDays.AsNoTracking().Where(p => p.Date < day).MaxAsync(p => (DateOnly?)p.Date, ct);
            var earlierRate = await db.DailyFxRates.AsNoTracking().Where(r => r.Date < day).MaxAsync(r => (DateOnly?)r.Date, ct);
            var earlier = new[] { earlierPrice, earlierRate }.Max();
            return Problems.NotFound(earlier is { } e
                ? string.Create(CultureInfo.InvariantCulture, $"no reference prices or FX rates are stored for {day:yyyy-MM-dd}; the nearest earlier day with figures is {e:yyyy-MM-dd}")
                : string.Create(CultureInfo.InvariantCulture, $"no reference prices or FX rates are stored for {day:yyyy-MM-dd} nor any day before it"));
        }
        return TypedResults.Ok(new ReferencePricesDayResponse(day,
            [.. prices.OrderBy(p => p.Symbol, StringComparer.Ordinal).Select(p =>
                new StoredReferencePrice(p.Symbol, Exact.Trim(p.Price), p.Currency, p.Source, p.EnteredBy, p.EnteredAt))],
            [.. rates.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r =>
                new StoredFxRate(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit), r.Source, r.EnteredBy, r.EnteredAt))]));
    }

    private static async Task<IResult> PutAsync(string date, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        ReferenceDataCache referenceData, MarketClock clock, bool? dryRun)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<ReferencePricesRequest>(http, MaxBytes);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var now = clock.UtcNow;
        var latest = referenceData.VenueRows.Keys.Select(c => DateOnly.FromDateTime(referenceData.Venue(c).ToVenueLocal(now.Ticks)))
            .DefaultIfEmpty(DateOnly.FromDateTime(now)).Max();
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var day = ReferencePriceForm.Date(errors, date, latest);
        // Each instrument's day and price are checked as the risk CSV import checks its closes (DailyCloseCheck).
        var facts = new ReferencePriceForm.Facts(symbol => DailyCloseCheck.Find(referenceData, symbol, now),
            referenceData.Fx.Has, referenceData.Fx.Known, latest);
        var (prices, rates) = ReferencePriceForm.Check(errors, request!, day, facts);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var ct = http.RequestAborted;
        var d = day!.Value;
        var symbols = prices.Select(p => p.Symbol).ToList();
        var currencies = rates.Select(r => r.Currency).ToList();
        var storedPrices = await db.ReferencePriceDays.Where(p => p.Date == d && symbols.Contains(p.Symbol)).ToDictionaryAsync(p => p.Symbol, StringComparer.Ordinal, ct);
        var storedRates = await db.DailyFxRates.Where(r => r.Date == d && currencies.Contains(r.Currency)).ToDictionaryAsync(r => r.Currency, StringComparer.Ordinal, ct);

        var priceLines = prices.Select(p => storedPrices.TryGetValue(p.Symbol, out var s)
            ? new ReferencePriceLine(p.Symbol, Exact.Trim(p.Value), s.Price == p.Value ? "Unchanged" : "Replace", Exact.Trim(s.Price), s.Source)
            : new ReferencePriceLine(p.Symbol, Exact.Trim(p.Value), "New", null, null)).ToList();
        var rateLines = rates.Select(r => storedRates.TryGetValue(r.Currency, out var s)
            ? new FxRateLine(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit),
                s.UsdPerUnit == r.UsdPerUnit && s.EurPerUnit == r.EurPerUnit ? "Unchanged" : "Replace", Exact.Trim(s.UsdPerUnit), Exact.Trim(s.EurPerUnit), s.Source)
            : new FxRateLine(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit), "New", null, null, null)).ToList();
        if (dryRun ?? false)
        {
            return TypedResults.Ok(new ReferencePricesImportResponse(true, d, priceLines, rateLines));
        }

        var actor = Caller.From(principal).UserName;
        var at = AuditTrail.Truncate(now);
        foreach (var p in prices)
        {
            if (storedPrices.TryGetValue(p.Symbol, out var s))
            {
                (s.Price, s.Currency, s.Source, s.EnteredBy, s.EnteredAt) = (p.Value, p.Currency, ReferencePriceDay.ImportSource, actor, at);
            }
            else
            {
                db.ReferencePriceDays.Add(new ReferencePriceDay
                {
                    Date = d, Symbol = p.Symbol, Price = p.Value, Currency = p.Currency, Source = ReferencePriceDay.ImportSource, EnteredBy = actor, EnteredAt = at,
                });
            }
        }
        foreach (var r in rates)
        {
            if (storedRates.TryGetValue(r.Currency, out var s))
            {
                (s.UsdPerUnit, s.EurPerUnit, s.Source, s.EnteredBy, s.EnteredAt) = (r.UsdPerUnit, r.EurPerUnit, ReferencePriceDay.ImportSource, actor, at);
            }
            else
            {
                db.DailyFxRates.Add(new DailyFxRate
                {
                    Date = d, Currency = r.Currency, UsdPerUnit = r.UsdPerUnit, EurPerUnit = r.EurPerUnit, Source = ReferencePriceDay.ImportSource,
                    EnteredBy = actor, EnteredAt = at,
                });
            }
        }
        // The figures and their audit record in one transaction: all of the request or none of it.
        await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "reference_prices.imported", string.Create(CultureInfo.InvariantCulture, $"reference-prices/{d:yyyy-MM-dd}"),
            AuditTrail.Serialize(new { reason = request!.Reason!.Trim(), date = d, prices = priceLines, fxRates = rateLines }))], ct);
        return TypedResults.Ok(new ReferencePricesImportResponse(false, d, priceLines, rateLines));
    }
}

/// <summary>A stored reference price: the instrument, the price in its currency, where it came from, who stored it and when.</summary>
public sealed record StoredReferencePrice(string Symbol, decimal Price, string Currency, string Source, string EnteredBy, DateTime EnteredAt);

/// <summary>A stored FX rate of the day: US dollars and euros per unit of the currency, where it came from, who stored it and when.</summary>
public sealed record StoredFxRate(string Currency, decimal UsdPerUnit, decimal EurPerUnit, string Source, string EnteredBy, DateTime EnteredAt);

/// <summary>A day's stored figures.</summary>
public sealed record ReferencePricesDayResponse(DateOnly Date, IReadOnlyList<StoredReferencePrice> Prices, IReadOnlyList<StoredFxRate> FxRates);

/// <summary>What an imported price does: New, Replace (the stored figure and its source) or Unchanged.</summary>
public sealed record ReferencePriceLine(string Symbol, decimal Price, string Action, decimal? StoredPrice, string? StoredSource);

/// <summary>What an imported FX rate does: New, Replace (the stored figures and their source) or Unchanged.</summary>
public sealed record FxRateLine(string Currency, decimal UsdPerUnit, decimal EurPerUnit, string Action, decimal? StoredUsdPerUnit, decimal? StoredEurPerUnit,
    string? StoredSource);

/// <summary>The answer to an import: whether it was a dry run, the day, and what each entry did (or would do).</summary>
public sealed record ReferencePricesImportResponse(bool DryRun, DateOnly Date, IReadOnlyList<ReferencePriceLine> Prices, IReadOnlyList<FxRateLine> FxRates);

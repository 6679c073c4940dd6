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
/// The platform's reference FX rates (<see cref="FxRate"/>, the table <see cref="FxRates"/> converts with) under /api/v1/fx-rates: read the
/// rates in force, or a day's stored rates (<see cref="DailyFxRate"/>, copied at a venue's close or imported with a day's prices), and change
/// one currency's rate (operations and admins, as reference prices). The rates are kept against the US dollar: each currency's pair is
/// CCY/USD (<see cref="FxRate.UsdPerUnit"/>), and its rate in euros is derived from it and EUR/USD, so that converting to euros directly and
/// through dollars give the same figure (<see cref="FxRateForm"/>). A change is versioned (<see cref="FxRateVersion"/>), audited and raises the
/// fx_rates change counter, so the order writer converts the very next order with it and the other nodes follow it.
/// </summary>
public static class FxRatesApi
{
    private const string Tag = "FX rates";

    public static IEndpointRouteBuilder MapFxRatesApiV1(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/fx-rates", GetAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<FxRatesResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetFxRates").WithSummary("The reference FX rates in force, or a day's stored rates").WithDescription(
                "Without date: every currency's rates in force (US dollars and euros per unit), their as-of date and source, and their version " +
                "(0 until a first change through PUT /api/v1/fx-rates/{currency}) with who made it and when. date (yyyy-MM-dd): the rates " +
                "stored for that day (daily_fx_rates: copied from the rates in force at a venue's close, or imported through PUT " +
                "/api/v1/reference-prices/{date}); 404 when none are stored for it.");
        app.MapPut("/api/v1/fx-rates/{currency}", PutAsync).WithTags(Tag).RequireAuthorization(Policies.ManageReferencePrices)
            .Accepts<FxRateRequest>("application/json").Produces<FxRateChangeResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("PutFxRate").WithSummary("Change a currency's reference FX rate (the pair CCY/USD)").WithDescription(
                "currency: upper-case ISO 4217 code of a currency the platform has a rate for, not USD (the pivot: 1 USD is 1 USD). Body: " +
                "usdPerUnit (required: US dollars per unit, above 0, at most 12 decimals, at most 1,000,000), asOf (yyyy-MM-dd, default " +
                "today, not after today), source (at most 256 characters, default 'api: <user>'), reason (required, at most 512, audited). " +
                "The rate in euros is derived: eurPerUnit = usdPerUnit / EUR's usdPerUnit (rounded to 12 decimals). Changing EUR (the " +
                "pair EUR/USD) derives every other currency's eurPerUnit again, and USD's (1 / EUR/USD), in the same transaction. " +
                "dryRun=true answers what would change and writes nothing. Each changed currency gets a new version (before and after, " +
                "who, when, why) and the change one audit record (fx_rates.changed); the order writer converts the very next order with " +
                "the new rates. A rate equal to the one in force writes nothing. Every field's problem at once (400, keyed 'currency', " +
                "'usdPerUnit', 'asOf', 'source', 'reason').");
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, TradSysDbContext db, string? date)
    {
        var ct = http.RequestAborted;
        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return Problems.Invalid("date", $"'{date}' is not a date as yyyy-MM-dd");
            }
            var stored = await db.DailyFxRates.AsNoTracking().Where(r => r.Date == day).ToListAsync(ct);
            if (stored.Count == 0)
            {
                return Problems.NotFound(string.Create(CultureInfo.InvariantCulture, $"no FX rates are stored for {day:yyyy-MM-dd}"));
            }
            return TypedResults.Ok(new FxRatesResponse(day, [.. stored.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r =>
                new FxRateView(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit), day, r.Source, null, r.EnteredBy, r.EnteredAt))]));
        }
        var rates = await db.FxRates.AsNoTracking().ToListAsync(ct);
        var latest = await LatestVersionsAsync(db, ct);
        return TypedResults.Ok(new FxRatesResponse(null, [.. rates.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r =>
        {
            var v = latest.GetValueOrDefault(r.Currency);
            return new FxRateView(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit), r.AsOf, r.Source, v?.Version ?? 0, v?.ChangedBy, v?.ChangedAt);
        })]));
    }

    private static async Task<Dictionary<string, FxRateVersion>> LatestVersionsAsync(TradSysDbContext db, CancellationToken ct)
    {
        var versions = await db.FxRateVersions.AsNoTracking().ToListAsync(ct);
        return versions.GroupBy(v => v.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!, StringComparer.Ordinal);
    }

    private static async Task<IResult> PutAsync(string currency, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        MarketClock clock, bool? dryRun)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<FxRateRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var ct = http.RequestAborted;
        var now = clock.UtcNow;
        var actor = Caller.From(principal).UserName;
        // The rates in the database, not this node's copy: the change is made against what every node will take.
        var stored = await db.FxRates.ToDictionaryAsync(r => r.Currency, StringComparer.Ordinal, ct);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var change = FxRateForm.Check(errors, currency, request!, stored.Values.ToList(), DateOnly.FromDateTime(now), actor);
        if (errors.Count > 0 || change is null)
        {
            return Problems.Invalid(errors);
        }

        var lines = change.Rates.Where(r => r.Changed).Select(r => new FxRateChangeLine(r.Currency, Exact.Trim(r.UsdBefore), Exact.Trim(r.EurBefore),
            Exact.Trim(r.UsdAfter), Exact.Trim(r.EurAfter))).ToList();
        if ((dryRun ?? false) || lines.Count == 0)
        {
            return TypedResults.Ok(new FxRateChangeResponse(dryRun ?? false, change.Currency, change.AsOf, change.Source, lines, []));
        }

        var at = AuditTrail.Truncate(now);
        var latest = await LatestVersionsAsync(db, ct);
        var versions = new List<FxRateVersionView>();
        foreach (var r in change.Rates.Where(r => r.Changed))
        {
            var row = stored[r.Currency];
            row.UsdPerUnit = r.UsdAfter;
            row.EurPerUnit = r.EurAfter;
            // The currency asked for takes the as-of date and source given; a currency whose euro rate was derived again keeps its own
            // as-of date and says where its euro rate now comes from.
            if (r.Currency == change.Currency)
            {
                row.AsOf = change.AsOf;
                row.Source = change.Source;
            }
            var version = (latest.GetValueOrDefault(r.Currency)?.Version ?? 0) + 1;
            db.FxRateVersions.Add(new FxRateVersion
            {
                Currency = r.Currency, Version = version, ChangedAt = at, ChangedBy = actor, Reason = change.Reason,
                UsdPerUnitBefore = r.UsdBefore, EurPerUnitBefore = r.EurBefore, UsdPerUnitAfter = r.UsdAfter, EurPerUnitAfter = r.EurAfter,
                Source = row.Source,
            });
            versions.Add(new FxRateVersionView(r.Currency, version));
        }
        try
        {
            // The rates, their versions and the audit record in one transaction; the fx_rates trigger raises the change counter in it too.
            await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "fx_rates.changed", "fx-rates/" + change.Currency,
                AuditTrail.Serialize(new { reason = change.Reason, currency = change.Currency, asOf = change.AsOf, source = change.Source, changes = lines, versions }))], ct);
        }
        catch (DbUpdateException)
        {
            // The unique (currency, version) index: another change of the same rate was committed between our read and this write.
            return Problems.Conflict($"the rate of {change.Currency} was changed by someone else meanwhile; read it again and retry");
        }
        return TypedResults.Ok(new FxRateChangeResponse(false, change.Currency, change.AsOf, change.Source, lines, versions));
    }
}

/// <summary>A change of one currency's reference FX rate (<c>PUT /api/v1/fx-rates/{currency}</c>).</summary>
/// <param name="UsdPerUnit">US dollars per one unit of the currency (the pair CCY/USD): above 0, at most 12 decimals.</param>
/// <param name="AsOf">The date the rate is for (yyyy-MM-dd); today when absent; not after today.</param>
/// <param name="Source">Where the rate comes from (at most 256 characters); 'api: user' when absent.</param>
/// <param name="Reason">Why it is changed (required, at most 512 characters; audited and kept in the version).</param>
public sealed record FxRateRequest(decimal? UsdPerUnit, string? AsOf, string? Source, string? Reason);

/// <summary>A currency's rates: in force (with version, who and when of its last change through the API) or stored for a day.</summary>
public sealed record FxRateView(string Currency, decimal UsdPerUnit, decimal EurPerUnit, DateOnly AsOf, string Source, int? Version, string? ChangedBy,
    DateTime? ChangedAt);

/// <summary>The rates in force (Date null) or stored for a day.</summary>
public sealed record FxRatesResponse(DateOnly? Date, IReadOnlyList<FxRateView> Rates);

/// <summary>One currency's rates before and after a change.</summary>
public sealed record FxRateChangeLine(string Currency, decimal UsdPerUnitBefore, decimal EurPerUnitBefore, decimal UsdPerUnitAfter, decimal EurPerUnitAfter);

/// <summary>The version a change gave a currency's rate.</summary>
public sealed record FxRateVersionView(string Currency, int Version);

/// <summary>What a change did (or, as a dry run, would do): every currency whose rates changed (none when the rate was already in force).</summary>
public sealed record FxRateChangeResponse(bool DryRun, string Currency, DateOnly AsOf, string Source, IReadOnlyList<FxRateChangeLine> Changes,
    IReadOnlyList<FxRateVersionView> Versions);

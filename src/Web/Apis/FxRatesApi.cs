using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
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
                "/api/v1/reference-prices/{date}); 404 when none are stored for it. base (an upper-case ISO 4217 code with a rate): each " +
                "currency's basePerUnit too, units of the base currency per one unit of it, derived as the platform converts (through " +
                "US dollars: usdPerUnit / the base's usdPerUnit, rounded to 12 decimals; for base EUR, eurPerUnit); 400 keyed 'base' " +
                "for a code without a rate.");
        app.MapPut("/api/v1/fx-rates/{currency}", PutAsync).WithTags(Tag).RequireAuthorization(Policies.ManageReferencePrices)
            .Accepts<FxRateRequest>("application/json").Produces<FxRateChangeResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("PutFxRate").WithSummary("Change a currency's reference FX rate (the pair CCY/USD)").WithDescription(
                "currency: upper-case ISO 4217 code of a currency the platform has a rate for (a new one is added with POST " +
                "/api/v1/fx-rates), not USD (the pivot: 1 USD is 1 USD). Body: " +
                "usdPerUnit (required: US dollars per unit, above 0, at most 12 decimals, at most 1,000,000), asOf (yyyy-MM-dd, default " +
                "today, not after today), source (at most 256 characters, default 'api: <user>'), reason (required, at most 512, audited). " +
                "The rate in euros is derived: eurPerUnit = usdPerUnit / EUR's usdPerUnit (rounded to 12 decimals). Changing EUR (the " +
                "pair EUR/USD) derives every other currency's eurPerUnit again, and USD's (1 / EUR/USD), in the same transaction. " +
                "dryRun=true answers what would change and writes nothing. Each changed currency gets a new version (before and after, " +
                "who, when, why) and the change one audit record (fx_rates.changed); the order writer converts the very next order with " +
                "the new rates. A rate equal to the one in force writes nothing. Every field's problem at once (400, keyed 'currency', " +
                "'usdPerUnit', 'asOf', 'source', 'reason').");
        app.MapPost("/api/v1/fx-rates", AddAsync).WithTags(Tag).RequireAuthorization(Policies.ManageReferencePrices)
            .Accepts<FxRateAddRequest>("application/json").Produces<FxRateChangeResponse>(StatusCodes.Status201Created).Produces<FxRateChangeResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AddFxRateCurrency").WithSummary("Add a currency with its first reference FX rate (the pair CCY/USD)").WithDescription(
                "Body: currency (required: upper-case ISO 4217 code, three letters, of a currency without a rate on the platform; not USD. " +
                "The platform keeps no list of ISO 4217 codes: the format is checked, the code is yours to check, and the dry run shows " +
                "it), usdPerUnit, asOf, source and reason as PUT /api/v1/fx-rates/{currency} takes them. Its rate in euros is derived " +
                "from EUR/USD. dryRun=true answers what would be added (200) and writes nothing; otherwise 201: the rate is stored as " +
                "the currency's version 1 (its rates before 0: it had none) with one audit record (fx_rates.added), and from the next " +
                "order on the currency converts like any other (buying power, credit, exposure; accounts, instruments and cash may " +
                "then use it). A currency with a rate already is refused (400: change it with PUT). Every field's problem at once " +
                "(400, keyed 'currency', 'usdPerUnit', 'asOf', 'source', 'reason').");
        app.MapPost("/api/v1/fx-rates/import", ImportAsync).WithTags(Tag).RequireAuthorization(Policies.ManageReferencePrices)
            .AddOpenApiOperationTransformer(CsvImport.RequestBody("The rates as CSV (" + string.Join(",", FxRateImport.Columns) + "), the header first"))
            .Produces<FxRateImportResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("ImportFxRates").WithSummary("Change and add many currencies' reference FX rates from a CSV file, with a dry run").WithDescription(
                "Body: a CSV file (Content-Type: text/csv; RFC 4180, UTF-8) whose first line names its columns, each a field of " +
                "PutFxRate by its JSON name, in any order: " + string.Join(",", FxRateImport.Columns) + ". Required columns: " +
                string.Join(", ", FxRateImport.RequiredColumns) + ". One line per currency, checked as PUT /api/v1/fx-rates/{currency} " +
                "checks one rate, except that a currency without a rate is added by its line (as POST /api/v1/fx-rates). A cell left " +
                "empty is not on file (asOf: today; source: 'import: <user>'); amounts with a dot. reason (query) stands for an empty " +
                "reason cell. The euro rates are derived from EUR/USD after the whole file (a line for EUR derives every euro rate " +
                "again). dryRun (default true) answers what each line would do (Add, Change, Unchanged) and every rate that would " +
                "change, writing nothing; dryRun=false applies every line or none, in one transaction: each changed currency a new " +
                "version and each line one audit record as PUT and POST write them (fx_rates.changed, fx_rates.added), plus an " +
                "fx_rates.imported record; the order writer converts the very next order with the new rates. A file whose every rate " +
                "is in force already writes nothing. Any problem answers 400 listing every line's problems at once (errors keyed 'line " +
                "N: column', and problems: [{line, column, message}]; the header is line 1); 409 when a rate was changed by someone " +
                "else between the check and the write. At most 256 KiB (413) and 300 lines (400).");
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, TradSysDbContext db, string? date, [FromQuery(Name = "base")] string? baseCurrency)
    {
        var ct = http.RequestAborted;
        DateOnly? day = null;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (date is not null)
        {
            if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                day = d;
            }
            else
            {
                FieldProblems.Add(errors, "date", $"'{date}' is not a date as yyyy-MM-dd");
            }
        }
        var baseCode = FieldProblems.Clean(baseCurrency);
        if (baseCurrency is not null && !FieldProblems.IsCurrencyCode(baseCode))
        {
            FieldProblems.Add(errors, "base", $"'{baseCurrency}' is not an upper-case ISO 4217 code (three letters, e.g. EGP)");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        List<FxRateView> views;
        if (day is { } asked)
        {
            var stored = await db.DailyFxRates.AsNoTracking().Where(r => r.Date == asked).ToListAsync(ct);
            if (stored.Count == 0)
            {
                return Problems.NotFound(string.Create(CultureInfo.InvariantCulture, $"no FX rates are stored for {asked:yyyy-MM-dd}"));
            }
            views = [.. stored.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r =>
                new FxRateView(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit), asked, r.Source, null, r.EnteredBy, r.EnteredAt))];
        }
        else
        {
            var rates = await db.FxRates.AsNoTracking().ToListAsync(ct);
            var latest = await LatestVersionsAsync(db, ct);
            views = [.. rates.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r =>
            {
                var v = latest.GetValueOrDefault(r.Currency);
                return new FxRateView(r.Currency, Exact.Trim(r.UsdPerUnit), Exact.Trim(r.EurPerUnit), r.AsOf, r.Source, v?.Version ?? 0, v?.ChangedBy, v?.ChangedAt);
            })];
        }
        if (baseCode is null)
        {
            return TypedResults.Ok(new FxRatesResponse(day, views));
        }
        var pivot = views.FirstOrDefault(v => v.Currency == baseCode);
        if (pivot is null)
        {
            return Problems.Invalid("base", $"'{baseCode}' has no rate {(day is null ? "on the platform" : "stored for that day")} (known: " +
                string.Join(", ", views.Select(v => v.Currency)) + ")");
        }
        // Units of the base currency per one unit of each currency, as FxRates.Convert converts one unit into it: directly with the euro
        // rate for EUR, otherwise through US dollars; rounded to the 12 decimals the rates are kept with.
        return TypedResults.Ok(new FxRatesResponse(day, [.. views.Select(v => v with
        {
            BasePerUnit = Exact.Trim(v.Currency == baseCode ? 1m
                : baseCode == "EUR" ? v.EurPerUnit
                : decimal.Round(v.UsdPerUnit / pivot.UsdPerUnit, FxRateForm.Decimals)),
        })], baseCode));
    }

    private static async Task<Dictionary<string, FxRateVersion>> LatestVersionsAsync(TradSysDbContext db, CancellationToken ct)
    {
        var versions = await db.FxRateVersions.AsNoTracking().ToListAsync(ct);
        return versions.GroupBy(v => v.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(v => v.Version)!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Checks and makes (or, as a dry run, answers) one currency's change (PUT, <paramref name="mode"/> Change) or first rate (POST, Add): the
    /// body is read here for PUT, given for POST.
    /// </summary>
    private static async Task<IResult> ChangeAsync(string? currency, FxRateForm.Mode mode, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db,
        AuditTrail audit, MarketClock clock, bool? dryRun, FxRateRequest? given = null)
    {
        var request = given;
        if (request is null)
        {
            var (read, bodyProblem) = await RequestBody.ReadAsync<FxRateRequest>(http);
            if (bodyProblem is not null)
            {
                return bodyProblem;
            }
            request = read;
        }
        var ct = http.RequestAborted;
        var now = clock.UtcNow;
        var actor = Caller.From(principal).UserName;
        // The rates in the database, not this node's copy: the change is made against what every node will take.
        var stored = await db.FxRates.ToDictionaryAsync(r => r.Currency, StringComparer.Ordinal, ct);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var change = FxRateForm.Check(errors, currency ?? "", request!, [.. stored.Values], DateOnly.FromDateTime(now), actor, mode);
        if (errors.Count > 0 || change is null)
        {
            return Problems.Invalid(errors);
        }

        var lines = ChangeLines(change.Rates);
        if ((dryRun ?? false) || lines.Count == 0)
        {
            return TypedResults.Ok(new FxRateChangeResponse(dryRun ?? false, change.Currency, change.AsOf, change.Source, lines, []));
        }

        var at = AuditTrail.Truncate(now);
        var entry = new FxRateForm.Entry(change.Currency, change.Rates.Single(r => r.Currency == change.Currency).UsdAfter, change.AsOf, change.Source,
            change.Reason, !stored.ContainsKey(change.Currency));
        var versions = await StageAsync(db, stored, change.Rates, [entry], actor, at, ct);
        try
        {
            // The rates, their versions and the audit record in one transaction; the fx_rates trigger raises the change counter in it too.
            await audit.SaveWithAsync(db, [ChangeAudit(at, actor, entry, lines, versions)], ct);
        }
        catch (DbUpdateException)
        {
            // The unique (currency, version) index, or the currency's key for one being added: another change of the same rate was
            // committed between our read and this write.
            return Problems.Conflict($"the rate of {change.Currency} was changed by someone else meanwhile; read it again and retry");
        }
        var response = new FxRateChangeResponse(false, change.Currency, change.AsOf, change.Source, lines, versions);
        return entry.IsNew ? TypedResults.Created("/api/v1/fx-rates", response) : TypedResults.Ok(response);
    }

    private static Task<IResult> PutAsync(string currency, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        MarketClock clock, bool? dryRun) => ChangeAsync(currency, FxRateForm.Mode.Change, http, principal, db, audit, clock, dryRun);

    private static async Task<IResult> AddAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        MarketClock clock, bool? dryRun)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<FxRateAddRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var r = request!;
        return await ChangeAsync(r.Currency, FxRateForm.Mode.Add, http, principal, db, audit, clock, dryRun,
            new FxRateRequest(r.UsdPerUnit, r.AsOf, r.Source, r.Reason));
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit, MarketClock clock,
        bool? dryRun, string? reason)
    {
        var (csv, bodyProblem) = await RequestBody.ReadTextAsync(http, FxRateImport.MaxBytes, "text/csv");
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var ct = http.RequestAborted;
        var now = clock.UtcNow;
        var actor = Caller.From(principal).UserName;
        var stored = await db.FxRates.ToDictionaryAsync(r => r.Currency, StringComparer.Ordinal, ct);
        var (plan, problems) = FxRateImport.Read(csv!, FieldProblems.Clean(reason), [.. stored.Values], DateOnly.FromDateTime(now), actor);
        if (plan is null)
        {
            return CsvImport.Answer(StatusCodes.Status400BadRequest, "The file is not valid: nothing was imported", problems,
                "correct them and send the whole file again");
        }
        var rates = plan.Rates.ToDictionary(r => r.Currency, StringComparer.Ordinal);
        var changes = ChangeLines(plan.Rates);
        var dry = dryRun ?? true;
        if (dry || changes.Count == 0)
        {
            return TypedResults.Ok(ImportResponse(dry, plan, rates, changes, []));
        }

        var at = AuditTrail.Truncate(now);
        var entries = plan.Entries.Select(e => e.Entry).ToList();
        var versions = await StageAsync(db, stored, plan.Rates, entries, actor, at, ct);
        // One record per line that changes its currency, as PUT writes one per change (a line for EUR with the euro rates it derives again
        // for currencies the file does not name), and one for the import.
        var inFile = entries.Select(e => e.Currency).ToHashSet(StringComparer.Ordinal);
        var records = new List<AuditEntry>();
        foreach (var entry in entries.Where(e => rates[e.Currency].Changed))
        {
            bool Own(string currency) => currency == entry.Currency || (entry.Currency == "EUR" && !inFile.Contains(currency));
            records.Add(ChangeAudit(at, actor, entry, [.. changes.Where(c => Own(c.Currency))], [.. versions.Where(v => Own(v.Currency))]));
        }
        var response = ImportResponse(false, plan, rates, changes, versions);
        records.Add(new AuditEntry(at, actor, "fx_rates.imported", "fx-rates", AuditTrail.Serialize(new
        {
            reason = FieldProblems.Clean(reason), lines = plan.Entries.Count, added = response.Added, changed = response.Changed, unchanged = response.Unchanged,
            versions,
        })));
        try
        {
            // Every line or none: the rates, their versions and the audit records in one transaction (the trigger raises the counter once).
            await audit.SaveWithAsync(db, records, ct);
        }
        catch (DbUpdateException)
        {
            return CsvImport.Answer(StatusCodes.Status409Conflict, "Changed since the file was checked: nothing was imported",
                [new CsvImport.Problem(0, "file", "a rate the file changes was changed by someone else meanwhile")], "run the dry run again and send the file again");
        }
        return TypedResults.Ok(response);
    }

    private static FxRateImportResponse ImportResponse(bool dryRun, FxRateImport.Plan plan, Dictionary<string, FxRateForm.Rate> rates,
        List<FxRateChangeLine> changes, List<FxRateVersionView> versions)
    {
        var lines = plan.Entries.Select(e =>
        {
            var r = rates[e.Entry.Currency];
            var action = r.Added ? "Add" : r.Changed ? "Change" : "Unchanged";
            var version = versions.FirstOrDefault(v => v.Currency == e.Entry.Currency)?.Version;
            return new FxRateImportLine(e.Line, e.Entry.Currency, action, Exact.Trim(r.UsdBefore), Exact.Trim(r.UsdAfter), Exact.Trim(r.EurAfter),
                e.Entry.AsOf, e.Entry.Source, version);
        }).ToList();
        return new FxRateImportResponse(dryRun, lines.Count(l => l.Action == "Add"), lines.Count(l => l.Action == "Change"),
            lines.Count(l => l.Action == "Unchanged"), lines, changes, versions);
    }

    private static List<FxRateChangeLine> ChangeLines(IEnumerable<FxRateForm.Rate> rates) => [.. rates.Where(r => r.Changed).Select(r =>
        new FxRateChangeLine(r.Currency, Exact.Trim(r.UsdBefore), Exact.Trim(r.EurBefore), Exact.Trim(r.UsdAfter), Exact.Trim(r.EurAfter)))];

    private static AuditEntry ChangeAudit(DateTime at, string actor, FxRateForm.Entry entry, List<FxRateChangeLine> lines, List<FxRateVersionView> versions) =>
        new(at, actor, entry.IsNew ? "fx_rates.added" : "fx_rates.changed", "fx-rates/" + entry.Currency, AuditTrail.Serialize(new
        {
            reason = entry.Reason, currency = entry.Currency, asOf = entry.AsOf, source = entry.Source, changes = lines, versions,
        }));

    /// <summary>
    /// Applies every changed rate to the tracked rows (adding a row for a currency that had none), each with a new version: the currency
    /// asked for takes its entry's as-of date, source and reason; a currency whose euro rate was derived again (an entry for EUR) keeps its
    /// own as-of date and source and takes EUR's reason. A new currency's version 1 has 0 as its rates before (it had none).
    /// </summary>
    private static async Task<List<FxRateVersionView>> StageAsync(TradSysDbContext db, Dictionary<string, FxRate> stored, IEnumerable<FxRateForm.Rate> rates,
        IReadOnlyList<FxRateForm.Entry> entries, string actor, DateTime at, CancellationToken ct)
    {
        var asked = entries.ToDictionary(e => e.Currency, StringComparer.Ordinal);
        var derivedReason = asked.GetValueOrDefault("EUR")?.Reason ?? "";
        var latest = await LatestVersionsAsync(db, ct);
        var versions = new List<FxRateVersionView>();
        foreach (var r in rates.Where(r => r.Changed))
        {
            var entry = asked.GetValueOrDefault(r.Currency);
            if (!stored.TryGetValue(r.Currency, out var row))
            {
                row = new FxRate { Currency = r.Currency, Source = entry!.Source };
                db.FxRates.Add(row);
                stored[r.Currency] = row;
            }
            row.UsdPerUnit = r.UsdAfter;
            row.EurPerUnit = r.EurAfter;
            if (entry is not null)
            {
                row.AsOf = entry.AsOf;
                row.Source = entry.Source;
            }
            var version = (latest.GetValueOrDefault(r.Currency)?.Version ?? 0) + 1;
            db.FxRateVersions.Add(new FxRateVersion
            {
                Currency = r.Currency, Version = version, ChangedAt = at, ChangedBy = actor, Reason = entry?.Reason ?? derivedReason,
                UsdPerUnitBefore = r.UsdBefore ?? 0, EurPerUnitBefore = r.EurBefore ?? 0, UsdPerUnitAfter = r.UsdAfter, EurPerUnitAfter = r.EurAfter,
                Source = row.Source,
            });
            versions.Add(new FxRateVersionView(r.Currency, version));
        }
        return versions;
    }
}

/// <summary>A change of one currency's reference FX rate (<c>PUT /api/v1/fx-rates/{currency}</c>).</summary>
/// <param name="UsdPerUnit">US dollars per one unit of the currency (the pair CCY/USD): above 0, at most 12 decimals.</param>
/// <param name="AsOf">The date the rate is for (yyyy-MM-dd); today when absent; not after today.</param>
/// <param name="Source">Where the rate comes from (at most 256 characters); 'api: user' when absent.</param>
/// <param name="Reason">Why it is changed (required, at most 512 characters; audited and kept in the version).</param>
public sealed record FxRateRequest(decimal? UsdPerUnit, string? AsOf, string? Source, string? Reason);

/// <summary>A currency added with its first reference FX rate (<c>POST /api/v1/fx-rates</c>): the fields of <see cref="FxRateRequest"/> and the currency.</summary>
/// <param name="Currency">Upper-case ISO 4217 code (three letters) of a currency without a rate on the platform.</param>
/// <param name="UsdPerUnit">US dollars per one unit of the currency (the pair CCY/USD): above 0, at most 12 decimals.</param>
/// <param name="AsOf">The date the rate is for (yyyy-MM-dd); today when absent; not after today.</param>
/// <param name="Source">Where the rate comes from (at most 256 characters); 'api: user' when absent.</param>
/// <param name="Reason">Why the currency is added (required, at most 512 characters; audited and kept in the version).</param>
public sealed record FxRateAddRequest(string? Currency, decimal? UsdPerUnit, string? AsOf, string? Source, string? Reason);

/// <summary>
/// A currency's rates: in force (with version, who and when of its last change through the API) or stored for a day; with ?base=, BasePerUnit
/// is the units of the base currency per one unit of this one (derived through US dollars; for base EUR, the euro rate), null otherwise.
/// </summary>
public sealed record FxRateView(string Currency, decimal UsdPerUnit, decimal EurPerUnit, DateOnly AsOf, string Source, int? Version, string? ChangedBy,
    DateTime? ChangedAt, decimal? BasePerUnit = null);

/// <summary>The rates in force (Date null) or stored for a day; with ?base=, the base currency each rate's BasePerUnit is in.</summary>
public sealed record FxRatesResponse(DateOnly? Date, IReadOnlyList<FxRateView> Rates, string? Base = null);

/// <summary>One currency's rates before (null for a currency the change adds) and after a change.</summary>
public sealed record FxRateChangeLine(string Currency, decimal? UsdPerUnitBefore, decimal? EurPerUnitBefore, decimal UsdPerUnitAfter, decimal EurPerUnitAfter);

/// <summary>The version a change gave a currency's rate.</summary>
public sealed record FxRateVersionView(string Currency, int Version);

/// <summary>What a change did (or, as a dry run, would do): every currency whose rates changed (none when the rate was already in force).</summary>
public sealed record FxRateChangeResponse(bool DryRun, string Currency, DateOnly AsOf, string Source, IReadOnlyList<FxRateChangeLine> Changes,
    IReadOnlyList<FxRateVersionView> Versions);

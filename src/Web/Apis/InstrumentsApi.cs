using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>What a delisting did: the instrument as delisted and the working orders it canceled.</summary>
public sealed record DelistResponse(InstrumentDetailResponse Instrument, IReadOnlyList<long> CanceledOrderIds);

/// <summary>
/// Listings under /api/v1/instruments (issue 14): list an instrument, replace its listing data and delist it (operations and admins),
/// read its listing data and its versions (every role). Each request is checked field by field (<see cref="InstrumentForm"/>) and changes
/// nothing when any field is wrong. The change itself is a command of the order writer (<see cref="ListingCommands"/>): committed with
/// its version and audit record before the answer, and in force for the very next order, without a restart: a listed instrument trades
/// as soon as the call returns, an edit counts from the next order, a delisted one takes no more orders. The read-only list and the
/// trader's view of an instrument stay in <see cref="ReferenceDataApi"/>.
/// </summary>
public static class InstrumentsApi
{
    /// <summary>What makes sending a replacement (an instrument's or a venue calendar's) again safe after a forwarded one's outcome was lost.</summary>
    internal const string EditResend = "a change already made and sent again with the same data changes nothing (with If-Match: 412, " +
        "the version has moved on; read it again to see the change)";

    public static IEndpointRouteBuilder MapInstrumentsApiV1(this IEndpointRouteBuilder app)
    {
        const string fields =
            "Body: symbol (1-16 upper-case letters, digits, '.' or '-'), isin (ISO 6166, check digit verified), name, nameAr, venue (a venue " +
            "code; its tick table and price decimals apply), currency (ISO 4217, with a platform FX rate), sector (a code of the fixed sector " +
            "classification, docs/sectors.md), lotSize (1-1,000,000), referencePrice (on the venue's tick table; set at listing, then by the " +
            "close), issuedShares, averageDailyVolume, isOnShortSellEligibleList, foreignOwnershipLimitPct (0-100, default 100), " +
            "foreignHoldingPct, isComplex, isLiquid, isRestricted, isOnThresholdList, isUsSource, isInterestBearing, isDerivative, isOtc, " +
            "assetClass, underlyingIsin and expiresOn (a derivative's, required with isDerivative), priceMultiplier (default 1), " +
            "tradedOnEuVenue, firdsCheckedOn, nextFinancialStatementsOn, reportingSource, sharia {totalDebt, " +
            "cashAndInterestBearingSecurities, receivables, nonPermissibleIncome, totalRevenue, marketCap, averageMarketCap36M, totalAssets, " +
            "reportingCurrency and asOf (both required with any figure), source}, and reason (required). A field left out is not on file. " +
            "Every field's problem is answered at once (400) and nothing is stored.";
        app.MapPost("/api/v1/instruments/import", ImportAsync).ForwardedToTheWriter(
                "a dry run changes nothing; a file already imported and sent again is checked again against the instruments as they are " +
                "now: a line it listed or changed is now the same data and changes nothing, so the file answers 200 with every line " +
                "Unchanged (unchanged: the count) and writes no version and no audit record (a line with a version column that changed " +
                "its instrument is refused, 400: its version has moved on)").WithTags("Listings").RequireAuthorization(Policies.ManageInstruments)
            .AddOpenApiOperationTransformer(CsvImport.RequestBody("The listings as CSV, the header first")).Produces<InstrumentImportResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ImportInstruments").WithSummary("List and change many instruments from a CSV file, with a dry run").WithDescription(
                "Body: a CSV file (Content-Type: text/csv; RFC 4180, UTF-8) whose first line names its columns, each a field of " +
                "ListInstrument by its JSON name (the Sharia inputs as sharia.totalDebt ...), in any order: " +
                string.Join(",", InstrumentImport.Columns) + ". Required columns: " + string.Join(", ", InstrumentImport.RequiredColumns) +
                ". A line whose symbol is not listed lists it (as ListInstrument); a line whose symbol is listed replaces its fields (as " +
                "ReplaceInstrument: every field, symbol, venue, currency and referencePrice as read or empty; version, if given, must be its " +
                "current version). A cell left empty is not on file; true/false, numbers with a dot, dates as yyyy-MM-dd. reason (query) " +
                "stands for an empty reason cell. dryRun (default true) checks every line and answers what each would do (List, Change with " +
                "the changed fields, Unchanged), writing nothing; dryRun=false applies every line or none, in one batch of the order writer, " +
                "each line versioned and audited as the single calls are, plus an instrument.imported record. A file whose every line " +
                "is what is listed already (the same file sent again) writes nothing at all, no version and no instrument.imported record, " +
                "and answers 200 with each line Unchanged and the counts listed 0, changed 0, unchanged the number of lines. Any problem answers 400 " +
                "listing every line's problems at once (errors keyed 'line N: column', and problems: [{line, column, message}]; the header " +
                "is line 1); 409 when a line can no longer be applied (listed or changed since the check). At most 1 MiB (413) and 500 " +
                "lines (400).");
        const string one = "/api/v1/instruments/{symbol}";
        app.MapPost("/api/v1/instruments", ListAsync).ForwardedToTheWriter(
                "a symbol already listed is refused (400 naming it), never listed twice (GET /api/v1/instruments/{symbol}/listing shows it)").WithTags("Listings").RequireAuthorization(Policies.ManageInstruments)
            .Accepts<InstrumentRequest>("application/json").Produces<InstrumentDetailResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ListInstrument").WithSummary("List a new instrument: it trades as soon as this returns").WithDescription(
                fields + " The listing is committed (version 1, audited) and the order books rebuilt with the new one before the answer; its " +
                "book opens in the venue's current phase. Platforms with several nodes: the other nodes take it at their next start.");
        app.MapGet(one + "/listing", GetAsync).WithTags("Listings").RequireAuthorization(Policies.Read).Produces<InstrumentDetailResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetInstrumentListing").WithSummary("An instrument's listing data, status and version").WithDescription(
                "Every listing field, the status (Trading, Halted, Suspended, Delisted), the version, the venue's tick table and phase; the ETag " +
                "header is the version to send back in If-Match when replacing it.");
        app.MapPut(one, ReplaceAsync).ForwardedToTheWriter(EditResend).WithTags("Listings").RequireAuthorization(Policies.ManageInstruments).Accepts<InstrumentRequest>("application/json")
            .Produces<InstrumentDetailResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ReplaceInstrument").WithSummary("Change an instrument's listing data, with a reason").WithDescription(
                fields + " Send every field (start from GET .../listing): this replaces them all. symbol, venue, currency and referencePrice " +
                "cannot change (send them as read or leave them out). With If-Match (the ETag of GET .../listing), an instrument changed in " +
                "between gets 412. A change stores a new version and counts from the very next order; the same data changes nothing. A " +
                "delisted instrument is not changed (409).");
        app.MapPost(one + "/delist", DelistAsync).ForwardedToTheWriter(
                "an instrument already delisted is refused (409), never delisted twice").WithTags("Listings").RequireAuthorization(Policies.ManageInstruments).Accepts<DelistRequest>("application/json")
            .Produces<DelistResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("DelistInstrument").WithSummary("Delist an instrument, with a reason: no new orders; its working orders are canceled").WithDescription(
                "Body: reason (required). From the very next order the instrument is refused at validation ('is Delisted and takes no " +
                "orders'); its working orders are canceled in the same commit, each with the delisting as its reason (listed in " +
                "canceledOrderIds); orders held for review stay held and are refused if released. A new version is stored and audited. " +
                "If-Match as for PUT.");
        app.MapGet(one + "/history", HistoryAsync).WithTags("Listings").RequireAuthorization(Policies.Read)
            .Produces<IReadOnlyList<InstrumentVersionResponse>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListInstrumentVersions").WithSummary("An instrument's versions, newest first: who changed what, when and why").WithDescription(
                "Each version with the fields it changed and the instrument before and after. An instrument listed before versions were kept " +
                "(the demo instruments) has none until its first change, whose 'before' is the state it had.");
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, TimeProvider clock,
        ReferenceDataCache referenceData, OrderWriter writer, bool? dryRun, string? reason)
    {
        var (csv, bodyProblem) = await RequestBody.ReadTextAsync(http, InstrumentImport.MaxBytes, "text/csv");
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var (rows, problems) = InstrumentImport.Read(csv!, reason);
        var plan = new List<(InstrumentImport.Row Row, ImportedListing Listing, InstrumentImportLine Line)>(rows.Count);
        if (rows.Count > 0)
        {
            plan = await PlanImportAsync(rows, problems, db, clock, referenceData, http.RequestAborted);
        }
        if (problems.Count > 0)
        {
            return ImportProblems(StatusCodes.Status400BadRequest, "The file is not valid: nothing was imported",
                problems, "correct them and send the whole file again");
        }
        if (dryRun ?? true)
        {
            return TypedResults.Ok(ImportResponse(true, [.. plan.Select(p => p.Line)]));
        }
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new ImportInstrumentsCommand(Caller.From(principal).UserName, [.. plan.Select(p => p.Listing)]),
                http.RequestAborted);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.Unavailable(ex.Message);
        }
        var listing = result.Listing!;
        if (listing.Refusal != ListingRefusal.None)
        {
            return ImportProblems(StatusCodes.Status409Conflict, "Changed since the file was checked: nothing was imported",
                [.. listing.Lines!.Select(l => new InstrumentImportProblem(l.Line, "symbol", l.Problem!))], "run the dry run again and send the file again");
        }
        return TypedResults.Ok(ImportResponse(false, [.. listing.Lines!.Select(l => new InstrumentImportLine(l.Line, l.Row!.Symbol,
            plan.Single(p => p.Listing.Line == l.Line).Listing.IsNew ? "List" : l.Changed ? "Change" : "Unchanged",
            plan.Single(p => p.Listing.Line == l.Line).Line.ChangedFields, l.Version))]));
    }

    private static InstrumentImportResponse ImportResponse(bool dryRun, List<InstrumentImportLine> lines) => new(dryRun,
        lines.Count(l => l.Action == "List"), lines.Count(l => l.Action == "Change"), lines.Count(l => l.Action == "Unchanged"), lines);

    private static IResult ImportProblems(int status, string title, IEnumerable<InstrumentImportProblem> problems, string then) =>
        CsvImport.Answer(status, title, problems.Select(p => new CsvImport.Problem(p.Line, p.Column, p.Message)), then);

    /// <summary>
    /// Checks every read line (<see cref="InstrumentForm.Check"/>, as a listing when its symbol is not listed and as a replacement
    /// when it is) and works out what it would do; adds each problem with its line and column.
    /// </summary>
    private static async Task<List<(InstrumentImport.Row Row, ImportedListing Listing, InstrumentImportLine Line)>> PlanImportAsync(
        List<InstrumentImport.Row> rows, List<InstrumentImportProblem> problems, TradSysDbContext db, TimeProvider clock,
        ReferenceDataCache referenceData, CancellationToken ct)
    {
        var symbols = rows.Select(r => r.Request.Symbol?.Trim()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var listed = (await db.Instruments.AsNoTracking().Where(i => symbols.Contains(i.Symbol)).ToListAsync(ct))
            .ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        var versions = (await db.InstrumentVersions.AsNoTracking().Where(v => symbols.Contains(v.Symbol)).GroupBy(v => v.Symbol)
            .Select(g => new { Symbol = g.Key, Version = g.Max(v => v.Version) }).ToListAsync(ct)).ToDictionary(v => v.Symbol, v => v.Version, StringComparer.Ordinal);
        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var plan = new List<(InstrumentImport.Row, ImportedListing, InstrumentImportLine)>(rows.Count);
        foreach (var row in rows)
        {
            var r = row.Request;
            var symbol = r.Symbol?.Trim() ?? "";
            var current = listed.GetValueOrDefault(symbol);
            var version = versions.GetValueOrDefault(symbol);
            var lineProblems = new List<InstrumentImportProblem>();
            if (symbol.Length > 0 && firstLineOf.TryGetValue(symbol, out var first))
            {
                lineProblems.Add(new(row.Line, "symbol", string.Create(CultureInfo.InvariantCulture, $"{symbol} is on line {first} already: one line per instrument")));
            }
            else if (symbol.Length > 0)
            {
                firstLineOf[symbol] = row.Line;
            }
            if (current is { Status: InstrumentStatus.Delisted })
            {
                lineProblems.Add(new(row.Line, "symbol", $"{symbol} is delisted: it is not changed (list a new symbol)"));
            }
            if (r.Version is { } expected && (current is null ? expected != 0 : expected != version))
            {
                lineProblems.Add(new(row.Line, "version", current is null
                    ? string.Create(CultureInfo.InvariantCulture, $"is {expected} but {symbol} is not listed: leave it empty for a new listing")
                    : string.Create(CultureInfo.InvariantCulture, $"is {expected} but {symbol} is at version {version}: it was changed since; read it again")));
            }
            var errors = InstrumentForm.Check(r, FactsFor(current, s => listed.ContainsKey(s) || referenceData.TryGet(s, out _), referenceData, clock));
            foreach (var (field, messages) in errors)
            {
                if (!row.UnreadColumns.Contains(field))
                {
                    lineProblems.AddRange(messages.Select(m => new InstrumentImportProblem(row.Line, field, m)));
                }
            }
            if (lineProblems.Count > 0 || row.UnreadColumns.Count > 0)
            {
                problems.AddRange(lineProblems);
                continue;
            }
            var reason = r.Reason!.Trim();
            if (current is null)
            {
                var fresh = new Instrument { Symbol = "", Isin = "", Name = "", VenueCode = "", Currency = "", Sector = "" };
                InstrumentForm.Apply(r, fresh, listing: true);
                plan.Add((row, new ImportedListing(row.Line, fresh, IsNew: true, reason, null),
                    new InstrumentImportLine(row.Line, fresh.Symbol, "List", [.. InstrumentForm.Snapshot(fresh).Select(p => p.Key).Where(k => k is not ("symbol" or "status"))], 1)));
                continue;
            }
            var edited = InstrumentForm.Clone(current);
            InstrumentForm.Apply(r, edited, listing: false);
            var changed = InstrumentForm.Changed(InstrumentForm.Snapshot(current), InstrumentForm.Snapshot(edited));
            plan.Add((row, new ImportedListing(row.Line, edited, IsNew: false, reason, r.Version ?? version),
                new InstrumentImportLine(row.Line, current.Symbol, changed.Count == 0 ? "Unchanged" : "Change", changed,
                    changed.Count == 0 ? version : version + 1)));
        }
        return plan;
    }

    private static async Task<IResult> GetAsync(string symbol, HttpContext http, TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock)
    {
        var row = await db.Instruments.AsNoTracking().SingleOrDefaultAsync(i => i.Symbol == symbol, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        var version = await VersionOfAsync(db, row.Symbol, http.RequestAborted);
        http.Response.Headers.ETag = VersionTags.ETagOf(version);
        return TypedResults.Ok(Detail(row, version, referenceData, clock));
    }

    private static async Task<IResult> HistoryAsync(string symbol, HttpContext http, TradSysDbContext db)
    {
        if (!await db.Instruments.AnyAsync(i => i.Symbol == symbol, http.RequestAborted))
        {
            return Problems.NotFound($"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        var rows = await db.InstrumentVersions.AsNoTracking().Where(v => v.Symbol == symbol).OrderByDescending(v => v.Version)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(v => new InstrumentVersionResponse(v.Version, v.ChangedAt, v.ChangedBy, v.Reason, v.ChangedFields,
            v.Before is null ? null : JsonDocument.Parse(v.Before).RootElement.Clone(), JsonDocument.Parse(v.After).RootElement.Clone())).ToList());
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, TimeProvider clock,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock marketClock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<InstrumentRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var r = request!;
        var symbol = r.Symbol?.Trim() ?? "";
        var inDatabase = symbol.Length > 0 && await db.Instruments.AnyAsync(i => i.Symbol == symbol, http.RequestAborted);
        var errors = InstrumentForm.Check(r, FactsFor(null, s => inDatabase || referenceData.TryGet(s, out _), referenceData, clock));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var row = new Instrument { Symbol = "", Isin = "", Name = "", VenueCode = "", Currency = "", Sector = "" };
        InstrumentForm.Apply(r, row, listing: true);
        var (result, problem) = await SendAsync(writer, new ListInstrumentCommand(Caller.From(principal).UserName, row, r.Reason!.Trim()), http);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = VersionTags.ETagOf(result!.Version);
        return TypedResults.Created($"/api/v1/instruments/{row.Symbol}/listing", Detail(result.Row!, result.Version, referenceData, marketClock));
    }

    private static async Task<IResult> ReplaceAsync(string symbol, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, TimeProvider clock,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock marketClock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<InstrumentRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var current = await db.Instruments.AsNoTracking().SingleOrDefaultAsync(i => i.Symbol == symbol, http.RequestAborted);
        if (current is null)
        {
            return Problems.NotFound($"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        if (VersionTags.IfMatch(http, "this instrument", "GET /api/v1/instruments/{symbol}/listing", out var expected) is { } preconditionProblem)
        {
            return preconditionProblem;
        }
        var r = request!;
        var errors = InstrumentForm.Check(r, FactsFor(current, _ => true, referenceData, clock));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var row = InstrumentForm.Clone(current);
        InstrumentForm.Apply(r, row, listing: false);
        var (result, problem) = await SendAsync(writer, new EditInstrumentCommand(Caller.From(principal).UserName, row, r.Reason!.Trim(), expected), http);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = VersionTags.ETagOf(result!.Version);
        return TypedResults.Ok(Detail(result.Row!, result.Version, referenceData, marketClock));
    }

    private static async Task<IResult> DelistAsync(string symbol, HttpContext http, ClaimsPrincipal principal, ReferenceDataCache referenceData,
        OrderWriter writer, MarketClock marketClock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<DelistRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (VersionTags.IfMatch(http, "this instrument", "GET /api/v1/instruments/{symbol}/listing", out var expected) is { } preconditionProblem)
        {
            return preconditionProblem;
        }
        var errors = InstrumentForm.CheckReason(request!.Reason);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var (result, problem) = await SendAsync(writer, new DelistInstrumentCommand(Caller.From(principal).UserName, symbol, request.Reason!.Trim(), expected), http);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = VersionTags.ETagOf(result!.Version);
        return TypedResults.Ok(new DelistResponse(Detail(result.Row!, result.Version, referenceData, marketClock), result.Canceled ?? []));
    }

    /// <summary>Sends a listing command to the order writer; the problem when it was refused or could not be carried out.</summary>
    private static async Task<(ListingResult? Result, IResult? Problem)> SendAsync(OrderWriter writer, SequencerCommand command, HttpContext http)
    {
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(command, http.RequestAborted);
        }
        catch (JournalUnavailableException ex)
        {
            return (null, Problems.Unavailable(ex.Message));
        }
        var listing = result.Listing!;
        return listing.Refusal switch
        {
            ListingRefusal.None => (listing, null),
            ListingRefusal.NotFound => (null, Problems.NotFound(listing.Problem!)),
            ListingRefusal.Conflict when command is not ListInstrumentCommand && http.Request.Headers.IfMatch.Count > 0 =>
                (null, TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                    detail: $"{listing.Problem} (its ETag is now {VersionTags.ETagOf(listing.Version)})")),
            _ => (null, Problems.Conflict(listing.Problem!)),
        };
    }

    private static InstrumentForm.Facts FactsFor(Instrument? current, Func<string, bool> symbolTaken, ReferenceDataCache referenceData, TimeProvider clock) =>
        new(current, symbolTaken, referenceData.VenueRows, referenceData.Fx.Has, referenceData.Fx.Known, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    private static InstrumentDetailResponse Detail(Instrument row, int version, ReferenceDataCache referenceData, MarketClock clock)
    {
        referenceData.VenueRows.TryGetValue(row.VenueCode, out var venue);
        var phase = venue is null ? "" : referenceData.Venue(row.VenueCode).PhaseAt(clock.UtcNow.Ticks).ToString();
        return InstrumentDetailResponse.From(row, version, venue, phase);
    }

    /// <summary>The instrument's version: the number of its last stored version (0 when none is stored).</summary>
    private static async Task<int> VersionOfAsync(TradSysDbContext db, string symbol, CancellationToken ct) =>
        await db.InstrumentVersions.Where(v => v.Symbol == symbol).MaxAsync(v => (int?)v.Version, ct) ?? 0;
}

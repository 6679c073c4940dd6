using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// Venue calendars under /api/v1/venues/{code}/calendar (issue 14): read a venue's time zone, trading days, sessions, holidays and
/// half days with their version (every role), replace them (operations and admins), and read their versions. Each request is checked
/// field by field (<see cref="VenueCalendarForm"/>) and changes nothing when any field is wrong. The change is a command of the order
/// writer (<see cref="VenueCalendarCommands"/>): committed with its version and audit record before the answer, and in force from
/// the next batch, so the very next order meets the venue's new phase (a holiday added for today closes it at once).
/// </summary>
public static class VenueCalendarsApi
{
    public static IEndpointRouteBuilder MapVenueCalendarsApiV1(this IEndpointRouteBuilder app)
    {
        const string one = "/api/v1/venues/{code}/calendar";
        app.MapGet(one, GetAsync).WithTags("Venue calendars").RequireAuthorization(Policies.Read).Produces<VenueCalendarResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetVenueCalendar").WithSummary("A venue's calendar: time zone, trading days, sessions, holidays, half days").WithDescription(
                "Dates and times are venue-local (in timeZone): sessions as HH:mm ('24:00' is midnight at the end of the day), each with " +
                "its phase (PreOpen, Continuous, ClosingAuction, TradeAtClose, PreClose, TradeAtLast); holidays with their name; half " +
                "days with their early close. Also the version (the ETag header, to send back in If-Match), the phase now and the local time.");
        app.MapPut(one, ReplaceAsync).ForwardedToTheWriter(InstrumentsApi.EditResend).WithTags("Venue calendars").RequireAuthorization(Policies.ManageInstruments)
            .Accepts<VenueCalendarRequest>("application/json").Produces<VenueCalendarResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ReplaceVenueCalendar").WithSummary("Change a venue's calendar, with a reason: it counts from the very next order").WithDescription(
                "Body: timeZone (an IANA id), tradingDays (Sunday ... Saturday, each once), sessions [{start, end, phase}] (HH:mm, start " +
                "before end, not overlapping), holidays [{date (yyyy-MM-dd), name}] (each date once, on a trading day), halfDays [{date, " +
                "closeAt (HH:mm, inside the trading day), name}] (on a trading day, not a holiday), reason (required). Send every field " +
                "(start from GET .../calendar): this replaces them all. Every field's problem is answered at once (400, keyed e.g. " +
                "'sessions[1].end', 'holidays[0].date') and nothing is stored. With If-Match (the ETag of GET .../calendar), a calendar " +
                "changed in between gets 412. A change stores a new version (audited as venue.calendar_changed) and the venue's books " +
                "follow it from the next order: a holiday for today closes them, a half day closes them at its early close; the same " +
                "calendar changes nothing.");
        app.MapPost(one + "/holidays/import", ImportHolidaysAsync).ForwardedToTheWriter(
                "a dry run changes nothing; a file already imported and sent again finds its dates as it set them and stores nothing " +
                "(with If-Match: 412, the calendar's version has moved on)").WithTags("Venue calendars").RequireAuthorization(Policies.ManageInstruments)
            .AddOpenApiOperationTransformer(CsvImport.RequestBody("The holidays and half days as CSV (" + string.Join(",", VenueHolidayImport.Columns) + "), the header first"))
            .Produces<VenueHolidayImportResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ImportVenueHolidays").WithSummary("Set or remove a venue's holidays and half days from a CSV file, with a dry run").WithDescription(
                "Body: a CSV file (Content-Type: text/csv; RFC 4180, UTF-8) whose first line names its columns: date (yyyy-MM-dd, " +
                "venue-local; required), name (required unless the line removes its date), closeAt (HH:mm: the line is a half day " +
                "closing then; empty: a holiday), action ('set', the default: the date becomes this holiday or half day, replacing what " +
                "the calendar had on it; 'remove': the date is neither any more). Dates the file does not name, the time zone, trading " +
                "days and sessions keep what the calendar has. reason (query, required) is the change's reason. The calendar the file " +
                "makes is checked as PUT .../calendar checks one, and every problem is answered at once by line and column (400, errors " +
                "keyed 'line N: column', problems: [{line, column, message}]; the header is line 1) with nothing stored. dryRun (default " +
                "true) answers what each line would do (Add, Change, Remove, Unchanged) and writes nothing; dryRun=false stores the " +
                "calendar as one new version (audited as venue.calendar_changed), in force from the next order. With If-Match (the ETag " +
                "of GET .../calendar) a calendar changed in between gets 412; without it, a calendar changed between the check and the " +
                "change gets 409. At most 256 KiB (413) and 400 lines.");
        app.MapGet(one + "/history", HistoryAsync).WithTags("Venue calendars").RequireAuthorization(Policies.Read)
            .Produces<IReadOnlyList<VenueVersionResponse>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListVenueCalendarVersions").WithSummary("A venue calendar's versions, newest first: who changed what, when and why")
            .WithDescription("Each version with the fields it changed and the calendar before and after. A seeded or loaded venue has none until its first change.");
        return app;
    }

    private static async Task<IResult> GetAsync(string code, HttpContext http, TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock)
    {
        var row = await db.Venues.AsNoTracking().SingleOrDefaultAsync(v => v.Code == code, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"there is no venue '{code}' (GET /api/v1/venues lists them)");
        }
        var version = await VersionOfAsync(db, row.Code, http.RequestAborted);
        http.Response.Headers.ETag = VersionTags.ETagOf(version);
        return TypedResults.Ok(Response(row, version, referenceData, clock));
    }

    private static async Task<IResult> HistoryAsync(string code, HttpContext http, TradSysDbContext db)
    {
        if (!await db.Venues.AnyAsync(v => v.Code == code, http.RequestAborted))
        {
            return Problems.NotFound($"there is no venue '{code}' (GET /api/v1/venues lists them)");
        }
        var rows = await db.VenueVersions.AsNoTracking().Where(v => v.VenueCode == code).OrderByDescending(v => v.Version).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(v => new VenueVersionResponse(v.Version, v.ChangedAt, v.ChangedBy, v.Reason, v.ChangedFields,
            JsonDocument.Parse(v.Before).RootElement.Clone(), JsonDocument.Parse(v.After).RootElement.Clone())).ToList());
    }

    private static async Task<IResult> ReplaceAsync(string code, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<VenueCalendarRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var current = await db.Venues.AsNoTracking().SingleOrDefaultAsync(v => v.Code == code, http.RequestAborted);
        if (current is null)
        {
            return Problems.NotFound($"there is no venue '{code}' (GET /api/v1/venues lists them)");
        }
        if (VersionTags.IfMatch(http, "this calendar", "GET /api/v1/venues/{code}/calendar", out var expected) is { } preconditionProblem)
        {
            return preconditionProblem;
        }
        var r = request!;
        var errors = VenueCalendarForm.Check(r);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var row = VenueCalendarForm.Clone(current);
        VenueCalendarForm.Apply(r, row);
        return await ChangeAsync(writer, new EditVenueCalendarCommand(Caller.From(principal).UserName, row, r.Reason!.Trim(), expected), http,
            result => TypedResults.Ok(Response(result.Row!, result.Version, referenceData, clock)),
            conflict => Problems.Conflict(conflict));
    }

    private static async Task<IResult> ImportHolidaysAsync(string code, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock clock, bool? dryRun, string? reason)
    {
        var (csv, bodyProblem) = await RequestBody.ReadTextAsync(http, VenueHolidayImport.MaxBytes, "text/csv");
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var stored = await db.Venues.AsNoTracking().SingleOrDefaultAsync(v => v.Code == code, http.RequestAborted);
        if (stored is null)
        {
            return Problems.NotFound($"there is no venue '{code}' (GET /api/v1/venues lists them)");
        }
        if (VersionTags.IfMatch(http, "this calendar", "GET /api/v1/venues/{code}/calendar", out var expected) is { } preconditionProblem)
        {
            return preconditionProblem;
        }
        var version = await VersionOfAsync(db, stored.Code, http.RequestAborted);
        if (expected is { } asked && asked != version)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                detail: $"{stored.Code}'s calendar is at version {version}, not {asked}: read it again and check the file against it (its ETag is now {VersionTags.ETagOf(version)})");
        }
        var (plan, problems) = VenueHolidayImport.Read(csv!, Response(stored, version, referenceData, clock), reason);
        if (plan is null)
        {
            return CsvImport.Answer(StatusCodes.Status400BadRequest, "The file is not valid: nothing was imported", problems,
                "correct them and send the whole file again");
        }
        if ((dryRun ?? true) || !plan.Changes)
        {
            http.Response.Headers.ETag = VersionTags.ETagOf(version);
            return TypedResults.Ok(ImportResponse(dryRun ?? true, stored.Code, version, plan.Lines));
        }
        var row = VenueCalendarForm.Clone(stored);
        VenueCalendarForm.Apply(plan.Calendar, row);
        // Sent with the version the file was checked against: a change in between is refused by the writer rather than overwritten.
        return await ChangeAsync(writer, new EditVenueCalendarCommand(Caller.From(principal).UserName, row, reason!.Trim(), version), http,
            result => TypedResults.Ok(ImportResponse(false, stored.Code, result.Version, plan.Lines)),
            conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed since the file was checked: nothing was imported",
                detail: $"{conflict}; run the dry run again and send the file again"));
    }

    /// <summary>
    /// Sends a calendar change to the order writer and answers it: <paramref name="changed"/> with the new version's ETag; 404 for a
    /// venue gone; a version other than the command's expected one 412 when the caller sent If-Match (<paramref name="command"/>'s
    /// version came from it) and otherwise <paramref name="conflict"/>; 503 when the journal cannot be written.
    /// </summary>
    private static async Task<IResult> ChangeAsync(OrderWriter writer, EditVenueCalendarCommand command, HttpContext http,
        Func<VenueCalendarResult, IResult> changed, Func<string, IResult> conflict)
    {
        SequencerResult sent;
        try
        {
            sent = await writer.SendAsync(command, http.RequestAborted);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.Unavailable(ex.Message);
        }
        var result = sent.VenueCalendar!;
        switch (result.Refusal)
        {
            case ListingRefusal.None:
                http.Response.Headers.ETag = VersionTags.ETagOf(result.Version);
                return changed(result);
            case ListingRefusal.NotFound:
                return Problems.NotFound(result.Problem!);
            case ListingRefusal.Conflict when http.Request.Headers.IfMatch.Count > 0:
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                    detail: $"{result.Problem} (its ETag is now {VersionTags.ETagOf(result.Version)})");
            default:
                return conflict(result.Problem!);
        }
    }

    private static VenueHolidayImportResponse ImportResponse(bool dryRun, string venue, int version, IReadOnlyList<VenueHolidayImportLine> lines) =>
        new(dryRun, venue, version, lines.Count(l => l.Action == "Add"), lines.Count(l => l.Action == "Change"),
            lines.Count(l => l.Action == "Remove"), lines.Count(l => l.Action == "Unchanged"), lines);

    private static VenueCalendarResponse Response(Persistence.Entities.Venue row, int version, ReferenceDataCache referenceData, MarketClock clock)
    {
        var now = clock.UtcNow.Ticks;
        var spec = referenceData.Venue(row.Code);
        return VenueCalendarForm.Response(row, version, spec.PhaseAt(now).ToString(), spec.ToVenueLocal(now));
    }

    /// <summary>The calendar's version: the number of its last stored version (0 when none is stored).</summary>
    internal static async Task<int> VersionOfAsync(TradSysDbContext db, string code, CancellationToken ct) =>
        await db.VenueVersions.Where(v => v.VenueCode == code).MaxAsync(v => (int?)v.Version, ct) ?? 0;
}

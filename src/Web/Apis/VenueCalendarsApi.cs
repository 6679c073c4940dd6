using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
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
        app.MapPut(one, ReplaceAsync).WithTags("Venue calendars").RequireAuthorization(Policies.ManageInstruments)
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
        SequencerResult sent;
        try
        {
            sent = await writer.SendAsync(new EditVenueCalendarCommand(Caller.From(principal).UserName, row, r.Reason!.Trim(), expected), http.RequestAborted);
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
                return TypedResults.Ok(Response(result.Row!, result.Version, referenceData, clock));
            case ListingRefusal.NotFound:
                return Problems.NotFound(result.Problem!);
            case ListingRefusal.Conflict when expected is not null:
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                    detail: $"{result.Problem} (its ETag is now {VersionTags.ETagOf(result.Version)})");
            default:
                return Problems.Conflict(result.Problem!);
        }
    }

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

using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Reporting;
using TradSys.Reporting.Catalogue;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Reports;

namespace TradSys.Web.Apis;

/// <summary>Body of <c>POST /api/v1/reports/{reportId}/runs</c>.</summary>
/// <param name="Date">Business day, yyyy-MM-dd, in the scope's time zone.</param>
/// <param name="Venue">Venue code for a per-venue report (ADX, EGX); absent for a firm-wide one.</param>
/// <param name="Force">True to create another copy when the day already has one.</param>
public sealed record ReportRunRequest(string? Date, string? Venue, bool? Force);

/// <summary>A report run as the API shows it (never the bytes).</summary>
public sealed record ReportRunView(long Id, string ReportId, string Venue, string BusinessDate, int Copy, string Status, string Trigger,
    string RequestedBy, DateTime RequestedAt, DateTime? CompletedAt, int Attempts, string? Error, string? FileName, string? Sha256,
    string? DataSha256, int? Pages, long? Length, string StatusUrl, string? DownloadUrl, string? DataUrl, string? TwinUrl = null, string? TwinSha256 = null)
{
    public static ReportRunView From(GeneratedReportRecord r)
    {
        var self = $"/api/v1/reports/runs/{r.Id.ToString(CultureInfo.InvariantCulture)}";
        var done = r.Status == ReportRunStatus.Succeeded;
        return new(r.Id, r.ReportId, r.Scope, r.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Copy, r.Status.ToString(),
            r.Trigger, r.RequestedBy, r.RequestedAt, r.CompletedAt, r.Attempts, r.Error, r.FileName, r.Sha256, r.DataSha256, r.Pages, r.Length,
            self, done ? self + "/pdf" : null, done ? self + "/data" : null, done && r.TwinSha256 is not null ? self + "/twin" : null, r.TwinSha256);
    }
}

/// <summary>
/// Regulatory reports: the catalogue, on-demand generation (202, then poll the run), the generated
/// reports a caller's roles may read, and their download with the SHA-256 in a header.
/// Regulators, compliance and admins only.
/// </summary>
public static class ReportsApi
{
    /// <summary>Response header carrying the SHA-256 (hex) of the downloaded bytes.</summary>
    public const string ChecksumHeader = "X-Content-SHA256";

    public static IEndpointRouteBuilder MapReportsApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Policies.Reports);
        api.MapGet("/", Catalogue).WithSummary("The report catalogue: reports, venues, regulators, schedules, roles");
        api.MapPost("/{reportId}/runs", RequestAsync).WithSummary("Generate a report for a day (202 + run status; 200 with the existing copy)");
        api.MapGet("/runs", ListAsync).WithSummary("Generated reports visible to my roles (reportId, venue, date, page, pageSize)");
        api.MapGet("/runs/{id:long}", GetAsync).WithSummary("A report run's status");
        api.MapGet("/runs/{id:long}/pdf", PdfAsync).WithSummary("Download the PDF (X-Content-SHA256 header)");
        api.MapGet("/runs/{id:long}/data", DataAsync).WithSummary("The JSON data the PDF was built from (its SHA-256 is in every footer)");
        api.MapGet("/runs/{id:long}/twin", TwinAsync).WithSummary("The regulator's machine-readable file (ISO 20022 XML of a transaction report; X-Content-SHA256 header)");
        app.MapReportingHealth();
        return app;
    }

    private static IResult Catalogue(ClaimsPrincipal user) => TypedResults.Ok(Visible(user).Select(r => new
    {
        r.Id, r.Title, r.Description, r.PerVenue, r.Roles,
        Scopes = r.Scopes.Select(s => new
        {
            Venue = s.Code, s.Regulator, s.TimeZone, RunAt = s.RunAt.ToString("HH:mm", CultureInfo.InvariantCulture),
            Days = s.Days.Select(d => d.ToString()), Cron = ReportingExtensions.Cron(s), Job = ScheduledReportJob.JobId(r, s),
        }),
    }));

    private static async Task<IResult> RequestAsync(string reportId, HttpContext http, ClaimsPrincipal user, ReportRuns runs, ReportingFonts fonts,
        MarketClock clock)
    {
        var (body, problem) = await RequestBody.ReadAsync<ReportRunRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var check = ReportGenerator.Check(reportId, body!.Date, body.Venue, new DateTimeOffset(clock.UtcNow));
        if (check.Status == StatusCodes.Status404NotFound)
        {
            return Problems.NotFound(check.Errors["reportId"]);
        }
        if (check.Request is null)
        {
            return Problems.Invalid(check.Errors.ToDictionary(e => e.Key, e => new List<string> { e.Value }));
        }
        if (!Allowed(user, check.Request.Report))
        {
            return Problems.Forbidden($"your roles may not read '{check.Request.Report.Id}'");
        }
        if (fonts.Problem is { } missing)
        {
            return Problems.Unavailable(missing);
        }
        var caller = Caller.From(user);
        var (run, created) = await runs.RequestAsync(check.Request, body.Force ?? false, caller.UserName, ReportRuns.OnDemand, enqueue: true,
            http.RequestAborted);
        if (run.Status == ReportRunStatus.Failed)
        {
            // Only a run the job queue refused is still Failed here (a failed copy asked for again is queued again).
            return Problems.Unavailable($"report run {run.Id.ToString(CultureInfo.InvariantCulture)} is saved but could not be queued ({run.Error}); ask again to queue it again");
        }
        var view = ReportRunView.From(run);
        return created ? TypedResults.Accepted(view.StatusUrl, view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 500);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in q.Errors)
        {
            errors[key] = values;
        }
        var reportId = http.Request.Query["reportId"].ToString();
        var venue = http.Request.Query["venue"].ToString();
        var dateText = http.Request.Query["date"].ToString();
        if (reportId.Length > 0 && ReportCatalogue.Find(reportId) is null)
        {
            errors["reportId"] = [$"there is no report '{reportId}'; the catalogue has: {string.Join(", ", ReportCatalogue.All.Select(r => r.Id))}"];
        }
        DateOnly date = default;
        if (dateText.Length > 0 && !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            errors["date"] = [$"'{dateText}' is not a date in the form yyyy-MM-dd"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var visible = Visible(user).Select(r => r.Id).ToList();
        var query = db.GeneratedReports.AsNoTracking().Where(r => visible.Contains(r.ReportId));
        if (reportId.Length > 0)
        {
            query = query.Where(r => r.ReportId == reportId);
        }
        if (venue.Length > 0)
        {
            var code = venue.ToUpperInvariant();
            query = query.Where(r => r.Scope == code);
        }
        if (dateText.Length > 0)
        {
            query = query.Where(r => r.BusinessDate == date);
        }
        var total = await query.CountAsync(http.RequestAborted);
        var items = await query.OrderByDescending(r => r.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(r => new GeneratedReportRecord
            {
                Id = r.Id, ReportId = r.ReportId, Scope = r.Scope, BusinessDate = r.BusinessDate, Copy = r.Copy, Status = r.Status, Trigger = r.Trigger,
                RequestedBy = r.RequestedBy, RequestedAt = r.RequestedAt, CompletedAt = r.CompletedAt, Attempts = r.Attempts, Error = r.Error,
                FileName = r.FileName, Sha256 = r.Sha256, DataSha256 = r.DataSha256, Pages = r.Pages, Length = r.Length, TwinSha256 = r.TwinSha256,
            })
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new PageOf<ReportRunView>([.. items.Select(ReportRunView.From)], page, pageSize, total));
    }

    private static async Task<IResult> GetAsync(long id, ClaimsPrincipal user, TradSysDbContext db, CancellationToken ct)
    {
        var run = await FindVisibleAsync(id, user, db, ct);
        return run is null ? Problems.NotFound($"no report run {id} that your roles may read") : TypedResults.Ok(ReportRunView.From(run));
    }

    private static async Task<IResult> PdfAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, CancellationToken ct)
    {
        var run = await FindVisibleAsync(id, user, db, ct);
        if (run is null)
        {
            return Problems.NotFound($"no report run {id} that your roles may read");
        }
        if (run.Status != ReportRunStatus.Succeeded || run.Content is null)
        {
            return Problems.Conflict($"report run {id} is {run.Status}{(run.Error is null ? "" : ": " + run.Error)}; the PDF is there once it has Succeeded");
        }
        http.Response.Headers[ChecksumHeader] = run.Sha256;
        return TypedResults.File(run.Content, "application/pdf", run.FileName);
    }

    private static async Task<IResult> DataAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, CancellationToken ct)
    {
        var run = await FindVisibleAsync(id, user, db, ct);
        if (run is null)
        {
            return Problems.NotFound($"no report run {id} that your roles may read");
        }
        if (run.Status != ReportRunStatus.Succeeded || run.Data is null)
        {
            return Problems.Conflict($"report run {id} is {run.Status}; its data is there once it has Succeeded");
        }
        http.Response.Headers[ChecksumHeader] = run.DataSha256;
        return TypedResults.File(run.Data, "application/json", Path.ChangeExtension(run.FileName, ".json"));
    }

    private static async Task<IResult> TwinAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, CancellationToken ct)
    {
        var run = await FindVisibleAsync(id, user, db, ct);
        if (run is null)
        {
            return Problems.NotFound($"no report run {id} that your roles may read");
        }
        if (run.Status != ReportRunStatus.Succeeded)
        {
            return Problems.Conflict($"report run {id} is {run.Status}; its machine-readable file is there once it has Succeeded");
        }
        if (run.Twin is null)
        {
            return Problems.NotFound($"report run {id} ('{run.ReportId}') has no machine-readable twin: only the transaction reports " +
                                     $"({ReportCatalogue.MifidTransactions}, {ReportCatalogue.EmirDerivatives}) have one; its data is at /api/v1/reports/runs/{id}/data");
        }
        http.Response.Headers[ChecksumHeader] = run.TwinSha256;
        return TypedResults.File(run.Twin, run.TwinContentType ?? "application/xml", run.TwinFileName);
    }

    private static async Task<GeneratedReportRecord?> FindVisibleAsync(long id, ClaimsPrincipal user, TradSysDbContext db, CancellationToken ct)
    {
        var run = await db.GeneratedReports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return run is not null && ReportCatalogue.Find(run.ReportId) is { } report && Allowed(user, report) ? run : null;
    }

    private static IEnumerable<ReportDefinition> Visible(ClaimsPrincipal user) => ReportCatalogue.All.Where(r => Allowed(user, r));

    private static bool Allowed(ClaimsPrincipal user, ReportDefinition report) => report.Roles.Any(user.IsInRole);
}

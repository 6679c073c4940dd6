using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Reporting;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Reports;

/// <summary>
/// Creates report runs. Idempotent per (report, scope, business day): a request for a day that
/// already has a copy returns that copy (a failed one is queued again) unless <c>force</c> asks for
/// another; the unique index on (report, scope, day, copy) settles concurrent requests.
/// </summary>
public sealed class ReportRuns(TradSysDbContext db, IBackgroundJobClient jobs, MarketClock clock)
{
    public const string OnDemand = "on-demand";
    public const string Schedule = "schedule";

    /// <summary>The run for the request, and whether a new copy was created.</summary>
    public async Task<(GeneratedReportRecord Run, bool Created)> RequestAsync(ReportRequest request, bool force, string requestedBy, string trigger,
        bool enqueue, CancellationToken cancellationToken)
    {
        var latest = await Latest(request, cancellationToken);
        if (latest is not null && !force)
        {
            if (latest.Status == ReportRunStatus.Failed)
            {
                latest.Status = ReportRunStatus.Queued;
                latest.Error = null;
                await db.SaveChangesAsync(cancellationToken);
                Enqueue(latest, enqueue);
            }
            return (latest, false);
        }
        var run = new GeneratedReportRecord
        {
            ReportId = request.Report.Id, Scope = request.Scope.Code, BusinessDate = request.BusinessDate, Copy = (latest?.Copy ?? 0) + 1,
            Status = ReportRunStatus.Queued, Trigger = trigger, RequestedBy = requestedBy, RequestedAt = clock.UtcNow,
        };
        db.GeneratedReports.Add(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created this copy first (the unique index on report, scope, day, copy): answer with it. Any other
            // failure (no such copy exists, e.g. the database was busy or down) is rethrown as it is.
            db.ChangeTracker.Clear();
            var winner = await Latest(request, cancellationToken);
            if (winner is null || winner.Copy < run.Copy)
            {
                throw;
            }
            return (winner, false);
        }
        Enqueue(run, enqueue);
        return (run, true);
    }

    private void Enqueue(GeneratedReportRecord run, bool enqueue)
    {
        if (enqueue)
        {
            var id = run.Id;
            jobs.Enqueue<ReportGenerationJob>(j => j.RunAsync(id, CancellationToken.None));
        }
    }

    private Task<GeneratedReportRecord?> Latest(ReportRequest request, CancellationToken ct) =>
        db.GeneratedReports.Where(r => r.ReportId == request.Report.Id && r.Scope == request.Scope.Code && r.BusinessDate == request.BusinessDate)
            .OrderByDescending(r => r.Copy).FirstOrDefaultAsync(ct);
}

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
public sealed class ReportRuns(TradSysDbContext db, IBackgroundJobClient jobs, MarketClock clock, ILogger<ReportRuns> log)
{
    public const string OnDemand = "on-demand";
    public const string Schedule = "schedule";

    /// <summary>
    /// The run for the request, and whether a new copy was created. When the job queue refuses the run (after
    /// <see cref="MaxAttempts"/> tries) the run is saved as <see cref="ReportRunStatus.Failed"/> with the reason, never left
    /// Queued with no job behind it; asking again queues it again.
    /// </summary>
    public async Task<(GeneratedReportRecord Run, bool Created)> RequestAsync(ReportRequest request, bool force, string requestedBy, string trigger,
        bool enqueue, CancellationToken cancellationToken)
    {
        // A new copy takes the next number; two requests racing for it meet at the unique index (report, scope, day, copy). The one that
        // loses answers with the winner's copy, or, when it was forced (its caller wants a copy of its own), takes the next number.
        for (var attempt = 1; ; attempt++)
        {
            var latest = await Latest(request, cancellationToken);
            if (latest is not null && !force)
            {
                if (latest.Status == ReportRunStatus.Failed)
                {
                    latest.Status = ReportRunStatus.Queued;
                    latest.Error = null;
                    await db.SaveChangesAsync(cancellationToken);
                    await EnqueueAsync(latest, enqueue);
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
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Most likely another request took this copy's number first: read again and decide. Any other failure (the
                // database busy or down) fails again on the next attempt and is rethrown after the last one.
                db.ChangeTracker.Clear();
                continue;
            }
            await EnqueueAsync(run, enqueue);
            return (run, true);
        }
    }

    /// <summary>Attempts at taking a copy's number, or at queuing a run's job, before the failure is passed on.</summary>
    private const int MaxAttempts = 3;

    private async Task EnqueueAsync(GeneratedReportRecord run, bool enqueue)
    {
        if (!enqueue)
        {
            return;
        }
        var id = run.Id;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                jobs.Enqueue<ReportGenerationJob>(j => j.RunAsync(id, CancellationToken.None));
                return;
            }
            catch (BackgroundJobClientException ex) when (attempt < MaxAttempts)
            {
                log.LogWarning(ex, "Report run {Id}: the job queue refused the run (attempt {Attempt} of {Max}); trying again", id, attempt,
                    MaxAttempts);
            }
            catch (BackgroundJobClientException ex)
            {
                // The row is saved and nothing will generate it: say so on the run rather than leave it Queued for ever.
                log.LogError(ex, "Report run {Id}: the job queue refused the run {Max} times; the run is marked failed", id, MaxAttempts);
                var reason = $"the job queue did not accept the run: {ex.GetBaseException().Message}";
                run.Status = ReportRunStatus.Failed;
                run.Error = reason.Length <= 2048 ? reason : reason[..2048];
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
        }
    }

    /// <summary>
    /// Queues the job of every run still Queued or Running again (the embedded mode's in-memory job storage forgets its jobs
    /// on a restart); the job skips a run that has already succeeded.
    /// </summary>
    internal static async Task<int> RequeueUnfinishedAsync(TradSysDbContext db, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var unfinished = await db.GeneratedReports.AsNoTracking()
            .Where(r => r.Status == ReportRunStatus.Queued || r.Status == ReportRunStatus.Running)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            jobs.Enqueue<ReportGenerationJob>(j => j.RunAsync(id, CancellationToken.None));
        }
        return unfinished.Count;
    }

    private Task<GeneratedReportRecord?> Latest(ReportRequest request, CancellationToken ct) =>
        db.GeneratedReports.Where(r => r.ReportId == request.Report.Id && r.Scope == request.Scope.Code && r.BusinessDate == request.BusinessDate)
            .OrderByDescending(r => r.Copy).FirstOrDefaultAsync(ct);
}

using System.Globalization;
using Hangfire;
using TradSys.Reporting;
using TradSys.Reporting.Catalogue;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Reports;

/// <summary>
/// Generates one queued report run. Hangfire retries a failure (3 attempts, with its back-off);
/// a run that already succeeded is left alone, so a retried or duplicated job does no harm.
/// </summary>
public sealed class ReportGenerationJob(TradSysDbContext db, ReportingFonts fonts, IServiceProvider services, MarketClock clock,
    ILogger<ReportGenerationJob> log)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await db.GeneratedReports.FindAsync([runId], cancellationToken);
        if (run is null || run.Status == ReportRunStatus.Succeeded)
        {
            return;
        }
        if (fonts.Problem is { } problem)
        {
            // Retrying cannot install fonts: fail the run with the instruction and stop.
            run.Status = ReportRunStatus.Failed;
            run.Error = problem;
            await db.SaveChangesAsync(cancellationToken);
            log.LogError("Report run {Id} not generated: {Problem}", runId, problem);
            return;
        }
        var report = ReportCatalogue.Find(run.ReportId) ?? throw new InvalidOperationException($"report run {runId}: unknown report {run.ReportId}");
        var scope = report.Scope(run.Scope) ?? throw new InvalidOperationException($"report run {runId}: {run.ReportId} has no scope {run.Scope}");
        run.Status = ReportRunStatus.Running;
        run.Attempts++;
        run.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var generator = new ReportGenerator(services.GetRequiredService<EfReportDataSource>(), fonts.Fonts!, fonts.FirmName,
                new TransactionReportInputs(services.GetRequiredService<EfTransactionReportSource>(),
                    services.GetRequiredService<TransactionReportingSettings>().Firm));
            var result = await generator.GenerateAsync(new ReportRequest(report, scope, run.BusinessDate),
                $"R{run.Id.ToString(CultureInfo.InvariantCulture)}-{run.Copy.ToString(CultureInfo.InvariantCulture)}",
                new DateTimeOffset(clock.UtcNow), cancellationToken);
            run.Content = result.Pdf;
            run.Data = result.Data;
            run.Sha256 = result.Sha256;
            run.DataSha256 = result.DataSha256;
            run.Pages = result.Pages;
            run.Length = result.Pdf.Length;
            run.FileName = result.FileName;
            (run.Twin, run.TwinContentType, run.TwinFileName, run.TwinSha256) =
                (result.Twin?.Content, result.Twin?.ContentType, result.Twin?.FileName, result.Twin?.Sha256);
            run.Status = ReportRunStatus.Succeeded;
            run.CompletedAt = clock.UtcNow;
            await db.SaveChangesAsync(cancellationToken);
            log.LogInformation("Report {Report} {Scope} {Date} copy {Copy}: {Pages} pages, SHA-256 {Sha}", run.ReportId, run.Scope,
                run.BusinessDate, run.Copy, run.Pages, run.Sha256);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Status = ReportRunStatus.Failed;
            run.Error = ex.Message.Length <= 2048 ? ex.Message : ex.Message[..2048];
            await db.SaveChangesAsync(CancellationToken.None);
            log.LogError(ex, "Report run {Id} failed (attempt {Attempt})", runId, run.Attempts);
            throw;
        }
    }
}

/// <summary>
/// The recurring job of one report and scope: after the close, in the scope's time zone, it
/// generates the report of that local day (of the day before for a T+1 report), once (a rerun on the same day finds the copy and stops).
/// </summary>
public sealed class ScheduledReportJob(ReportRuns runs, ReportGenerationJob generation, MarketClock clock)
{
    public static string JobId(ReportDefinition report, ReportScope scope) => $"report:{report.Id}:{scope.Code}";

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(string reportId, string scopeCode, CancellationToken cancellationToken)
    {
        var report = ReportCatalogue.Find(reportId) ?? throw new InvalidOperationException($"unknown report {reportId}");
        var scope = report.Scope(scopeCode) ?? throw new InvalidOperationException($"{reportId} has no scope {scopeCode}");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.UtcNow, zone));
        var day = report.ReportsDayBefore || scope.RunsNextDay ? today.AddDays(-1) : today;
        var (run, _) = await runs.RequestAsync(new ReportRequest(report, scope, day), force: false, "system", ReportRuns.Schedule,
            enqueue: false, cancellationToken);
        if (run.Status != ReportRunStatus.Succeeded)
        {
            await generation.RunAsync(run.Id, cancellationToken);
        }
    }
}

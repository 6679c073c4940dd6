using System.Diagnostics;
using System.Reflection;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradSys.Web.Auth;
using TradSys.Web.Messaging;
using TradSys.Web.Ordering;

namespace TradSys.Web.Hosting;

/// <summary>
/// The single writer: ready while its loop runs and the journal can be written. Degraded when its queue is more than half
/// full (callers will soon wait), unhealthy when the journal is unavailable (commands are refused until it recovers) or
/// the loop has stopped.
/// </summary>
internal sealed class OrderWriterHealthCheck(OrderWriter writer, Persistence.DatabaseSettings database, Persistence.WriteAheadLog wal,
    Persistence.ReferenceChangeSignal referenceChanges) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["queueDepth"] = writer.QueueDepth,
            ["queueCapacity"] = OrderWriter.QueueCapacity,
            ["journalAvailable"] = writer.JournalAvailable,
        };
        // Since start: how many batches and commands, and where the writer's time went (in memory, then committing).
        var statistics = writer.Statistics;
        data["batches"] = statistics.Batches;
        data["commands"] = statistics.Commands;
        data["largestBatch"] = statistics.LargestBatch;
        data["applySeconds"] = Math.Round(statistics.ApplyTime.TotalSeconds, 3);
        data["commitSeconds"] = Math.Round(statistics.CommitTime.TotalSeconds, 3);
        data["longestCommitMs"] = Math.Round(statistics.LongestCommit.TotalMilliseconds, 1);
        data["slowCommits"] = statistics.SlowCommits;
        // The reference tables' change counters: batches that read them, and batches that did not need to (PostgreSQL: nothing signaled).
        data["referenceCounterReads"] = referenceChanges.Reads;
        data["referenceCounterReadsSkipped"] = referenceChanges.ReadsSkipped;
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // The write-ahead log's size at the last checkpoint (4 KB frames) and how often the writer has restarted it.
            data["walFrames"] = wal.Frames;
            data["walRestarts"] = wal.Restarts;
            data["walLongestRestartMs"] = Math.Round(wal.LongestRestart.TotalMilliseconds, 1);
        }
        data["leads"] = writer.Leads;
        var result = writer.Stopped
            ? HealthCheckResult.Unhealthy("the order writer has stopped: no order command is carried out", data: data)
            : !writer.Leads
                ? HealthCheckResult.Healthy("a standby: another node writes the books; the writer's commands are forwarded to it or answered 503 (see writer-leadership)", data)
            : !writer.JournalAvailable
                ? HealthCheckResult.Unhealthy("the order journal cannot be written: commands are refused until the database is back", data: data)
                : writer.QueueDepth > OrderWriter.QueueCapacity / 2
                    ? HealthCheckResult.Degraded($"{writer.QueueDepth} commands are waiting for the writer", data: data)
                    : HealthCheckResult.Healthy($"{writer.QueueDepth} commands waiting", data);
        return Task.FromResult(result);
    }
}

/// <summary>
/// The journal's publication on the bus: how far the outbox has published against what the writer has committed. Degraded
/// while publishing fails (it retries; nothing committed is skipped, consumers only hear of it later) or when it is more
/// than <see cref="MaxLag"/> entries behind. Never unready: trading goes on while the bus catches up.
/// </summary>
internal sealed class OutboxHealthCheck(OutboxPublisher outbox, OrderWriter writer) : IHealthCheck
{
    /// <summary>Entries behind the journal beyond which the outbox is reported as not keeping up.</summary>
    public const long MaxLag = 100_000;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var published = outbox.PublishedSequence;
        var committed = writer.CommittedSequence;
        var lag = OutboxPublisher.LagOf(committed, published);
        var data = new Dictionary<string, object>
        {
            ["publishedSequence"] = published,
            ["committedSequence"] = committed,
            ["lag"] = lag,
            ["messages"] = outbox.Messages,
            ["consecutiveFailures"] = outbox.ConsecutiveFailures,
        };
        var result = !writer.Leads
            ? HealthCheckResult.Healthy("a standby: the node that writes the books publishes the journal", data)
            : outbox.ConsecutiveFailures > 0
            ? HealthCheckResult.Degraded(
                $"publishing the journal failed {outbox.ConsecutiveFailures} time(s) in a row ({outbox.LastFailure}); retrying, {lag} entries wait", data: data)
            : published < 0
                ? HealthCheckResult.Healthy("starting: reading the published position", data)
                : lag > MaxLag
                    ? HealthCheckResult.Degraded($"{lag} journal entries not yet published", data: data)
                    : HealthCheckResult.Healthy($"{lag} journal entries not yet published", data);
        return Task.FromResult(result);
    }
}

/// <summary>
/// The risk alert monitor: degraded while its checks fail (limits crossing 80% or 100% would not be alerted), with the reason;
/// never unready (trading goes on, the pre-trade checks do not depend on it).
/// </summary>
internal sealed class RiskAlertsHealthCheck(Ordering.Risk.RiskAlertMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["intervalSeconds"] = monitor.Interval.TotalSeconds,
            ["raised"] = monitor.Raised,
            ["consecutiveFailures"] = monitor.ConsecutiveFailures,
        };
        if (monitor.LastCheck is { } last)
        {
            data["lastCheck"] = last;
        }
        var result = monitor.Interval <= TimeSpan.Zero
            ? HealthCheckResult.Healthy("switched off (Risk:AlertIntervalSeconds is 0): no risk alert is raised", data)
            : monitor.ConsecutiveFailures > 0
                ? HealthCheckResult.Degraded($"the last {monitor.ConsecutiveFailures} check(s) failed ({monitor.LastFailure}): limits are not watched", data: data)
                : HealthCheckResult.Healthy($"{monitor.Raised} alert(s) raised since the start", data);
        return Task.FromResult(result);
    }
}

/// <summary>
/// Background jobs (Hangfire): unhealthy when no server is alive to run them (schedules would not fire), degraded while
/// some jobs have failed for good (they wait in the dashboard for an admin), with the counts.
/// </summary>
internal sealed class JobsHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stats = storage.GetMonitoringApi().GetStatistics();
        var data = new Dictionary<string, object>
        {
            ["servers"] = stats.Servers,
            ["enqueued"] = stats.Enqueued,
            ["scheduled"] = stats.Scheduled,
            ["processing"] = stats.Processing,
            ["failed"] = stats.Failed,
            ["succeeded"] = stats.Succeeded,
            ["recurring"] = stats.Recurring,
        };
        var result = stats.Servers == 0
            ? HealthCheckResult.Unhealthy("no job server is running: scheduled reports and timers will not run", data: data)
            : stats.Failed > 0
                ? HealthCheckResult.Degraded($"{stats.Failed} job(s) failed after their retries: see /hangfire", data: data)
                : HealthCheckResult.Healthy($"{stats.Servers} server(s), {stats.Recurring} recurring job(s)", data);
        return Task.FromResult(result);
    }
}

/// <summary>
/// <c>GET /api/v1/admin/health</c>: every health check with its status, description, duration and figures, and what this
/// node runs (mode, version, start time), for the admin's health page. The anonymous probes (<c>/health/live</c>,
/// <c>/health/ready</c>) say only healthy or not.
/// </summary>
public static class PlatformHealth
{
    private static readonly DateTime StartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static IHostApplicationBuilder AddPlatformHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<OrderWriterHealthCheck>("order-writer", tags: ["ready"])
            .AddCheck<OutboxHealthCheck>("outbox", tags: ["bus"])
            .AddCheck<RiskAlertsHealthCheck>("risk-alerts", tags: ["risk"])
            .AddCheck<JobsHealthCheck>("jobs", tags: ["jobs"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapAdminHealthV1(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/health", ReportAsync).WithTags("Admin").RequireAuthorization(Policies.ManageUsers)
            .Produces<HealthView>().WithSummary("Every health check with its figures (admin)")
            .WithDescription("Status (Healthy, Degraded, Unhealthy) of the database, the order writer, the journal's publication (outbox), the message bus, background jobs " +
                             "and reporting, each with its description and figures, and this node's mode, version and start time.");
        return app;
    }

    private static async Task<IResult> ReportAsync(HealthCheckService health, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(ct);
        var options = PlatformOptions.From(configuration);
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new HealthView(
            report.Status.ToString(),
            now,
            new NodeView(Environment.MachineName, Version(), options.Database.ToString(), options.Bus.ToString(), options.Jobs.ToString(), StartedAt,
                (long)(now - StartedAt).TotalSeconds),
            [.. report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new HealthCheckView(
                e.Key, e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message, Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                [.. e.Value.Tags], e.Value.Data.ToDictionary(d => d.Key, d => d.Value)))]));
    }

    private static string Version() =>
        typeof(PlatformHealth).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PlatformHealth).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>The admin's health report.</summary>
public sealed record HealthView(string Status, DateTime CheckedAt, NodeView Node, IReadOnlyList<HealthCheckView> Checks);

/// <summary>What this node runs.</summary>
public sealed record NodeView(string Host, string Version, string Database, string Bus, string Jobs, DateTime StartedAt, long UptimeSeconds);

/// <summary>One health check's result.</summary>
public sealed record HealthCheckView(string Name, string Status, string? Description, double DurationMs, IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, object> Data);

using System.Net;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// A report run answered 202 is never left Queued with no job behind it: one whose job the queue refused is saved as failed with
/// the reason (and queued again when asked again), and one whose job was lost with the process is generated after a restart.
/// </summary>
public sealed class ReportRunQueueTests
{
    /// <summary>
    /// The platform's own job client, except that its first <paramref name="refusals"/> jobs go to a job storage that has been
    /// disposed, so Hangfire itself refuses them (as it does when its storage is gone or times out).
    /// </summary>
    private sealed class RefusingFirst(IBackgroundJobClient platform, int refusals) : IBackgroundJobClient
    {
        private readonly Hangfire.InMemory.InMemoryStorage gone = DisposedStorage();
        private int refused;

        public int Refused => Volatile.Read(ref refused);

        private static Hangfire.InMemory.InMemoryStorage DisposedStorage()
        {
            var storage = new Hangfire.InMemory.InMemoryStorage();
            storage.Dispose();
            return storage;
        }

        public string Create(Job job, IState state) =>
            Interlocked.Increment(ref refused) <= refusals ? new BackgroundJobClient(gone).Create(job, state) : platform.Create(job, state);

        public bool ChangeState(string jobId, IState state, string expectedState) => platform.ChangeState(jobId, state, expectedState);
    }

    private static PlatformFactory Platform(int refusals, Action<RefusingFirst> created)
    {
        var platform = new PlatformFactory
        {
            TestServices = services =>
            {
                var real = services.Last(d => d.ServiceType == typeof(IBackgroundJobClient));
                services.RemoveAll<IBackgroundJobClient>();
                services.AddSingleton<IBackgroundJobClient>(sp =>
                {
                    var client = new RefusingFirst((IBackgroundJobClient)real.ImplementationFactory!(sp), refusals);
                    created(client);
                    return client;
                });
            },
        };
        platform.Clock.Fixed = MarketTime;
        return platform;
    }

    [Fact]
    public async Task A_run_the_job_queue_refuses_is_saved_as_failed_with_the_reason_and_queued_again_when_asked_again()
    {
        RefusingFirst? client = null;
        // Three refusals: every attempt of the first request.
        await using var platform = Platform(refusals: 3, c => client = c);
        var compliance = await platform.ClientForAsync("compliance1");

        var refused = (await RunAsync(compliance, "compliance-decisions", new { date = Day })).Expect(HttpStatusCode.ServiceUnavailable);

        Assert.Contains("could not be queued", refused.Str("detail"));
        Assert.Contains("ask again", refused.Str("detail"));
        Assert.Equal(3, client!.Refused);
        var run = Assert.Single(await RunsAsync(platform));
        Assert.Equal(ReportRunStatus.Failed, run.Status);
        Assert.StartsWith("the job queue did not accept the run", run.Error);

        var again = (await RunAsync(compliance, "compliance-decisions", new { date = Day })).Expect(HttpStatusCode.OK);
        Assert.Equal(run.Id, again.Long("id"));
        var done = await WaitAsync(compliance, run.Id);
        Assert.Equal(1, done.Long("copy"));
        Assert.Single(await RunsAsync(platform));
    }

    [Fact]
    public async Task A_refusal_the_queue_recovers_from_is_tried_again_within_the_request()
    {
        await using var platform = Platform(refusals: 1, _ => { });
        var compliance = await platform.ClientForAsync("compliance1");

        var accepted = (await RunAsync(compliance, "compliance-decisions", new { date = Day })).Expect(HttpStatusCode.Accepted);

        Assert.Equal("Queued", accepted.Str("status"));
        await WaitAsync(compliance, accepted.Long("id"));
    }

    /// <summary>
    /// Hangfire's logging is process-wide: it used to follow the platform that configured Hangfire last, and once that one stopped
    /// (disposing its loggers) the other platforms' job clients failed and a report request answered 500 (seen in CI).
    /// </summary>
    [Fact]
    public async Task A_report_asked_for_after_another_platform_in_the_process_stopped_is_queued_and_generated()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = MarketTime;
        var compliance = await platform.ClientForAsync("compliance1");
        await using (var other = new PlatformFactory())
        {
            // Started after the first, so it configured Hangfire last; then it stops and disposes its services.
            _ = await other.ClientForAsync("compliance1");
        }

        var accepted = (await RunAsync(compliance, "compliance-decisions", new { date = Day })).Expect(HttpStatusCode.Accepted);
        await WaitAsync(compliance, accepted.Long("id"));
        var forced = (await RunAsync(compliance, "compliance-decisions", new { date = Day, force = true })).Expect(HttpStatusCode.Accepted);
        await WaitAsync(compliance, forced.Long("id"));
    }

    [Fact]
    public async Task A_run_whose_job_was_lost_with_the_process_is_generated_after_a_restart()
    {
        string path;
        long id = 0;
        await using (var before = new PlatformFactory())
        {
            before.Clock.Fixed = MarketTime;
            path = before.DatabasePath;
            // Stored and acknowledged, but its job lived only in the in-memory storage of the process that is now going away.
            await before.WithDbAsync(async db =>
            {
                var run = new GeneratedReportRecord
                {
                    ReportId = "compliance-decisions", Scope = "FIRM", BusinessDate = DateOnly.Parse(Day, System.Globalization.CultureInfo.InvariantCulture),
                    Copy = 1, Status = ReportRunStatus.Queued, Trigger = "on-demand", RequestedBy = "compliance1", RequestedAt = MarketTime.UtcDateTime,
                };
                db.GeneratedReports.Add(run);
                await db.SaveChangesAsync();
                id = run.Id;
            });
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        after.Clock.Fixed = MarketTime;
        var compliance = await after.ClientForAsync("compliance1");
        var done = await WaitAsync(compliance, id);

        Assert.Equal("Succeeded", done.Str("status"));
        Assert.NotNull(done.Str("downloadUrl"));
    }

    private static async Task<List<GeneratedReportRecord>> RunsAsync(PlatformFactory platform)
    {
        var runs = new List<GeneratedReportRecord>();
        await platform.WithDbAsync(async db => runs = await db.GeneratedReports.ToListAsync());
        return runs;
    }
}

using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Jobs;

namespace TradSys.Integration.Tests;

/// <summary>Hangfire keeps its jobs in PostgreSQL in the production mode and runs them there.</summary>
[Collection(ProductionCollection.Name)]
public sealed class JobsOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task The_audit_verification_job_is_scheduled_and_runs_on_PostgreSQL_storage()
    {
        _ = _platform.CreateClient();
        var storage = _platform.Services.GetRequiredService<JobStorage>();
        Assert.Equal("Hangfire.PostgreSql.PostgreSqlStorage", storage.GetType().FullName);
        using (var connection = storage.GetConnection())
        {
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id == AuditChainVerificationJob.Id);
        }

        var jobId = _platform.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<AuditChainVerificationJob>(j => j.RunAsync(CancellationToken.None));
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? state = null;
        while (DateTime.UtcNow < deadline)
        {
            state = monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
            if (state is "Succeeded" or "Failed")
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.Equal("Succeeded", state);
    }
}

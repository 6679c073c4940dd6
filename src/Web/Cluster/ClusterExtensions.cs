using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradSys.Web.Cluster;

/// <summary>
/// The writer's leadership: a single node (the default) always writes; with <c>Cluster:Enabled</c> the nodes contend for the
/// lease of their shard (<see cref="LeaseLeadership"/>). Registered before the order writer, so the lease outlives the writer
/// at a stop and is released only once the writer has stopped.
/// </summary>
public static class ClusterExtensions
{
    public static IHostApplicationBuilder AddCluster(this IHostApplicationBuilder builder)
    {
        var options = ClusterOptions.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddCommandForwarding();
        if (options.Enabled)
        {
            services.AddSingleton<LeaseLeadership>();
            services.AddSingleton<IWriterLeadership>(sp => sp.GetRequiredService<LeaseLeadership>());
            services.AddHostedService(sp => sp.GetRequiredService<LeaseLeadership>());
        }
        else
        {
            services.AddSingleton<IWriterLeadership, SingleNodeLeadership>();
        }
        services.AddHealthChecks().AddCheck<WriterLeadershipHealthCheck>("writer-leadership");
        return builder;
    }
}

/// <summary>
/// The writer's role of this node: healthy as leader and as standby (a standby serves the portal and reads, and forwards the
/// writer's REST requests to the leader, or answers them 503 so a balancer sends them on when it cannot: <see cref="CommandForwarding"/>);
/// the data say which, the shard, the epoch and the leader last seen.
/// Not a readiness check: a standby is ready for what it serves.
/// </summary>
internal sealed class WriterLeadershipHealthCheck(IWriterLeadership leadership, ClusterOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var term = leadership.Current;
        var data = new Dictionary<string, object>
        {
            ["role"] = term.Leads ? "leader" : "standby",
            ["shard"] = term.Shard,
            ["node"] = options.Enabled ? options.NodeName : "single",
            ["epoch"] = term.Epoch,
            ["leader"] = term.Leader ?? (term.Leads ? options.NodeName : "unknown"),
        };
        var description = !options.Enabled
            ? "a single node: it writes every book"
            : term.Leads
                ? $"the writer of shard '{term.Shard}' under epoch {term.Epoch}"
                : $"a standby of shard '{term.Shard}' (leader: {term.Leader ?? "none seen yet"}); " + (options.AdvertisedUrl is null
                    ? "the writer's commands are answered 503 (no Cluster:AdvertisedUrl: nothing is forwarded)"
                    : term.LeaderUrl is null
                        ? "the writer's commands are answered 503 until the leader's URL is known"
                        : $"the writer's REST requests are forwarded to the leader at {term.LeaderUrl}");
        return Task.FromResult(HealthCheckResult.Healthy(description, data));
    }
}

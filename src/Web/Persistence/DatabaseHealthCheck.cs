using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradSys.Web.Persistence;

/// <summary>Ready only when the database answers.</summary>
internal sealed class DatabaseHealthCheck(TradSysDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the database does not answer");
}

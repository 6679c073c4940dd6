using Hangfire;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;

namespace TradSys.Web.Jobs;

/// <summary>
/// Walks the audit chain every hour. A broken chain fails the job, so it shows as failed on the
/// Hangfire dashboard and in the logs; running it twice is harmless (it only reads).
/// </summary>
public sealed class AuditChainVerificationJob(TradSysDbContext db, ILogger<AuditChainVerificationJob> log)
{
    public const string Id = "audit-chain-verification";

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await AuditVerifier.VerifyAsync(db, cancellationToken);
        if (!result.Valid)
        {
            log.LogCritical("Audit chain broken at record {Id}: {Problem}", result.FirstBrokenId, result.Problem);
            throw new InvalidOperationException($"audit chain broken at record {result.FirstBrokenId}: {result.Problem}");
        }
        log.LogInformation("Audit chain verified: {Count} records intact", result.RecordsChecked);
    }
}

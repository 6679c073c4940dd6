using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>The audit trail and its verification, for admins, compliance and regulators.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Audit);
        api.MapGet("/verify", (TradSysDbContext db, CancellationToken ct) => AuditVerifier.VerifyAsync(db, ct))
            .Produces<AuditVerification>().WithSummary("Walk the hash chain and report the first broken link");
        api.MapGet("/", ListAsync).Produces<PageOf<AuditRecord>>().WithSummary("Read the audit trail (page, pageSize; newest first)");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 500);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var total = await db.AuditLog.CountAsync(http.RequestAborted);
        var items = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new PageOf<AuditRecord>(items, page, pageSize, total));
    }
}

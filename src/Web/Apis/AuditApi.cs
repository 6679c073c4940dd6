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
        api.MapGet("/", ListAsync).Produces<PageOf<AuditRecord>>()
            .WithSummary("Read the audit trail, newest first: from, to (ISO 8601, to exclusive), actor, action, subject (a value ending in '/' " +
                         "is a prefix: order/ for every order), page, pageSize");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 500);
        var from = q.Time("from");
        var to = q.Time("to");
        var actor = q.String("actor", 128);
        var action = q.String("action", 128);
        var subject = q.String("subject", 256);
        if (from is not null && to is not null && to <= from)
        {
            q.Add("to", "must be later than from");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        IQueryable<AuditRecord> records = db.AuditLog.AsNoTracking();
        if (from is not null)
        {
            records = records.Where(a => a.Timestamp >= from);
        }
        if (to is not null)
        {
            records = records.Where(a => a.Timestamp < to);
        }
        if (actor is not null)
        {
            records = records.Where(a => a.Actor == actor);
        }
        if (action is not null)
        {
            records = records.Where(a => a.Action == action);
        }
        if (subject is not null)
        {
            // "order/" finds every order's records; "order/17" only that order's (not order/170).
            records = subject.EndsWith('/') ? records.Where(a => a.Subject.StartsWith(subject)) : records.Where(a => a.Subject == subject);
        }
        var total = await records.CountAsync(http.RequestAborted);
        var items = await records.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new PageOf<AuditRecord>(items, page, pageSize, total));
    }
}

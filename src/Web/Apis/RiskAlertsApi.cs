using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>
/// Risk alerts under /api/v1/risk/alerts: raised by the risk alert monitor once per crossing of 80% (Near) and 100% (Breached) of a
/// limit and when it falls back (Cleared); read by risk officers and the firm-wide roles, by a trader for their own accounts;
/// acknowledged by risk officers and admins (audited).
/// </summary>
public static class RiskAlertsApi
{
    public static RouteGroupBuilder MapRiskAlerts(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", ListAsync).RequireAuthorization(Policies.Read).Produces<IReadOnlyList<RiskAlertResponse>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListRiskAlerts").WithSummary("Risk alerts, newest first (up to 200)").WithDescription(
                "Filters: accountId, level (Near, Breached, Cleared), unacknowledged=true. A trader sees their own accounts' alerts.");
        api.MapPost("/alerts/{id:long}/acknowledge", AcknowledgeAsync).RequireAuthorization(Policies.ManageRisk).Produces<RiskAlertResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AcknowledgeRiskAlert").WithSummary("Acknowledge a risk alert (risk officers and admins; audited)");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var accountId = q.Long("accountId");
        var level = q.Enum<RiskAlertLevel>("level");
        var unacknowledged = q.Bool("unacknowledged");
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var readable = await Caller.From(user).ReadableAccountsAsync(db, http.RequestAborted);
        if (accountId is { } id && readable is not null && !readable.Contains(id))
        {
            return Problems.NotYourAccount(id);
        }
        var alerts = db.RiskAlerts.AsNoTracking();
        alerts = accountId is { } one ? alerts.Where(a => a.AccountId == one) : readable is not null ? alerts.Where(a => readable.Contains(a.AccountId)) : alerts;
        alerts = level is { } l ? alerts.Where(a => a.Level == l) : alerts;
        alerts = unacknowledged is true ? alerts.Where(a => a.AcknowledgedAt == null) : alerts;
        var rows = await alerts.OrderByDescending(a => a.Id).Take(200).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(RiskAlertResponse.From).ToList());
    }

    private static async Task<IResult> AcknowledgeAsync(long id, ClaimsPrincipal user, TradSysDbContext db, AuditTrail audit, TimeProvider clock,
        CancellationToken ct)
    {
        var alert = await db.RiskAlerts.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return Problems.NotFound($"there is no risk alert {id}");
        }
        if (alert.AcknowledgedAt is { } at)
        {
            return Problems.Conflict($"risk alert {id} was acknowledged by {alert.AcknowledgedBy} at {at:yyyy-MM-ddTHH:mm:ssZ}");
        }
        var by = Caller.From(user).UserName;
        alert.AcknowledgedBy = by;
        alert.AcknowledgedAt = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        await audit.AppendAsync(db, clock, by, "risk.alert_acknowledged", $"account/{alert.AccountId}",
            new { alertId = id, alert.Limit, alert.Symbol, level = alert.Level.ToString() }, ct);
        return TypedResults.Ok(RiskAlertResponse.From(alert));
    }
}

/// <summary>A stored risk alert.</summary>
public sealed record RiskAlertResponse(long Id, long AccountId, string Limit, string? Symbol, string Scope, string Level, decimal LimitValue, decimal Used,
    string Unit, decimal? UtilisationPct, string Message, DateTime RaisedAt, string? AcknowledgedBy, DateTime? AcknowledgedAt)
{
    internal static RiskAlertResponse From(RiskAlert a) => new(a.Id, a.AccountId, a.Limit, a.Symbol, a.Scope, a.Level.ToString(),
        Exact.Trim(a.LimitValue), Exact.Trim(a.Used), a.Unit, Exact.Trim(a.UtilisationPct), a.Message, a.RaisedAt, a.AcknowledgedBy, a.AcknowledgedAt);
}

using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>
/// Maker-checker on pre-trade limits, under /api/v1/risk/limit-proposals, as rule packs have it: a risk officer (or an admin)
/// proposes a change (PUT /api/v1/risk/limits/{scope}/{key}: who, when, why, the whole new limits, the version it was based on);
/// a different one approves it, and the single writer makes it the scope's next version, effective for the very next order, or
/// refuses it (409) when the scope has moved on from the version it was based on; or rejects it with a reason. The proposer can
/// never approve their own, and can withdraw it (reject it themself). Every step is audited. Trading statuses (the kill switch)
/// take no second person: an emergency stop must not wait.
/// </summary>
public static class RiskLimitProposalsApi
{
    /// <summary>What makes sending a decision again safe after a forwarded one's outcome was lost.</summary>
    private const string DecisionResend = "a proposal already decided is no longer pending: a decision sent again is refused (409), never " +
        "applied twice (GET .../limit-proposals/{id} shows the decision)";

    public static RouteGroupBuilder MapRiskLimitProposals(this RouteGroupBuilder api)
    {
        api.MapGet("/limit-proposals", ListAsync).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.ReadRisk).Produces<IReadOnlyList<RiskLimitProposalResponse>>()
            .ProducesValidationProblem()
            .WithName("ListRiskLimitProposals").WithSummary("Proposed changes of limits, newest first (up to 500)").WithDescription(
                "Filters: status (Pending, the default; Approved, Rejected, Withdrawn or all), scope and key. A pending proposal says whether it " +
                "is stale: the scope's limits have moved on from the version it was based on, so it can no longer be approved.");
        api.MapGet("/limit-proposals/{id:long}", GetAsync).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.ReadRisk).Produces<RiskLimitProposalResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetRiskLimitProposal").WithSummary("A proposed change of limits");
        api.MapPost("/limit-proposals/{id:long}/approve", ApproveAsync).ForwardedToTheWriter(DecisionResend).RequireAuthorization(Policies.ManageRisk)
            .Accepts<DecideRiskLimitProposalRequest>("application/json").Produces<RiskLimitsResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ApproveRiskLimitProposal").WithSummary("Approve another officer's proposed limits: they apply to the very next order")
            .WithDescription("Body {\"comment\": optional}. 200 with the new version of the scope's limits. 403 for the proposal's own author; " +
                             "409 when it is no longer pending, or when the scope's limits have moved on from the version it was based on " +
                             "(reject it and propose again from the current version).");
        api.MapPost("/limit-proposals/{id:long}/reject", RejectAsync).ForwardedToTheWriter(DecisionResend).RequireAuthorization(Policies.ManageRisk)
            .Accepts<DecideRiskLimitProposalRequest>("application/json").Produces<RiskLimitProposalResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("RejectRiskLimitProposal").WithSummary("Reject a proposed change of limits (its author: withdraw it)")
            .WithDescription("Body {\"comment\": the reason, required}. No limit changes. Rejected by another officer, Withdrawn by its author.");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db, OrderWriter writer)
    {
        var q = new Query(http.Request.Query);
        var statusText = q.String("status");
        RiskLimitProposalStatus? status = RiskLimitProposalStatus.Pending;
        if (statusText is not null)
        {
            if (string.Equals(statusText, "all", StringComparison.OrdinalIgnoreCase))
            {
                status = null;
            }
            else if (Enum.TryParse<RiskLimitProposalStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) &&
                     !int.TryParse(statusText, out _))
            {
                status = parsed;
            }
            else
            {
                q.Add("status", $"'{statusText}' is not a proposal status: Pending, Approved, Rejected, Withdrawn or all");
            }
        }
        var scopeText = q.String("scope");
        TradSys.Engine.Risk.PreTrade.RiskScope? scope = null;
        if (scopeText is not null)
        {
            if (RiskApi.ParseScope(scopeText) is { } parsed && parsed != TradSys.Engine.Risk.PreTrade.RiskScope.Trader)
            {
                scope = parsed;
            }
            else
            {
                q.Add("scope", $"'{scopeText}' is not a scope of limits: firm, category, account or instrument");
            }
        }
        var key = q.String("key");
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var rows = db.RiskLimitProposals.AsNoTracking();
        rows = status is { } st ? rows.Where(p => p.Status == st) : rows;
        rows = scope is { } sc ? rows.Where(p => p.Scope == sc) : rows;
        rows = key is not null ? rows.Where(p => p.Key == key) : rows;
        var list = await rows.OrderByDescending(p => p.Id).Take(500).ToListAsync(http.RequestAborted);
        var controls = writer.RiskControls;
        return TypedResults.Ok(list.Select(p => RiskLimitProposalResponse.From(p, controls.VersionOf(p.Scope, p.Key))).ToList());
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, TradSysDbContext db, OrderWriter writer)
    {
        var proposal = await db.RiskLimitProposals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, http.RequestAborted);
        return proposal is null
            ? Problems.NotFound($"there is no proposal of limits {id}")
            : TypedResults.Ok(RiskLimitProposalResponse.From(proposal, writer.RiskControls.VersionOf(proposal.Scope, proposal.Key)));
    }

    private static Task<IResult> ApproveAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer) =>
        DecideAsync(id, approve: true, http, user, db, writer);

    private static Task<IResult> RejectAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer) =>
        DecideAsync(id, approve: false, http, user, db, writer);

    private static async Task<IResult> DecideAsync(long id, bool approve, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer)
    {
        var (request, problem) = await RequestBody.ReadAsync<DecideRiskLimitProposalRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var comment = string.IsNullOrWhiteSpace(request!.Comment) ? null : request.Comment.Trim();
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (approve)
        {
            if (comment is { Length: > 512 })
            {
                FieldProblems.Add(errors, "comment", "must be at most 512 characters");
            }
        }
        else
        {
            RiskApi.CheckReason(comment, errors);
            if (errors.Remove("reason", out var reasonErrors))
            {
                errors["comment"] = reasonErrors;
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var result = await writer.TrySendAsync(new DecideRiskLimitProposalCommand(Caller.From(user).UserName, id, approve, comment), http.RequestAborted);
        if (result.Problem is not null)
        {
            return result.Problem;
        }
        var outcome = result.Result!;
        switch (outcome.Outcome)
        {
            case SequencerOutcome.RiskControlSet:
                return TypedResults.Ok(RiskLimitsResponse.From((RiskLimitRecord)outcome.Risk!));
            case SequencerOutcome.RiskLimitProposal:
                var decided = (RiskLimitProposal)outcome.Risk!;
                return TypedResults.Ok(RiskLimitProposalResponse.From(decided, writer.RiskControls.VersionOf(decided.Scope, decided.Key)));
            case SequencerOutcome.RiskLimitProposalMakerCannotApprove:
                return Problems.Forbidden($"you proposed these limits (proposal {id}): another risk officer or an admin must approve them");
            case SequencerOutcome.RiskControlConflict:
                var stale = (StaleRiskLimitProposal)outcome.Risk!;
                var p = stale.Proposal;
                var now = stale.Current is { } c ? $"are now at version {c.Version} (proposed by {c.ChangedBy}, {c.ChangedAt:yyyy-MM-ddTHH:mm:ssZ})" : "have no version now";
                return Problems.Conflict($"proposal {id} was based on version {p.BasedOnVersion} of the limits of {Scope(p)}, which {now}: " +
                                         "approving it would overwrite a change its author never saw; reject it and propose again from the current version");
            default:
                var row = await db.RiskLimitProposals.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, http.RequestAborted);
                return row is null
                    ? Problems.NotFound($"there is no proposal of limits {id}")
                    : Problems.Conflict($"proposal {id} is no longer pending: {row.Status} by {row.DecidedBy} at {row.DecidedAt:yyyy-MM-ddTHH:mm:ssZ}");
        }
    }

    private static string Scope(RiskLimitProposal p) => p.Scope == TradSys.Engine.Risk.PreTrade.RiskScope.Firm
        ? "the firm"
        : $"{TradingStatusResponse.ScopeName(p.Scope)} {p.Key}";
}

/// <summary>A decision on a proposal of limits.</summary>
/// <param name="Comment">Approve: an optional comment. Reject: the reason (required; audited).</param>
public sealed record DecideRiskLimitProposalRequest(string? Comment);

/// <summary>
/// A proposed change of a scope's limits and where it stands: Status Pending, Approved (AppliedVersion: the version it became),
/// Rejected or Withdrawn; CurrentVersion is the scope's version in force now (0: none) and Stale says that a pending proposal's
/// BasedOnVersion is no longer current, so approval would be refused.
/// </summary>
public sealed record RiskLimitProposalResponse(long Id, string Scope, string Key, string Status, int BasedOnVersion, int CurrentVersion, bool Stale,
    string Currency, long? MaxOrderQuantity, decimal? MaxOrderNotional, decimal? PriceCollarPct, int? MaxOpenOrders, decimal? MaxOpenNotional,
    long? MaxLongPosition, long? MaxShortPosition, string Reason, string ProposedBy, DateTime ProposedAt, string? DecidedBy, DateTime? DecidedAt,
    string? DecisionReason, int? AppliedVersion, decimal? MaxConcentrationPct = null, decimal? MaxIssuerHoldingPct = null, decimal? MaxAdvPct = null, decimal? MaxVar = null)
{
    internal static RiskLimitProposalResponse From(RiskLimitProposal p, int currentVersion) => new(p.Id, TradingStatusResponse.ScopeName(p.Scope), p.Key,
        p.Status.ToString(), p.BasedOnVersion, currentVersion, p.Status == RiskLimitProposalStatus.Pending && currentVersion != p.BasedOnVersion,
        p.Currency, p.MaxOrderQuantity, p.MaxOrderNotional, p.PriceCollarPct, p.MaxOpenOrders, p.MaxOpenNotional, p.MaxLongPosition,
        p.MaxShortPosition, p.Reason, p.ProposedBy, p.ProposedAt, p.DecidedBy, p.DecidedAt, p.DecisionReason, p.AppliedVersion,
        p.MaxConcentrationPct, p.MaxIssuerHoldingPct, p.MaxAdvPct, p.MaxVar);
}

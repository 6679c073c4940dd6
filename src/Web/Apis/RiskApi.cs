using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// The pre-trade risk controls under /api/v1/risk: trading statuses (the kill switches of the firm, a trader or an account:
/// Active, ReducingOnly, Halted) and versioned limits (per firm, client category, account or instrument: maximum order quantity
/// and notional, price collar, maximum working orders and open notional, long and short position limits, concentration in the
/// portfolio and holding of the issuer's shares outstanding). Risk officers and
/// admins change them; every change goes through the single writer, so it applies to the very next order, and is audited with
/// its reason. A trading status takes effect at once (an emergency stop needs no second person); a change of limits is a proposal
/// that a different risk officer or an admin approves (maker-checker, <see cref="RiskLimitProposalsApi"/>) before the single writer
/// applies it. Reading is open to the roles that watch the firm (risk, admin, compliance, regulator). VaR of the accounts'
/// positions: RiskVarApi over the price history of RiskPriceHistoryApi (buying power: CashApi; exposure: RiskExposureApi; alerts: RiskAlertsApi).
/// </summary>
public static class RiskApi
{
    private const int MaxReason = 512;

    public static IEndpointRouteBuilder MapRiskApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/risk").WithTags("Risk");
        api.MapGet("/trading-statuses", ListStatuses).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.ReadRisk).Produces<IReadOnlyList<TradingStatusResponse>>()
            .WithName("ListTradingStatuses").WithSummary("Trading statuses in force (kill switches)")
            .WithDescription("Every scope whose status was ever set, with its status now; a scope never set is Active.");
        api.MapGet("/trading-statuses/history", StatusHistoryAsync).RequireAuthorization(Policies.ReadRisk)
            .Produces<IReadOnlyList<TradingStatusResponse>>().ProducesValidationProblem()
            .WithName("ListTradingStatusHistory").WithSummary("Every trading status change, newest first (scope and key optional filters; up to 500)");
        api.MapPut("/trading-statuses/{scope}/{key}", SetStatusAsync).ForwardedToTheWriter(
                "the same status with the same reason sent again changes nothing: the answer is the setting in force, with unchanged: true, " +
                "and no second history row or audit record is written").RequireAuthorization(Policies.ManageRisk)
            .Accepts<SetTradingStatusRequest>("application/json").Produces<TradingStatusResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("SetTradingStatus").WithSummary("Set a trading status (the kill switch)").WithDescription(
                "scope: firm (key: firm), trader (key: the user id) or account (key: the account id). Body {\"status\": Active | ReducingOnly | " +
                "Halted, \"reason\": required}. Effective for the very next order; cancels always pass. The answer is the status in force " +
                "with \"unchanged\": false when this request set it (a history row and an audit record are written), or \"unchanged\": true " +
                "when the same status with the same reason was in force already: nothing is written and the answer is that setting (its " +
                "setBy and setAt), so sending the request again is safe. The same status with another reason is a new setting.");
        api.MapGet("/limits", ListLimits).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.ReadRisk).Produces<IReadOnlyList<RiskLimitsResponse>>()
            .WithName("ListRiskLimits").WithSummary("The limits in force, per scope");
        api.MapGet("/limits/{scope}/{key}/history", LimitHistoryAsync).RequireAuthorization(Policies.ReadRisk)
            .Produces<IReadOnlyList<RiskLimitsResponse>>().ProducesValidationProblem()
            .WithName("ListRiskLimitVersions").WithSummary("Every version of a scope's limits, newest first");
        api.MapPut("/limits/{scope}/{key}", ProposeLimitsAsync).ForwardedToTheWriter(
                "the same change sent again while it is pending answers the proposal already made, never a second one").RequireAuthorization(Policies.ManageRisk)
            .Accepts<SetRiskLimitsRequest>("application/json").Produces<RiskLimitProposalResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ProposeRiskLimits").WithSummary("Propose a new version of a scope's limits (maker-checker)").WithDescription(
                "scope: firm (key: firm), category (key: Retail, Professional, EligibleCounterparty...), account (key: the account id) or " +
                "instrument (key: the symbol). Body {\"currency\": the money limits' ISO 4217 code (default USD), \"maxOrderQuantity\", " +
                "\"maxOrderNotional\", \"priceCollarPct\", \"maxOpenOrders\", \"maxOpenNotional\", \"maxLongPosition\", \"maxShortPosition\", " +
                "\"maxConcentrationPct\" (the instrument's share of the account's portfolio value after the order, percent), " +
                "\"maxIssuerHoldingPct\" (the account's share of the issuer's shares outstanding after the order, percent), \"maxAdvPct\" " +
                "(the order's quantity as a percentage of the instrument's average daily volume), \"maxVar\" (the account's one-day 99% historical " +
                "VaR in the limits' currency; not checked per order: the risk alert monitor compares each account's VaR with it and alerts " +
                "when it is 80% used and when it is exceeded; firm, category or account scope only) " +
                "(each optional: null sets no limit at this scope), \"reason\": required, \"version\": the version you read (0 for none) to " +
                "refuse the change (409) if someone changed it since}. Nothing changes yet: the answer is 202 with a pending proposal " +
                "(Location: /api/v1/risk/limit-proposals/{id}), based on the scope's current version, which a different risk officer or " +
                "an admin approves (it then applies to the very next order) or rejects. Sending the same change again while it is pending " +
                "answers the same proposal. Every applicable scope is checked, so the strictest limit decides.");
        api.MapRiskAnalytics();
        api.MapRiskExposure();
        api.MapRiskAlerts();
        api.MapRiskLimitProposals();
        api.MapRiskPriceHistory();
        api.MapRiskVar();
        return app;
    }

    private static IResult ListStatuses(OrderWriter writer) =>
        TypedResults.Ok(writer.RiskControls.Statuses.Select(TradingStatusResponse.From).ToList());

    private static IResult ListLimits(OrderWriter writer) =>
        TypedResults.Ok(writer.RiskControls.Limits.Select(RiskLimitsResponse.From).ToList());

    private static async Task<IResult> StatusHistoryAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var scopeText = q.String("scope");
        RiskScope? scope = null;
        if (scopeText is not null)
        {
            if (ParseScope(scopeText) is { } parsed && parsed is RiskScope.Firm or RiskScope.Trader or RiskScope.Account)
            {
                scope = parsed;
            }
            else
            {
                q.Add("scope", $"'{scopeText}' is not a scope of trading statuses: firm, trader or account");
            }
        }
        var key = q.String("key");
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var rows = db.TradingStatuses.AsNoTracking();
        rows = scope is { } s ? rows.Where(r => r.Scope == s) : rows;
        rows = key is not null ? rows.Where(r => r.Key == key) : rows;
        return TypedResults.Ok((await rows.OrderByDescending(r => r.Id).Take(500).ToListAsync(http.RequestAborted)).Select(TradingStatusResponse.From).ToList());
    }

    private static async Task<IResult> LimitHistoryAsync(string scope, string key, HttpContext http, TradSysDbContext db)
    {
        if (ParseScope(scope) is not { } parsed || parsed == RiskScope.Trader)
        {
            return Problems.Invalid("scope", $"'{scope}' is not a scope of limits: firm, category, account or instrument");
        }
        var rows = await db.RiskLimits.AsNoTracking().Where(r => r.Scope == parsed && r.Key == key).OrderByDescending(r => r.Version)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(RiskLimitsResponse.From).ToList());
    }

    private static async Task<IResult> SetStatusAsync(string scope, string key, HttpContext http, ClaimsPrincipal user, TradSysDbContext db,
        OrderWriter writer)
    {
        var (request, problem) = await RequestBody.ReadAsync<SetTradingStatusRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var parsedScope = ParseScope(scope);
        if (parsedScope is not (RiskScope.Firm or RiskScope.Trader or RiskScope.Account))
        {
            Add(errors, "scope", $"'{scope}' is not a scope of trading statuses: firm, trader or account");
        }
        if (!Enum.TryParse<TradingStatus>(request!.Status, ignoreCase: true, out var status) || !Enum.IsDefined(status) ||
            int.TryParse(request.Status, out _))
        {
            Add(errors, "status", $"'{request.Status}' is not a trading status: Active, ReducingOnly or Halted");
        }
        CheckReason(request.Reason, errors);
        var canonicalKey = parsedScope is { } sc && !errors.ContainsKey("scope")
            ? await CheckKeyAsync(sc, key, db, null, errors, http.RequestAborted)
            : null;
        if (errors.Count > 0)
        {
            return Refuse(errors);
        }
        var result = await writer.TrySendAsync(new SetTradingStatusCommand(Caller.From(user).UserName, parsedScope!.Value, canonicalKey!, status,
            request.Reason!.Trim()), http.RequestAborted);
        return result.Problem ?? TypedResults.Ok(TradingStatusResponse.From((TradingStatusRecord)result.Result!.Risk!) with
        {
            Unchanged = result.Result.Outcome == SequencerOutcome.RiskControlUnchanged,
        });
    }

    private static async Task<IResult> ProposeLimitsAsync(string scope, string key, HttpContext http, ClaimsPrincipal user, TradSysDbContext db,
        OrderWriter writer, ReferenceDataCache referenceData)
    {
        var (request, problem) = await RequestBody.ReadAsync<SetRiskLimitsRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var parsedScope = ParseScope(scope);
        if (parsedScope is null or RiskScope.Trader)
        {
            Add(errors, "scope", $"'{scope}' is not a scope of limits: firm, category, account or instrument");
        }
        var r = request!;
        var currency = (r.Currency ?? "USD").Trim().ToUpperInvariant();
        if (!referenceData.Fx.Has(currency))
        {
            Add(errors, "currency", $"'{r.Currency}' has no reference FX rate, so orders in other currencies could not be compared with it " +
                                    $"(known: {referenceData.Fx.Known})");
        }
        Positive(r.MaxOrderQuantity, "maxOrderQuantity", errors);
        Positive(r.MaxOrderNotional, "maxOrderNotional", errors);
        Positive(r.PriceCollarPct, "priceCollarPct", errors);
        if (r.PriceCollarPct is > 1000)
        {
            Add(errors, "priceCollarPct", "must be at most 1000 (percent of the reference price)");
        }
        Positive(r.MaxOpenOrders, "maxOpenOrders", errors);
        Positive(r.MaxOpenNotional, "maxOpenNotional", errors);
        NotNegative(r.MaxLongPosition, "maxLongPosition", errors);
        NotNegative(r.MaxShortPosition, "maxShortPosition", errors);
        Percent(r.MaxConcentrationPct, "maxConcentrationPct", "the instrument's share of the account's portfolio value", errors);
        Percent(r.MaxIssuerHoldingPct, "maxIssuerHoldingPct", "the account's share of the issuer's shares outstanding", errors);
        Positive(r.MaxAdvPct, "maxAdvPct", errors);
        if (r.MaxAdvPct is > 10_000)
        {
            Add(errors, "maxAdvPct", "must be at most 10000 (percent of the average daily volume: 100 days' volume)");
        }
        Positive(r.MaxVar, "maxVar", errors);
        if (r.MaxVar is not null && parsedScope == RiskScope.Instrument)
        {
            Add(errors, "maxVar", "is a limit of an account's VaR: set it for the firm, a client category or an account, not an instrument");
        }
        if (r.Version is < 0)
        {
            Add(errors, "version", "must be 0 (no limits yet) or the version you read");
        }
        CheckReason(r.Reason, errors);
        var canonicalKey = parsedScope is { } sc && !errors.ContainsKey("scope")
            ? await CheckKeyAsync(sc, key, db, referenceData, errors, http.RequestAborted)
            : null;
        if (errors.Count > 0)
        {
            return Refuse(errors);
        }
        var limits = new RiskLimits(r.MaxOrderQuantity, r.MaxOrderNotional, r.PriceCollarPct, r.MaxOpenOrders, r.MaxOpenNotional, r.MaxLongPosition,
            r.MaxShortPosition, r.MaxConcentrationPct, r.MaxIssuerHoldingPct, r.MaxAdvPct, r.MaxVar);
        var result = await writer.TrySendAsync(new ProposeRiskLimitsCommand(Caller.From(user).UserName, parsedScope!.Value, canonicalKey!, limits,
            currency, r.Reason!.Trim(), r.Version), http.RequestAborted);
        if (result.Problem is not null)
        {
            return result.Problem;
        }
        if (result.Result!.Outcome == SequencerOutcome.RiskControlConflict)
        {
            return Problems.Conflict($"the limits of {scope} {key} are at version {(result.Result.Risk as RiskLimitRecord)?.Version ?? 0}, not {r.Version}: " +
                                     "read them again and decide on the current version");
        }
        var proposal = (RiskLimitProposal)result.Result.Risk!;
        return TypedResults.Accepted($"/api/v1/risk/limit-proposals/{proposal.Id}",
            RiskLimitProposalResponse.From(proposal, writer.RiskControls.VersionOf(proposal.Scope, proposal.Key)));
    }

    /// <summary>The scope's key as stored ("firm", a number, a category's name, a symbol), or null with an error when it names nothing.</summary>
    private static async Task<string?> CheckKeyAsync(RiskScope scope, string key, TradSysDbContext db, ReferenceDataCache? referenceData,
        Dictionary<string, List<string>> errors, CancellationToken ct)
    {
        switch (scope)
        {
            case RiskScope.Firm:
                if (key != Ordering.Risk.RiskControls.FirmKey)
                {
                    Add(errors, "key", $"the firm's key is '{Ordering.Risk.RiskControls.FirmKey}', not '{key}'");
                    return null;
                }
                return key;
            case RiskScope.Account:
                if (!long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var accountId))
                {
                    Add(errors, "key", $"'{key}' is not an account id");
                    return null;
                }
                if (!await db.Accounts.AsNoTracking().AnyAsync(a => a.Id == accountId, ct))
                {
                    Add(errors, "key", $"{NoSuch}account {accountId}");
                    return null;
                }
                return accountId.ToString(CultureInfo.InvariantCulture);
            case RiskScope.Trader:
                if (!long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
                {
                    Add(errors, "key", $"'{key}' is not a user id");
                    return null;
                }
                if (!await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId, ct))
                {
                    Add(errors, "key", $"{NoSuch}user {userId}");
                    return null;
                }
                return userId.ToString(CultureInfo.InvariantCulture);
            case RiskScope.ClientCategory:
                if (!Enum.TryParse<ClientCategory>(key, ignoreCase: true, out var category) || !Enum.IsDefined(category) || int.TryParse(key, out _))
                {
                    Add(errors, "key", $"'{key}' is not a client category: {string.Join(", ", Enum.GetNames<ClientCategory>())}");
                    return null;
                }
                return category.ToString();
            default:
                var symbol = key.Trim().ToUpperInvariant();
                if (referenceData is null || !referenceData.TryGet(symbol, out _))
                {
                    Add(errors, "key", $"{NoSuch}instrument {key}");
                    return null;
                }
                return symbol;
        }
    }

    /// <summary>How a key that names nothing is worded (<see cref="Refuse"/> answers 404 when it is the only problem).</summary>
    private const string NoSuch = "there is no ";

    /// <summary>404 when the only problem is a key naming no account, user or instrument; otherwise 400 with every problem.</summary>
    private static IResult Refuse(Dictionary<string, List<string>> errors) =>
        errors.Count == 1 && errors.TryGetValue("key", out var key) && key.TrueForAll(m => m.StartsWith(NoSuch, StringComparison.Ordinal))
            ? Problems.NotFound(string.Join("; ", key))
            : Problems.Invalid(errors);

    internal static RiskScope? ParseScope(string scope) => scope.ToLowerInvariant() switch
    {
        "firm" => RiskScope.Firm,
        "trader" => RiskScope.Trader,
        "account" => RiskScope.Account,
        "category" => RiskScope.ClientCategory,
        "instrument" => RiskScope.Instrument,
        _ => null,
    };

    internal static void CheckReason(string? reason, Dictionary<string, List<string>> errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            Add(errors, "reason", "say why: a reason is required and goes into the audit trail");
        }
        else if (reason.Trim().Length > MaxReason)
        {
            Add(errors, "reason", $"must be at most {MaxReason} characters");
        }
    }

    private static void Positive<T>(T? value, string field, Dictionary<string, List<string>> errors) where T : struct, IComparable<T>
    {
        if (value is { } v && v.CompareTo(default) <= 0)
        {
            Add(errors, field, "must be positive (leave it out or null for no limit at this scope)");
        }
    }

    private static void Percent(decimal? value, string field, string what, Dictionary<string, List<string>> errors)
    {
        if (value is <= 0 or > 100)
        {
            Add(errors, field, $"must be a percentage of {what} above 0 and at most 100 (leave it out or null for no limit at this scope)");
        }
    }

    private static void NotNegative<T>(T? value, string field, Dictionary<string, List<string>> errors) where T : struct, IComparable<T>
    {
        if (value is { } v && v.CompareTo(default) < 0)
        {
            Add(errors, field, "must not be negative (leave it out or null for no limit at this scope)");
        }
    }
}

/// <summary>A trading status to set.</summary>
/// <param name="Status">Active, ReducingOnly or Halted.</param>
/// <param name="Reason">Why (required; audited).</param>
public sealed record SetTradingStatusRequest(string? Status, string? Reason);

/// <summary>A new version of a scope's limits; a null limit sets none at this scope.</summary>
public sealed record SetRiskLimitsRequest(string? Currency, long? MaxOrderQuantity, decimal? MaxOrderNotional, decimal? PriceCollarPct,
    int? MaxOpenOrders, decimal? MaxOpenNotional, long? MaxLongPosition, long? MaxShortPosition, string? Reason, int? Version,
    decimal? MaxConcentrationPct = null, decimal? MaxIssuerHoldingPct = null, decimal? MaxAdvPct = null, decimal? MaxVar = null);

/// <summary>A trading status as set: by whom, when and why.</summary>
/// <param name="Scope">firm, trader or account.</param>
/// <param name="Key">"firm", the user id or the account id.</param>
/// <param name="Status">Active, ReducingOnly or Halted.</param>
/// <param name="Reason">Why it was set.</param>
/// <param name="SetBy">Who set it.</param>
/// <param name="SetAt">When it was set.</param>
/// <param name="Unchanged">Only in the answer to setting a status: true when that status with that reason was in force already, so
/// nothing was written and the answer is the setting in force (its <c>setBy</c> and <c>setAt</c>); false when this request set it.</param>
public sealed record TradingStatusResponse(string Scope, string Key, string Status, string Reason, string SetBy, DateTime SetAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    bool? Unchanged = null)
{
    internal static TradingStatusResponse From(TradingStatusRecord r) =>
        new(ScopeName(r.Scope), r.Key, r.Status.ToString(), r.Reason, r.SetBy, r.SetAt);

    internal static string ScopeName(RiskScope scope) => scope switch
    {
        RiskScope.ClientCategory => "category",
        _ => scope.ToString().ToLowerInvariant(),
    };
}

/// <summary>A version of a scope's limits: proposed by <c>ChangedBy</c>, approved by <c>ApprovedBy</c> (null for versions set before maker-checker).</summary>
public sealed record RiskLimitsResponse(string Scope, string Key, int Version, string Currency, long? MaxOrderQuantity, decimal? MaxOrderNotional,
    decimal? PriceCollarPct, int? MaxOpenOrders, decimal? MaxOpenNotional, long? MaxLongPosition, long? MaxShortPosition, string Reason,
    string ChangedBy, DateTime ChangedAt, string? ApprovedBy = null, long? ProposalId = null, decimal? MaxConcentrationPct = null,
    decimal? MaxIssuerHoldingPct = null, decimal? MaxAdvPct = null, decimal? MaxVar = null)
{
    internal static RiskLimitsResponse From(RiskLimitRecord r) => new(TradingStatusResponse.ScopeName(r.Scope), r.Key, r.Version, r.Currency,
        r.MaxOrderQuantity, r.MaxOrderNotional, r.PriceCollarPct, r.MaxOpenOrders, r.MaxOpenNotional, r.MaxLongPosition, r.MaxShortPosition,
        r.Reason, r.ChangedBy, r.ChangedAt, r.ApprovedBy, r.ProposalId, r.MaxConcentrationPct, r.MaxIssuerHoldingPct, r.MaxAdvPct, r.MaxVar);
}

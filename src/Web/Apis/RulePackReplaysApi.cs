using System.Security.Claims;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.RulePacks;
using TradSys.Web.Workflows;

namespace TradSys.Web.Apis;

/// <summary>
/// Replays of a draft rule pack over stored orders, under /api/v1/rulepacks/replays, for the rule editor's "what would
/// this change have done" view: start a run (a Hangfire job, <see cref="RulePackReplayJob"/>), watch its progress, page
/// through the orders whose decision would change. Reads: compliance, admin, regulator. Starting a run: compliance.
/// </summary>
public static class RulePackReplaysApi
{
    /// <summary>The longest range a run may cover.</summary>
    public const int MaxSpanDays = 93;

    private const string WouldChange =
        "For each order created in [from, to) (optionally one account's, one symbol's) whose decision was stored with its order " +
        "context, the current published rule set (the baseline) and a copy of it with the draft in place of the published pack " +
        "with the same id (added when the id is new) are evaluated on that stored context. The decision would change when the " +
        "outcome differs, or the set of fired rules (pack, rule id) differs, or a rule throws in one and not the other. Orders " +
        "without a stored context are counted as skipped with the reason (skippedNoContext: decided before contexts were stored; " +
        "skippedRefused: refused before the packs ran), never as unchanged. Evaluation runs in a background job with its own " +
        "evaluators: the published set and the order path are never touched.";

    private static readonly JsonSerializerOptions RulesJson = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapRulePackReplaysApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rulepacks/replays").WithTags("Rule pack replays");
        api.MapPost("/", StartAsync).RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<RulePackReplayRequest>("application/json").Produces<RulePackReplayResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Replay a draft over the stored orders of a date range").WithDescription(
                "{\"pack\": draft (the pack's JSON object, or its text as a JSON string), \"from\", \"to\" (ISO 8601, UTC; from < to, " +
                $"at most {MaxSpanDays} days), \"accountId\" and \"symbol\" optional}}. The draft is validated and compiled first (a bad " +
                "draft gets the same 400 as /validate); then the run is stored, audited (rulepack.replay_started) and queued. 202 with " +
                "the run and a Location to poll. " + WouldChange);
        api.MapGet("/", ListAsync).RequireAuthorization(Policies.ReadRulePacks).Produces<PageOf<RulePackReplayResponse>>()
            .WithSummary("Recent replay runs, newest first").WithDescription("page (from 1), pageSize (1-100, default 20).");
        api.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.ReadRulePacks).Produces<RulePackReplayResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A run's status and progress").WithDescription(
                "status Queued / Running / Completed / Failed; total, processed, percent, changed, unchanged, skipped (with reasons), and " +
                "the changed orders counted by (baseline outcome, draft outcome). " + WouldChange);
        api.MapGet("/{id}/changes", ChangesAsync).RequireAuthorization(Policies.ReadRulePacks)
            .Produces<PageOf<RulePackReplayChangeResponse>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The orders whose decision would change").WithDescription(
                "By order id; page (from 1), pageSize (1-200, default 50). Each: the order, its stored outcome, the baseline and draft " +
                "outcomes, and the rules that newly fire or no longer fire (pack, rule id, reason code, message on the stored context).");
        var changes = app.MapGroup("/api/v1/rulepacks/changes").WithTags("Rule pack replays");
        changes.MapGet("/{instanceId:guid}/replays", ChangeReplaysAsync).RequireAuthorization(Policies.Tasks)
            .Produces<RulePackChangeReplaysResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The replays of a submitted change's exact content").WithDescription(
                "For the approver (the review inbox), beside the change's diff: the replay runs whose draft has the same content hash as " +
                "the submitted change (contentSha256: SHA-256 of the pack's JSON without insignificant whitespace and without the root " +
                "version, which the submission sets), newest first, at most 20; byAuthor marks the change's maker's runs. Each run with its " +
                "counts, transitions and effects: the changed orders grouped by baseline and draft outcome and the rules newly fired or no " +
                "longer fired (GET /api/v1/rulepacks/replays/{id}/changes lists the orders). An empty list: nobody replayed this content.");
        changes.MapPost("/{instanceId:guid}/replays", StartForChangeAsync).RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<RulePackChangeReplayRequest>("application/json").Produces<RulePackReplayResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Replay a submitted change's content").WithDescription(
                "{\"from\", \"to\", \"accountId\" and \"symbol\" optional}: as POST /api/v1/rulepacks/replays, with the change's own content " +
                "as the draft (the submitted JSON, or the stored version of a rollback), so an approver can replay what the author did not.");
        return app;
    }

    private static async Task<IResult> StartAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db, AuditTrail audit,
        IBackgroundJobClient jobs, TimeProvider clock, ILogger<RulePackReplayJob> log)
    {
        var (request, problem) = await RequestBody.ReadAsync<RulePackReplayRequest>(http, RulePacksApi.MaxPackBytes);
        if (problem is not null)
        {
            return problem;
        }
        // The draft first: a bad draft gets exactly the answer /validate gives, and nothing is stored.
        if (request!.Pack is not { ValueKind: JsonValueKind.Object or JsonValueKind.String } element)
        {
            return Problems.Invalid("pack", "is required: the draft pack's JSON object, or its text as a JSON string");
        }
        var draftJson = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        return await StartRunAsync(http, user, db, audit, jobs, clock, log, draftJson, request, null);
    }

    /// <summary>
    /// The approver's own replay of a submitted change: the submitted JSON (a publish) or the stored version (a rollback),
    /// so it is the very content under review, whatever the editor shows now.
    /// </summary>
    private static async Task<IResult> StartForChangeAsync(Guid instanceId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db,
        AuditTrail audit, IBackgroundJobClient jobs, TimeProvider clock, ILogger<RulePackReplayJob> log, RulePackApprovals approvals)
    {
        var (request, problem) = await RequestBody.ReadAsync<RulePackChangeReplayRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var (change, json, notFound) = await RulePacksApi.ChangeJsonAsync(instanceId, db, approvals, http.RequestAborted);
        if (notFound is not null)
        {
            return notFound;
        }
        return await StartRunAsync(http, user, db, audit, jobs, clock, log, json!, new RulePackReplayRequest
        {
            From = request!.From, To = request.To, AccountId = request.AccountId, Symbol = request.Symbol,
        }, instanceId, change!.PackId);
    }

    private static async Task<IResult> StartRunAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db, AuditTrail audit,
        IBackgroundJobClient jobs, TimeProvider clock, ILogger<RulePackReplayJob> log, string draftJson, RulePackReplayRequest request,
        Guid? change, string? changePackId = null)
    {
        var ct = http.RequestAborted;
        if (!RulePacksApi.TryCompile(draftJson, "draft", out var draft, out var errors))
        {
            return RulePacksApi.PackInvalid(errors);
        }
        if (changePackId is not null && !string.Equals(draft!.Id, changePackId, StringComparison.Ordinal))
        {
            return Problems.Conflict($"the change's content is pack '{draft.Id}', not '{changePackId}'");
        }

        var q = new Query(http.Request.Query);
        var from = Utc(request.From);
        var to = Utc(request.To);
        if (from is null)
        {
            q.Add("from", "is required: the start of the range (ISO 8601, e.g. 2026-11-01T00:00:00Z; orders created at or after it)");
        }
        if (to is null)
        {
            q.Add("to", "is required: the end of the range (ISO 8601, e.g. 2026-11-08T00:00:00Z; orders created before it)");
        }
        if (from is { } f && to is { } t)
        {
            if (f >= t)
            {
                q.Add("to", $"must be after from ({f:O}); got {t:O}");
            }
            else if (t - f > TimeSpan.FromDays(MaxSpanDays))
            {
                q.Add("to", $"the range may span at most {MaxSpanDays} days; from {f:O} to {t:O} is {(t - f).TotalDays:0.##} days: split it into several runs");
            }
        }
        if (request.AccountId is { } accountId && !await db.Accounts.AsNoTracking().AnyAsync(a => a.Id == accountId, ct))
        {
            q.Add("accountId", $"no account {accountId} exists (GET /api/v1/accounts lists them)");
        }
        var symbol = string.IsNullOrWhiteSpace(request.Symbol) ? null : request.Symbol.Trim().ToUpperInvariant();
        if (symbol is not null && !await db.Instruments.AsNoTracking().AnyAsync(i => i.Symbol == symbol, ct))
        {
            q.Add("symbol", $"no instrument '{request.Symbol}' exists (GET /api/v1/instruments lists them)");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }

        var caller = Caller.From(user);
        var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        var run = new RulePackReplay
        {
            Id = Guid.NewGuid(), PackId = draft!.Id, DraftVersion = draft.Version, DraftJson = draftJson, ContentSha256 = RulePackStore.ContentSha256Of(draftJson),
            From = from!.Value, To = to!.Value, AccountId = request.AccountId, Symbol = symbol, RequestedBy = caller.UserName, RequestedAt = now,
            Status = ReplayStatus.Queued,
        };
        db.RulePackReplays.Add(run);
        await audit.SaveWithAsync(db, [new AuditEntry(now, caller.UserName, "rulepack.replay_started", $"rulepack/{draft.Id}",
            AuditTrail.Serialize(new
            {
                replay = run.Id, pack = draft.Id, version = draft.Version, sha256 = RulePackStore.Sha256Of(draftJson), contentSha256 = run.ContentSha256,
                from = run.From, to = run.To, accountId = run.AccountId, symbol = run.Symbol, change,
            }))], ct);

        try
        {
            jobs.Enqueue<RulePackReplayJob>(j => j.RunAsync(run.Id, CancellationToken.None));
        }
        catch (Exception ex) when (ex is BackgroundJobClientException or InvalidOperationException)
        {
            log.LogError(ex, "Replay {Id} stored but could not be queued", run.Id);
            run.Status = ReplayStatus.Failed;
            run.Error = "the job queue refused the run: " + ex.Message;
            run.FinishedAt = now;
            await db.SaveChangesAsync(CancellationToken.None);
            return Problems.Unavailable($"replay {run.Id} was stored but could not be queued; try again later");
        }
        return TypedResults.Accepted($"/api/v1/rulepacks/replays/{run.Id}", await ResponseAsync(db, run, ct));
    }

    /// <summary>
    /// The replays of exactly the content a change submits, newest first: matched on <see cref="RulePackStore.ContentSha256Of"/>
    /// of the submitted JSON (or the rollback's stored version), never on time, so a replay of another draft is never shown
    /// as this change's. Each with its counts and how the changed orders' outcomes move, rule by rule.
    /// </summary>
    private static async Task<IResult> ChangeReplaysAsync(Guid instanceId, HttpContext http, TradSysDbContext db, RulePackApprovals approvals)
    {
        var ct = http.RequestAborted;
        var (change, json, notFound) = await RulePacksApi.ChangeJsonAsync(instanceId, db, approvals, ct);
        if (notFound is not null)
        {
            return notFound;
        }
        var hash = RulePackStore.ContentSha256Of(json!) ?? "";
        var runs = await db.RulePackReplays.AsNoTracking().Where(r => r.PackId == change!.PackId && r.ContentSha256 == hash)
            .OrderByDescending(r => r.RequestedAt).ThenBy(r => r.Id).Take(20).ToListAsync(ct);
        var replays = new List<RulePackChangeReplay>(runs.Count);
        foreach (var run in runs)
        {
            var rows = await db.RulePackReplayChanges.AsNoTracking().Where(c => c.ReplayId == run.Id)
                .Select(c => new { c.BaselineOutcome, c.DraftOutcome, c.NewlyFiredJson, c.NoLongerFiredJson }).ToListAsync(ct);
            var effects = rows
                .Select(c => (c.BaselineOutcome, c.DraftOutcome, Newly: RuleIds(c.NewlyFiredJson), NoLonger: RuleIds(c.NoLongerFiredJson)))
                .GroupBy(c => $"{c.BaselineOutcome}|{c.DraftOutcome}|{c.Newly}|{c.NoLonger}", StringComparer.Ordinal)
                .Select(g => new ReplayEffect(g.First().BaselineOutcome, g.First().DraftOutcome, Split(g.First().Newly), Split(g.First().NoLonger), g.Count()))
                .OrderByDescending(e => e.Count).ThenBy(e => e.Baseline, StringComparer.Ordinal).ThenBy(e => e.Draft, StringComparer.Ordinal)
                .ToList();
            var transitions = effects.GroupBy(e => (e.Baseline, e.Draft)).Select(g => new ReplayTransition(g.Key.Baseline, g.Key.Draft, g.Sum(e => e.Count)))
                .OrderBy(t => t.Baseline, StringComparer.Ordinal).ThenBy(t => t.Draft, StringComparer.Ordinal).ToList();
            replays.Add(new RulePackChangeReplay(RulePackReplayResponse.Of(run, transitions),
                string.Equals(run.RequestedBy, change!.Maker, StringComparison.Ordinal), effects));
        }
        return TypedResults.Ok(new RulePackChangeReplaysResponse(instanceId, change!.PackId, change.Version, change.Kind, change.Maker, hash, replays));
    }

    private static string RuleIds(string json) => string.Join(' ', Rules(json).Select(r => r.RuleId).Order(StringComparer.Ordinal));

    private static IReadOnlyList<string> Split(string ids) => ids.Length == 0 ? [] : ids.Split(' ');

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 20, 1, 100);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var ct = http.RequestAborted;
        var total = await db.RulePackReplays.CountAsync(ct);
        var runs = await db.RulePackReplays.AsNoTracking().OrderByDescending(r => r.RequestedAt).ThenBy(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new PageOf<RulePackReplayResponse>([.. runs.Select(r => RulePackReplayResponse.Of(r, null))], page, pageSize, total));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        if (await FindAsync(db, id, ct) is not { } run)
        {
            return ReplayNotFound(id);
        }
        return TypedResults.Ok(await ResponseAsync(db, run, ct));
    }

    private static async Task<IResult> ChangesAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 200);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var ct = http.RequestAborted;
        if (await FindAsync(db, id, ct) is not { } run)
        {
            return ReplayNotFound(id);
        }
        var changes = db.RulePackReplayChanges.AsNoTracking().Where(c => c.ReplayId == run.Id);
        var total = await changes.CountAsync(ct);
        var items = await changes.OrderBy(c => c.OrderId).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new PageOf<RulePackReplayChangeResponse>([.. items.Select(c => new RulePackReplayChangeResponse(
            c.OrderId, c.AccountId, c.Symbol, c.Side.ToString(), c.Quantity, c.Price, c.CreatedAt, c.StoredOutcome, c.BaselineOutcome,
            c.DraftOutcome, Rules(c.NewlyFiredJson), Rules(c.NoLongerFiredJson), c.BaselineFault, c.DraftFault))], page, pageSize, total));
    }

    private static async Task<RulePackReplay?> FindAsync(TradSysDbContext db, string id, CancellationToken ct) =>
        Guid.TryParse(id, out var guid) ? await db.RulePackReplays.AsNoTracking().SingleOrDefaultAsync(r => r.Id == guid, ct) : null;

    private static async Task<RulePackReplayResponse> ResponseAsync(TradSysDbContext db, RulePackReplay run, CancellationToken ct)
    {
        var transitions = await db.RulePackReplayChanges.AsNoTracking().Where(c => c.ReplayId == run.Id)
            .GroupBy(c => new { c.BaselineOutcome, c.DraftOutcome })
            .Select(g => new { g.Key.BaselineOutcome, g.Key.DraftOutcome, Count = g.Count() })
            .ToListAsync(ct);
        return RulePackReplayResponse.Of(run, [.. transitions
            .OrderBy(t => t.BaselineOutcome, StringComparer.Ordinal).ThenBy(t => t.DraftOutcome, StringComparer.Ordinal)
            .Select(t => new ReplayTransition(t.BaselineOutcome, t.DraftOutcome, t.Count))]);
    }

    private static IReadOnlyList<ReplayRule> Rules(string json) => JsonSerializer.Deserialize<List<ReplayRule>>(json, RulesJson) ?? [];

    private static DateTime? Utc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } v => v,
        { Kind: DateTimeKind.Local } v => v.ToUniversalTime(),
        { } v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
    };

    private static IResult ReplayNotFound(string id) =>
        Problems.NotFound($"no replay run '{id}' exists (GET /api/v1/rulepacks/replays lists them)");
}

/// <summary>Start a replay: a draft pack and the orders to replay it over.</summary>
public sealed class RulePackReplayRequest
{
    /// <summary>The draft: the pack's JSON object, or its text as a JSON string (so that error lines match the editor).</summary>
    [System.Text.Json.Serialization.JsonObjectCreationHandling(System.Text.Json.Serialization.JsonObjectCreationHandling.Replace)]
    public JsonElement? Pack { get; set; }
    /// <summary>Orders created at or after this time (ISO 8601; UTC when no offset is given).</summary>
    public DateTime? From { get; set; }
    /// <summary>Orders created before this time.</summary>
    public DateTime? To { get; set; }
    /// <summary>Only this account's orders.</summary>
    public long? AccountId { get; set; }
    /// <summary>Only this instrument's orders.</summary>
    public string? Symbol { get; set; }
}

/// <summary>Replay a submitted change's content over the stored orders of a range (the draft is the change's).</summary>
public sealed class RulePackChangeReplayRequest
{
    /// <summary>Orders created at or after this time (ISO 8601; UTC when no offset is given).</summary>
    public DateTime? From { get; set; }
    /// <summary>Orders created before this time.</summary>
    public DateTime? To { get; set; }
    /// <summary>Only this account's orders.</summary>
    public long? AccountId { get; set; }
    /// <summary>Only this instrument's orders.</summary>
    public string? Symbol { get; set; }
}

/// <summary>The replays of a submitted change's exact content, for the approver.</summary>
/// <param name="InstanceId">The change (the task's workflow instance).</param>
/// <param name="PackId">The pack it changes.</param>
/// <param name="Version">The version it submits (or rolls back to).</param>
/// <param name="Kind">publish or rollback.</param>
/// <param name="Maker">The change's author.</param>
/// <param name="ContentSha256">The content hash the runs were matched on.</param>
/// <param name="Replays">The runs of that content, newest first; empty when nobody replayed it.</param>
public sealed record RulePackChangeReplaysResponse(Guid InstanceId, string PackId, string Version, string Kind, string Maker, string ContentSha256,
    IReadOnlyList<RulePackChangeReplay> Replays);

/// <summary>One replay of a change's content.</summary>
/// <param name="Run">The run: range, status, counts, transitions.</param>
/// <param name="ByAuthor">Whether the change's author ran it.</param>
/// <param name="Effects">The changed orders grouped by how their outcome moves and which rules cause it, most first.</param>
public sealed record RulePackChangeReplay(RulePackReplayResponse Run, bool ByAuthor, IReadOnlyList<ReplayEffect> Effects);

/// <summary>Changed orders with the same outcome move and the same rules behind it, e.g. Pass -> Block by SCA.PRICE_UPPER.</summary>
/// <param name="Baseline">The published set's outcome.</param>
/// <param name="Draft">The outcome with the change.</param>
/// <param name="NewlyFired">Rule ids that fire with the change and not without it.</param>
/// <param name="NoLongerFired">Rule ids that fire without the change and no longer with it.</param>
/// <param name="Count">How many orders.</param>
public sealed record ReplayEffect(string Baseline, string Draft, IReadOnlyList<string> NewlyFired, IReadOnlyList<string> NoLongerFired, int Count);

/// <summary>Changed orders counted by how their outcome moves.</summary>
/// <param name="Baseline">The published set's outcome.</param>
/// <param name="Draft">The outcome with the draft.</param>
/// <param name="Count">How many orders.</param>
public sealed record ReplayTransition(string Baseline, string Draft, int Count);

/// <summary>A replay run: request, status, progress and counts.</summary>
public sealed record RulePackReplayResponse(Guid Id, string PackId, string DraftVersion, DateTime From, DateTime To, long? AccountId,
    string? Symbol, string RequestedBy, DateTime RequestedAt, string Status, int Total, int Processed, int Percent, int Changed,
    int Unchanged, int Skipped, int SkippedNoContext, int SkippedRefused, int BaselineDiffersFromStored, string? BaselineVersions,
    IReadOnlyList<ReplayTransition>? Transitions, DateTime? StartedAt, DateTime? FinishedAt, string? Error, string? ContentSha256 = null)
{
    public static RulePackReplayResponse Of(RulePackReplay r, IReadOnlyList<ReplayTransition>? transitions)
    {
        var skipped = r.SkippedNoContext + r.SkippedRefused;
        var percent = r.Status == ReplayStatus.Completed ? 100 : r.Total == 0 ? 0 : (int)(100L * r.Processed / r.Total);
        return new(r.Id, r.PackId, r.DraftVersion, r.From, r.To, r.AccountId, r.Symbol, r.RequestedBy, r.RequestedAt, r.Status.ToString(),
            r.Total, r.Processed, percent, r.Changed, r.Processed - r.Changed - skipped, skipped, r.SkippedNoContext, r.SkippedRefused,
            r.BaselineDiffersFromStored, r.BaselineVersions, transitions, r.StartedAt, r.FinishedAt, r.Error, r.ContentSha256);
    }
}

/// <summary>An order whose decision would change under the draft.</summary>
public sealed record RulePackReplayChangeResponse(long OrderId, long AccountId, string Symbol, string Side, long Quantity, decimal? Price,
    DateTime CreatedAt, string StoredOutcome, string BaselineOutcome, string DraftOutcome, IReadOnlyList<ReplayRule> NewlyFired,
    IReadOnlyList<ReplayRule> NoLongerFired, string? BaselineFault, string? DraftFault);

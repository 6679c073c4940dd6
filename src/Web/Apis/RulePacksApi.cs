using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Compilation;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.RulePacks;
using TradSys.Web.Workflows;

namespace TradSys.Web.Apis;

/// <summary>
/// Rule-pack management under /api/v1/rulepacks, for the portal's rule editor: list, history, diff; validate and
/// dry-run drafts (never touching the published set); submit a new version or a rollback, which goes live (an atomic
/// hot swap) only when a second compliance officer approves its task (maker-checker: <see cref="RulePackApprovals"/>, the
/// rulepack-publication workflow; the author can never approve). Every change is audited. Reads: compliance, admin,
/// regulator. Drafts and submissions: compliance.
/// </summary>
public static class RulePacksApi
{
    /// <summary>Pack JSON is larger than an order; the shipped packs are 5-15 KiB.</summary>
    public const int MaxPackBytes = 256 * 1024;

    /// <summary>The stored decisions' context snapshots use the same options, so a snapshot can be dry-run as it is.</summary>
    internal static readonly JsonSerializerOptions OrderContextJson = Ordering.Rules.OrderContextJson.Options;

    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapRulePacksApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rulepacks").WithTags("Rule packs");
        api.MapGet("/", ListAsync).RequireAuthorization(Policies.ReadRulePacks).Produces<IReadOnlyList<RulePackSummary>>()
            .WithSummary("List the packs and their current versions");
        api.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.ReadRulePacks).Produces<RulePackVersionResponse>()
            .WithSummary("A pack's current version: metadata and its JSON text");
        api.MapGet("/{id}/versions", VersionsAsync).RequireAuthorization(Policies.ReadRulePacks)
            .Produces<IReadOnlyList<RulePackVersionSummary>>().WithSummary("A pack's version history, newest first");
        api.MapGet("/{id}/versions/{version}", VersionAsync).RequireAuthorization(Policies.ReadRulePacks)
            .Produces<RulePackVersionResponse>().WithSummary("One stored version: metadata and its JSON text");
        api.MapGet("/{id}/diff", DiffAsync).RequireAuthorization(Policies.ReadRulePacks).Produces<RulePackDiffResponse>()
            .WithSummary("Line diff of two versions").WithDescription(
                "from (required) and to (default: the current version): a unified diff of the two versions' pretty-printed JSON.");
        api.MapGet("/changes/{instanceId:guid}/diff", ChangeDiffAsync).RequireAuthorization(Policies.Tasks).Produces<RulePackDiffResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What a submitted change would change").WithDescription(
                "For the approver (the review inbox): a unified diff of the pack's current version against the change submitted " +
                "as workflow instance instanceId (the task's instanceId): the submitted JSON for a publish, the stored version for a rollback.");
        api.MapPost("/validate", (Func<HttpContext, Task<IResult>>)ValidateAsync).RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<RulePackDocument>("application/json").Produces<RulePackValidation>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Validate and compile a draft").WithDescription(
                "The body is the pack's JSON. 200 when it parses, satisfies the schema and every expression compiles inside the sandbox; " +
                "otherwise 400 with errors: [{packId, ruleId, location, line, position, message}]. Nothing is stored or published.");
        api.MapPost("/dry-run", DryRunAsync).RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<RulePackDryRunRequest>("application/json").Produces<RulePackDryRunResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Evaluate an order against a draft (or the published packs)").WithDescription(
                "{\"pack\": draft or omitted, \"order\": OrderContext}. The draft replaces the published pack of the same id in a copy " +
                "of the current rule set; the published set is never touched. Returns the outcome and its explanation.");
        api.MapPost("/order-context", OrdersApi.OrderContextAsync).ForwardedToTheWriter().RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<SubmitOrderRequest>("application/json").Produces<OrderContextResponse>().ProducesValidationProblem()
            .WithSummary("Assemble a sample order's context, to dry-run a draft on").WithDescription(
                "The body of POST /api/v1/orders (accountId, clientOrderId, symbol, side, type, quantity, price, compliance terms), " +
                "validated alike, on any active account. The single writer assembles the OrderContext exactly as for a new order now " +
                "(the account's facts and aggregates, the book, the day's statistics) and evaluates the published packs; nothing is " +
                "stored and the clientOrderId stays free. Returns the published outcome, its decision and the context, which " +
                "POST /api/v1/rulepacks/dry-run takes as order.");
        api.MapPost("/{id}/publish", PublishAsync).RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<RulePackDocument>("application/json").Produces<RulePackSubmissionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Submit a new version for approval (maker-checker)").WithDescription(
                "The body is the pack's JSON; its id must be the route's and its version new for the pack. Optional ?comment= (512 " +
                "characters). Validated and compiled, then submitted (202, audited rulepack.submitted) as a task for a second compliance " +
                "officer (POST /api/v1/tasks/{taskId}/approve); the author cannot approve it. On approval it is stored, audited " +
                "(rulepack.published) and swapped in atomically: orders are evaluated against the old set or the new, never a mix. " +
                "A bad draft changes nothing.");
        api.MapPost("/{id}/rollback", RollbackAsync).RequireAuthorization(Policies.ManageRulePacks)
            .Accepts<RulePackRollbackRequest>("application/json").Produces<RulePackSubmissionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Submit a rollback to a stored version for approval").WithDescription(
                "{\"version\": \"1.0.0\", \"comment\": optional}. A rollback is a change too: it goes live (audited rulepack.rolled_back, " +
                "swapped in like a publish) only when a second compliance officer approves its task.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db, RulePackStore store)
    {
        var heads = await db.RulePackHeads.AsNoTracking().Include(h => h.CurrentVersion).OrderBy(h => h.PackId).ToListAsync(http.RequestAborted);
        var running = store.Evaluator.RuleSet;
        return TypedResults.Ok(heads.Select(h =>
        {
            var v = h.CurrentVersion!;
            var doc = DocumentOf(v, running);
            return new RulePackSummary(h.PackId, doc.Regime, v.Version, doc.EffectiveFrom, doc.EffectiveTo, doc.Rules.Count, v.PublishedAt,
                v.PublishedBy, v.Sha256, h.ChangedAt, h.ChangedBy);
        }).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, TradSysDbContext db, RulePackStore store)
    {
        var head = await db.RulePackHeads.AsNoTracking().Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == id, http.RequestAborted);
        return head is null
            ? PackNotFound(id)
            : TypedResults.Ok(RulePackVersionResponse.From(head.CurrentVersion!, true, DocumentOf(head.CurrentVersion!, store.Evaluator.RuleSet)));
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var head = await db.RulePackHeads.AsNoTracking().SingleOrDefaultAsync(h => h.PackId == id, ct);
        if (head is null)
        {
            return PackNotFound(id);
        }
        var versions = await db.RulePackVersions.AsNoTracking().Where(v => v.PackId == id).OrderByDescending(v => v.Id).ToListAsync(ct);
        return TypedResults.Ok(versions.Select(v => RulePackVersionSummary.From(v, head.CurrentVersionId)).ToList());
    }

    private static async Task<IResult> VersionAsync(string id, string version, HttpContext http, TradSysDbContext db, RulePackStore store)
    {
        var ct = http.RequestAborted;
        var head = await db.RulePackHeads.AsNoTracking().SingleOrDefaultAsync(h => h.PackId == id, ct);
        if (head is null)
        {
            return PackNotFound(id);
        }
        var stored = await db.RulePackVersions.AsNoTracking().SingleOrDefaultAsync(v => v.PackId == id && v.Version == version, ct);
        return stored is null
            ? VersionNotFound(id, version)
            : TypedResults.Ok(RulePackVersionResponse.From(stored, stored.Id == head.CurrentVersionId, DocumentOf(stored, store.Evaluator.RuleSet)));
    }

    private static async Task<IResult> DiffAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var from = q.String("from");
        var to = q.String("to");
        if (from is null)
        {
            q.Add("from", "is required: the version to diff from (GET .../versions lists them)");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var head = await db.RulePackHeads.AsNoTracking().Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == id, ct);
        if (head is null)
        {
            return PackNotFound(id);
        }
        to ??= head.CurrentVersion!.Version;
        var pair = await db.RulePackVersions.AsNoTracking().Where(v => v.PackId == id && (v.Version == from || v.Version == to)).ToListAsync(ct);
        var a = pair.Find(v => v.Version == from);
        var b = pair.Find(v => v.Version == to);
        if (a is null || b is null)
        {
            return VersionNotFound(id, a is null ? from! : to);
        }
        var (text, added, removed) = LineDiff.Unified($"{id}@{a.Version}", $"{id}@{b.Version}", Lines(a.Json), Lines(b.Json));
        return TypedResults.Ok(new RulePackDiffResponse(id, a.Version, b.Version, added, removed, text, PackChanges.Between(a.Json, b.Json)));
    }

    private static async Task<IResult> ChangeDiffAsync(Guid instanceId, HttpContext http, TradSysDbContext db, RulePackApprovals approvals)
    {
        var ct = http.RequestAborted;
        var (change, json, notFound) = await ChangeJsonAsync(instanceId, db, approvals, ct);
        if (notFound is not null)
        {
            return notFound;
        }
        var head = await db.RulePackHeads.AsNoTracking().Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == change!.PackId, ct);
        var from = head?.CurrentVersion;
        var (text, added, removed) = LineDiff.Unified($"{change!.PackId}@{from?.Version ?? "(none)"}", $"{change.PackId}@{change.Version} ({change.Kind})",
            from is null ? [] : Lines(from.Json), Lines(json!));
        return TypedResults.Ok(new RulePackDiffResponse(change.PackId, from?.Version ?? "", change.Version, added, removed, text,
            PackChanges.Between(from?.Json, json!)));
    }

    /// <summary>A submitted change and the JSON it would make current: the submitted text of a publish, the stored version of a rollback.</summary>
    internal static async Task<(RulePackPendingChange? Change, string? Json, IResult? NotFound)> ChangeJsonAsync(Guid instanceId, TradSysDbContext db,
        RulePackApprovals approvals, CancellationToken ct)
    {
        if (await approvals.ChangeOfAsync(instanceId, ct) is not { } change)
        {
            return (null, null, Problems.NotFound($"no rule-pack change '{instanceId}' exists (a task's instanceId names one)"));
        }
        var json = change.Json ?? (await db.RulePackVersions.AsNoTracking()
            .SingleOrDefaultAsync(v => v.PackId == change.PackId && v.Version == change.Version, ct))?.Json;
        return json is null ? (change, null, VersionNotFound(change.PackId, change.Version)) : (change, json, null);
    }

    private static async Task<IResult> ValidateAsync(HttpContext http)
    {
        var (json, problem) = await RequestBody.ReadTextAsync(http, MaxPackBytes);
        if (problem is not null)
        {
            return problem;
        }
        return TryCompile(json!, "draft", out var pack, out var errors)
            ? TypedResults.Ok(new RulePackValidation(true, pack!.Id, pack.Version, pack.Rules.Count, RuleDryRun.Warnings(pack)))
            : PackInvalid(errors);
    }

    private static async Task<IResult> DryRunAsync(HttpContext http, RulePackStore store)
    {
        var (request, problem) = await RequestBody.ReadAsync<RulePackDryRunRequest>(http, MaxPackBytes, OrderContextJson);
        if (problem is not null)
        {
            return problem;
        }
        if (request!.Order is not { } order)
        {
            return Problems.Invalid("order", "is required: the order context to evaluate (order, account, instrument, venue, market, aggregates)");
        }
        if (order.Market.TradeDate == default)
        {
            return Problems.Invalid("order.market.tradeDate", "is required: packs apply by effective date (e.g. \"2026-01-05\")");
        }
        // A copy: the published evaluator is never touched by a dry run.
        var ruleSet = store.Evaluator.RuleSet;
        CompiledPack? draft = null;
        if (request.Pack is { ValueKind: not JsonValueKind.Null } element)
        {
            if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.String))
            {
                return Problems.Invalid("pack", "must be the pack's JSON object, or its text as a JSON string");
            }
            var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
            if (!TryCompile(text, "draft", out draft, out var errors))
            {
                return PackInvalid(errors);
            }
            ruleSet = ruleSet.With(draft!);
        }
        var decision = new RuleDecision();
        new RuleEvaluator(ruleSet).Evaluate(order, decision);
        var explanation = decision.Explain(order);
        return TypedResults.Ok(new RulePackDryRunResponse(explanation.Outcome, draft is null ? null : new AppliedPack(draft.Id, draft.Version),
            explanation.AppliedPacks, [.. explanation.FiredRules.Select(FiredRuleResponse.From)], explanation.Fault));
    }

    private static async Task<IResult> PublishAsync(string id, HttpContext http, ClaimsPrincipal user, RulePackApprovals approvals)
    {
        var q = new Query(http.Request.Query);
        var comment = q.String("comment", 512);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var (json, problem) = await RequestBody.ReadTextAsync(http, MaxPackBytes);
        if (problem is not null)
        {
            return problem;
        }
        if (!TryCompile(json!, $"draft of {id}", out var pack, out var errors))
        {
            return PackInvalid(errors);
        }
        if (!string.Equals(pack!.Id, id, StringComparison.Ordinal))
        {
            return Problems.Invalid("id", $"the pack's id is '{pack.Id}' but it is published to /api/v1/rulepacks/{id}; they must be the same");
        }
        var submission = await approvals.SubmitPublishAsync(pack, json!, Caller.From(user).UserName, comment, http.RequestAborted);
        if (submission.Outcome == RulePackChangeOutcome.VersionExists)
        {
            return Problems.Invalid("version", $"pack '{id}' already has a version {pack.Version}; a published version is never replaced: give the draft a new version");
        }
        return Submitted(submission.Instance!, id, pack.Version, "publish");
    }

    private static async Task<IResult> RollbackAsync(string id, HttpContext http, ClaimsPrincipal user, RulePackApprovals approvals)
    {
        var (request, problem) = await RequestBody.ReadAsync<RulePackRollbackRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(request!.Version))
        {
            return Problems.Invalid("version", "is required: the stored version to make current (GET .../versions lists them)");
        }
        if (request.Comment is { Length: > 512 })
        {
            return Problems.Invalid("comment", "must be at most 512 characters");
        }
        var version = request.Version.Trim();
        var submission = await approvals.SubmitRollbackAsync(id, version, Caller.From(user).UserName, request.Comment, http.RequestAborted);
        return submission.Outcome switch
        {
            RulePackChangeOutcome.PackNotFound => PackNotFound(id),
            RulePackChangeOutcome.VersionNotFound => VersionNotFound(id, version),
            RulePackChangeOutcome.AlreadyCurrent => Problems.Conflict($"version {version} of pack '{id}' is already current"),
            _ => Submitted(submission.Instance!, id, version, "rollback"),
        };
    }

    private static IResult Submitted(TradSys.Workflows.Runtime.WorkflowInstance instance, string packId, string version, string kind) =>
        TypedResults.Accepted($"/api/v1/workflows/instances/{instance.Id}", new RulePackSubmissionResponse(packId, version, kind, instance.State, instance.Id,
            TaskResponse.From(instance.OpenTask!, instance, null)));

    /// <summary>
    /// Parses, validates and compiles, then dry-runs every rule over the sample orders (<see cref="RuleDryRun"/>): a rule
    /// that faults would block every order it meets, so it is refused here with the rule and the fault. Every failure
    /// becomes a precise error.
    /// </summary>
    internal static bool TryCompile(string json, string source, out CompiledPack? pack, out IReadOnlyList<RulePackError> errors)
    {
        try
        {
            pack = RulePackStore.Compile(json, source);
            errors = RuleDryRun.Check(pack, source);
            if (errors.Count > 0)
            {
                pack = null;
                return false;
            }
            return true;
        }
        catch (RulePackException ex)
        {
            pack = null;
            errors = ex.Errors;
            return false;
        }
        catch (JsonException ex)
        {
            // A value the schema admits but the model cannot hold, e.g. effectiveFrom "2026-02-30".
            pack = null;
            var path = string.IsNullOrEmpty(ex.Path) ? "" : ex.Path.TrimStart('$', '.');
            errors = [new RulePackError(source, null, null, path, null, null, $"the value at {(path.Length > 0 ? path : "the root")} cannot be read: " +
                ex.Message.Split(" Path:", 2)[0])];
            return false;
        }
    }

    /// <summary>The running pack's document when it is this version (no parse), else the stored text parsed.</summary>
    private static RulePackDocument DocumentOf(RulePackVersion v, CompiledRuleSet running) =>
        running.Find(v.PackId) is { } p && string.Equals(p.Version, v.Version, StringComparison.Ordinal)
            ? p.Document
            : RulePackLoader.Parse(v.Json, $"{v.PackId}@{v.Version}");

    private static string[] Lines(string json) =>
        JsonNode.Parse(json)!.ToJsonString(PrettyJson).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    internal static IResult PackInvalid(IReadOnlyList<RulePackError> errors) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The rule pack is not valid",
            detail: errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems, the first: {errors[0]}",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(RulePackErrorResponse.From).ToList() });

    private static IResult PackNotFound(string id) =>
        Problems.NotFound($"no rule pack '{id}' has been published (GET /api/v1/rulepacks lists them)");

    private static IResult VersionNotFound(string id, string version) =>
        Problems.NotFound($"rule pack '{id}' has no version {version} (GET /api/v1/rulepacks/{id}/versions lists them)");
}

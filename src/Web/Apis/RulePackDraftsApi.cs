using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.RulePacks;

namespace TradSys.Web.Apis;

/// <summary>
/// Saved drafts of the rule editor, under /api/v1/rulepacks/{id}/draft and /api/v1/rulepacks/drafts: a compliance officer
/// keeps an unfinished edit of a pack on the server (valid or not) and reopens it another day, in another browser. One
/// draft per pack and author, and only its author reads, saves or discards it: a draft is work in progress, not a proposal
/// (what a second officer reviews is a submission, through maker-checker), and private drafts never make two officers
/// overwrite each other's text. Saving or discarding never changes the published pack nor submits anything; both are
/// audited (rulepack.draft_saved, rulepack.draft_discarded, with the text's hashes and size, not the text), so the trail
/// still shows who worked on which pack when. Optimistic concurrency as for users: the ETag of a read or save goes back in
/// If-Match, and a draft saved or discarded in between (another window) answers 412 with nothing changed.
/// </summary>
public static class RulePackDraftsApi
{
    /// <summary>The largest draft text kept: the same limit as a pack sent to validate or publish.</summary>
    public const int MaxDraftBytes = RulePacksApi.MaxPackBytes;

    public static IEndpointRouteBuilder MapRulePackDraftsApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rulepacks").WithTags("Rule pack drafts").RequireAuthorization(Policies.ManageRulePacks);
        api.MapGet("/drafts", ListAsync).Produces<IReadOnlyList<RulePackDraftResponse>>()
            .WithSummary("Your saved drafts, one per pack").WithDescription(
                "The caller's drafts (never another officer's), newest save first, without their text: the pack, the published version each " +
                "started from, the pack's current version and stale when it has been published at another version since.");
        api.MapGet("/{id}/draft", GetAsync).Produces<RulePackDraftResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Your saved draft of a pack, with its text").WithDescription(
                "404 when the pack does not exist or you have no draft of it. The ETag header is the draft's revision: send it back in " +
                "If-Match to save or discard it.");
        api.MapPut("/{id}/draft", SaveAsync).Accepts<RulePackDraftRequest>("application/json")
            .Produces<RulePackDraftResponse>().Produces<RulePackDraftResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Save your draft of a pack").WithDescription(
                $"{{\"json\": the editor's text (any text up to {MaxDraftBytes} bytes in UTF-8; it need not parse or validate), " +
                "\"basedOnVersion\": the published version the edit started from (a stored version of the pack)}. 201 for a first save, " +
                "200 after. If-Match (the ETag of the last read or save) makes a save that another window overtook answer 412; " +
                "If-None-Match: * makes a first save answer 412 when a draft exists already. Audited (rulepack.draft_saved); the " +
                "published pack is not touched and nothing is submitted.");
        api.MapDelete("/{id}/draft", DiscardAsync).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Discard your draft of a pack").WithDescription(
                "204, audited (rulepack.draft_discarded). With If-Match, a draft saved since answers 412 and is kept.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var author = Caller.From(user).UserName;
        var drafts = await db.RulePackDrafts.AsNoTracking().Where(d => d.Author == author).ToListAsync(ct);
        var current = await CurrentVersionsAsync(db, ct);
        return TypedResults.Ok(drafts.OrderByDescending(d => d.SavedAt).ThenBy(d => d.PackId, StringComparer.Ordinal)
            .Select(d => RulePackDraftResponse.Of(d, current.GetValueOrDefault(d.PackId), withJson: false)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        if (await CurrentVersionAsync(db, id, ct) is not { } current)
        {
            return PackNotFound(id);
        }
        var author = Caller.From(user).UserName;
        var draft = await db.RulePackDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.PackId == id && d.Author == author, ct);
        if (draft is null)
        {
            return DraftNotFound(id);
        }
        http.Response.Headers.ETag = ETagOf(draft);
        return TypedResults.Ok(RulePackDraftResponse.Of(draft, current, withJson: true));
    }

    private static async Task<IResult> SaveAsync(string id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock)
    {
        var ct = http.RequestAborted;
        // JSON escaping can double a text's size on the wire: the text's own limit is checked below, by field.
        var (request, problem) = await RequestBody.ReadAsync<RulePackDraftRequest>(http, 2 * MaxDraftBytes + 4096);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request!.Json))
        {
            errors["json"] = ["is required: the editor's text (it need not validate yet)"];
        }
        else if (Encoding.UTF8.GetByteCount(request.Json) is var bytes && bytes > MaxDraftBytes)
        {
            errors["json"] = [$"must be at most {MaxDraftBytes} bytes in UTF-8; this draft is {bytes} bytes"];
        }
        var basedOn = request.BasedOnVersion?.Trim();
        if (string.IsNullOrEmpty(basedOn))
        {
            errors["basedOnVersion"] = ["is required: the published version the edit started from (GET /api/v1/rulepacks/{id} names the current one)"];
        }
        if (await CurrentVersionAsync(db, id, ct) is not { } current)
        {
            return PackNotFound(id);
        }
        if (!string.IsNullOrEmpty(basedOn) && !await db.RulePackVersions.AsNoTracking().AnyAsync(v => v.PackId == id && v.Version == basedOn, ct))
        {
            errors["basedOnVersion"] = [$"pack '{id}' has no version {basedOn} (GET /api/v1/rulepacks/{id}/versions lists them)"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var author = Caller.From(user).UserName;
        var draft = await db.RulePackDrafts.SingleOrDefaultAsync(d => d.PackId == id && d.Author == author, ct);
        if (Precondition(http, draft, id) is { } refused)
        {
            return refused;
        }
        var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        var created = draft is null;
        if (draft is null)
        {
            draft = new RulePackDraft { PackId = id, Author = author, Json = request.Json!, BasedOnVersion = basedOn!, CreatedAt = now, SavedAt = now, Revision = 1 };
            db.RulePackDrafts.Add(draft);
        }
        else
        {
            draft.Json = request.Json!;
            draft.BasedOnVersion = basedOn!;
            draft.SavedAt = now;
            draft.Revision++;
        }
        try
        {
            await audit.SaveWithAsync(db, [new AuditEntry(now, author, "rulepack.draft_saved", $"rulepack/{id}", AuditTrail.Serialize(new
            {
                pack = id, basedOnVersion = basedOn, revision = draft.Revision, bytes = Encoding.UTF8.GetByteCount(draft.Json),
                sha256 = RulePackStore.Sha256Of(draft.Json), contentSha256 = RulePackStore.ContentSha256Of(draft.Json),
            }))], ct);
        }
        catch (DbUpdateException)
        {
            // Another window saved or discarded this draft between our read and our write (the revision moved, or its first save won).
            return ChangedMeanwhile(id);
        }
        http.Response.Headers.ETag = ETagOf(draft);
        var response = RulePackDraftResponse.Of(draft, current, withJson: true);
        return created ? TypedResults.Created($"/api/v1/rulepacks/{Uri.EscapeDataString(id)}/draft", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> DiscardAsync(string id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock)
    {
        var ct = http.RequestAborted;
        if (await CurrentVersionAsync(db, id, ct) is null)
        {
            return PackNotFound(id);
        }
        var author = Caller.From(user).UserName;
        var draft = await db.RulePackDrafts.SingleOrDefaultAsync(d => d.PackId == id && d.Author == author, ct);
        if (draft is null)
        {
            return DraftNotFound(id);
        }
        if (Precondition(http, draft, id) is { } refused)
        {
            return refused;
        }
        db.RulePackDrafts.Remove(draft);
        var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        try
        {
            await audit.SaveWithAsync(db, [new AuditEntry(now, author, "rulepack.draft_discarded", $"rulepack/{id}", AuditTrail.Serialize(new
            {
                pack = id, basedOnVersion = draft.BasedOnVersion, revision = draft.Revision, sha256 = RulePackStore.Sha256Of(draft.Json),
            }))], ct);
        }
        catch (DbUpdateException)
        {
            return ChangedMeanwhile(id);
        }
        return TypedResults.NoContent();
    }

    /// <summary>If-Match against the stored draft (a missing draft matches nothing), If-None-Match: * against any draft.</summary>
    private static IResult? Precondition(HttpContext http, RulePackDraft? draft, string id)
    {
        var ifMatch = http.Request.Headers.IfMatch;
        if (ifMatch.Count > 0 && !(draft is not null && (ifMatch.Contains("*") || ifMatch.Contains(ETagOf(draft)))))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                detail: draft is null
                    ? $"your draft of pack '{id}' no longer exists (discarded, perhaps in another window); nothing was changed: save without If-Match to keep this text"
                    : $"your draft of pack '{id}' was saved since the revision in If-Match (in another window?); nothing was changed: " +
                      $"open it again (its ETag is now {ETagOf(draft)}) or save without If-Match to overwrite it");
        }
        if (draft is not null && http.Request.Headers.IfNoneMatch.Contains("*"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "A draft exists already",
                detail: $"you already have a draft of pack '{id}' (ETag {ETagOf(draft)}, saved {draft.SavedAt:yyyy-MM-dd HH:mm} UTC); nothing was changed: open it, or save with its ETag in If-Match to overwrite it");
        }
        return null;
    }

    /// <summary>Row id and revision: a draft discarded and saved again never takes the ETag of the one before.</summary>
    private static string ETagOf(RulePackDraft draft) =>
        new EntityTagHeaderValue($"\"{draft.Id.ToString(CultureInfo.InvariantCulture)}-{draft.Revision.ToString(CultureInfo.InvariantCulture)}\"").ToString();

    private static async Task<string?> CurrentVersionAsync(TradSysDbContext db, string id, CancellationToken ct) =>
        await db.RulePackHeads.AsNoTracking().Where(h => h.PackId == id).Select(h => h.CurrentVersion!.Version).SingleOrDefaultAsync(ct);

    private static async Task<Dictionary<string, string>> CurrentVersionsAsync(TradSysDbContext db, CancellationToken ct) =>
        await db.RulePackHeads.AsNoTracking().Select(h => new { h.PackId, h.CurrentVersion!.Version }).ToDictionaryAsync(h => h.PackId, h => h.Version, ct);

    private static IResult ChangedMeanwhile(string id) => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Changed since you read it", detail: $"your draft of pack '{id}' was saved or discarded by another request at the same moment; nothing was changed: open it again");

    private static IResult PackNotFound(string id) =>
        Problems.NotFound($"no rule pack '{id}' has been published (GET /api/v1/rulepacks lists them)");

    private static IResult DraftNotFound(string id) =>
        Problems.NotFound($"you have no saved draft of pack '{id}' (GET /api/v1/rulepacks/drafts lists yours)");
}

/// <summary>Save a draft: the editor's text as it is, and the published version the edit started from.</summary>
public sealed class RulePackDraftRequest
{
    /// <summary>The editor's text; it need not parse or validate.</summary>
    public string? Json { get; set; }
    /// <summary>The published version the edit started from.</summary>
    public string? BasedOnVersion { get; set; }
}

/// <summary>A saved draft.</summary>
/// <param name="PackId">The pack it edits.</param>
/// <param name="Author">Whose it is.</param>
/// <param name="BasedOnVersion">The published version the edit started from.</param>
/// <param name="CurrentVersion">The pack's current version now.</param>
/// <param name="Stale">True when the pack has been published (or rolled back) at another version since the edit started.</param>
/// <param name="CreatedAt">First saved (UTC).</param>
/// <param name="SavedAt">Last saved (UTC).</param>
/// <param name="Revision">Raised by each save.</param>
/// <param name="Bytes">The text's size in UTF-8.</param>
/// <param name="Json">The text (null in the list).</param>
public sealed record RulePackDraftResponse(string PackId, string Author, string BasedOnVersion, string CurrentVersion, bool Stale,
    DateTime CreatedAt, DateTime SavedAt, long Revision, int Bytes, string? Json)
{
    public static RulePackDraftResponse Of(RulePackDraft d, string? currentVersion, bool withJson) =>
        new(d.PackId, d.Author, d.BasedOnVersion, currentVersion ?? "", !string.Equals(d.BasedOnVersion, currentVersion, StringComparison.Ordinal),
            d.CreatedAt, d.SavedAt, d.Revision, Encoding.UTF8.GetByteCount(d.Json), withJson ? d.Json : null);
}

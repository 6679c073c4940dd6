namespace TradSys.Web.Persistence.Entities;

/// <summary>Where a replay run is.</summary>
public enum ReplayStatus
{
    /// <summary>Stored and handed to the job queue; not started yet.</summary>
    Queued,
    /// <summary>The job is evaluating pages of orders.</summary>
    Running,
    /// <summary>Every order in the range was evaluated.</summary>
    Completed,
    /// <summary>The job stopped with an error (<see cref="RulePackReplay.Error"/>); a retry continues where it stopped.</summary>
    Failed,
}

/// <summary>
/// A replay of a draft rule pack over the stored orders of a date range (table <c>rule_pack_replays</c>): the request,
/// its progress and its counts. The orders whose decision would change are in <see cref="RulePackReplayChange"/>.
/// </summary>
public sealed class RulePackReplay
{
    /// <summary>The run's id.</summary>
    public Guid Id { get; set; }
    /// <summary>The draft's pack id (it replaces the published pack with this id, or is added when the id is new).</summary>
    public required string PackId { get; set; }
    /// <summary>The draft's version string.</summary>
    public required string DraftVersion { get; set; }
    /// <summary>The draft's JSON text as sent.</summary>
    public required string DraftJson { get; set; }
    /// <summary>
    /// <see cref="RulePacks.RulePackStore.ContentSha256Of"/> of the draft: what ties a submitted change to the replays of the very
    /// same content (null for runs stored before it was kept).
    /// </summary>
    public string? ContentSha256 { get; set; }
    /// <summary>Orders created at or after this time (UTC).</summary>
    public DateTime From { get; set; }
    /// <summary>Orders created before this time (UTC).</summary>
    public DateTime To { get; set; }
    /// <summary>Only this account's orders, when set.</summary>
    public long? AccountId { get; set; }
    /// <summary>Only this instrument's orders, when set.</summary>
    public string? Symbol { get; set; }
    /// <summary>Who asked for the run.</summary>
    public required string RequestedBy { get; set; }
    /// <summary>When the run was asked for.</summary>
    public DateTime RequestedAt { get; set; }
    /// <summary>Where the run is.</summary>
    public ReplayStatus Status { get; set; }
    /// <summary>Orders in the range (fixed when the job first starts: the orders up to <see cref="LastOrderIdInRange"/>).</summary>
    public int Total { get; set; }
    /// <summary>Orders evaluated or skipped so far.</summary>
    public int Processed { get; set; }
    /// <summary>Orders whose decision would change.</summary>
    public int Changed { get; set; }
    /// <summary>Orders skipped because their decision was stored without a context (decided before contexts were stored).</summary>
    public int SkippedNoContext { get; set; }
    /// <summary>Orders skipped because they were refused before the packs ran (no context could be assembled).</summary>
    public int SkippedRefused { get; set; }
    /// <summary>Orders whose baseline outcome (the published set now) differs from the outcome stored when they were decided.</summary>
    public int BaselineDiffersFromStored { get; set; }
    /// <summary>The highest order id in the range when the run started: orders arriving later are not part of it.</summary>
    public long LastOrderIdInRange { get; set; }
    /// <summary>Keyset cursor: every order up to this id has been processed and its change (if any) stored.</summary>
    public long Cursor { get; set; }
    /// <summary>The published packs and versions the baseline was evaluated with ("id version" pairs); a retry with another set restarts the run.</summary>
    public string? BaselineVersions { get; set; }
    /// <summary>When the job first started (or last restarted) the run.</summary>
    public DateTime? StartedAt { get; set; }
    /// <summary>When the run completed or failed.</summary>
    public DateTime? FinishedAt { get; set; }
    /// <summary>Why the run failed.</summary>
    public string? Error { get; set; }
}

/// <summary>An order whose decision would change under a replayed draft (table <c>rule_pack_replay_changes</c>).</summary>
public sealed class RulePackReplayChange
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>The run.</summary>
    public Guid ReplayId { get; set; }
    /// <summary>The order (unique per run: a retried page never duplicates it).</summary>
    public long OrderId { get; set; }
    /// <summary>The order's account.</summary>
    public long AccountId { get; set; }
    /// <summary>The order's instrument.</summary>
    public required string Symbol { get; set; }
    /// <summary>Buy or sell.</summary>
    public Side Side { get; set; }
    /// <summary>Quantity ordered.</summary>
    public long Quantity { get; set; }
    /// <summary>Limit price, if any.</summary>
    public decimal? Price { get; set; }
    /// <summary>When the order was created.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>The outcome stored when the order was decided.</summary>
    public required string StoredOutcome { get; set; }
    /// <summary>The published rule set's outcome on the stored context.</summary>
    public required string BaselineOutcome { get; set; }
    /// <summary>The outcome with the draft in place of the published pack.</summary>
    public required string DraftOutcome { get; set; }
    /// <summary>Rules that fire with the draft but not with the baseline (JSON list of {packId, ruleId, outcome, reasonCode, message}).</summary>
    public required string NewlyFiredJson { get; set; }
    /// <summary>Rules that fire with the baseline but no longer with the draft (same form).</summary>
    public required string NoLongerFiredJson { get; set; }
    /// <summary>A rule that threw with the baseline set, if any (the outcome is then Block).</summary>
    public string? BaselineFault { get; set; }
    /// <summary>A rule that threw with the draft, if any.</summary>
    public string? DraftFault { get; set; }
}

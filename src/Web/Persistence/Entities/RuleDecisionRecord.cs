namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// The rule packs' decision on one order, stored with the order in the same transaction: the outcome as a
/// queryable column, the packs and versions applied, and the fired rules with their reason codes, messages,
/// articles and the input values each read (JSON, as <see cref="Ordering.Rules.StoredDecision"/>).
/// </summary>
public sealed class RuleDecisionRecord
{
    /// <summary>The order decided (one decision per order).</summary>
    public long OrderId { get; set; }
    /// <summary>Pass, Warn, Report, Review or Block.</summary>
    public required string Outcome { get; set; }
    /// <summary>Comma-separated reason codes of the rules that fired (for queries); empty when none fired.</summary>
    public required string ReasonCodes { get; set; }
    /// <summary>Comma-separated rule ids with outcome Report: the regulatory reports pick these orders up.</summary>
    public required string ReportTags { get; set; }
    /// <summary>The whole decision with its explanation, JSON.</summary>
    public required string Json { get; set; }
    /// <summary>
    /// The order context the packs were evaluated on (JSON, <see cref="Ordering.Rules.OrderContextJson"/>): market state and
    /// aggregates as they were at that moment, so a replay re-evaluates exactly what was decided. With
    /// <see cref="AccountSnapshotId"/> and <see cref="InstrumentSnapshotId"/> set it holds the order's own views only ("order",
    /// "market", "aggregates") and the account's and instrument's views are in those snapshots
    /// (<see cref="Ordering.Rules.StoredContext"/> puts them together); without, the whole context (decisions stored before
    /// migration ContextSnapshots). Null for decisions made before contexts were stored and for orders refused before the packs ran.
    /// </summary>
    public string? ContextJson { get; set; }
    /// <summary>The account's view the packs read (<see cref="ContextSnapshotRecord"/>); null for older decisions.</summary>
    public long? AccountSnapshotId { get; set; }
    /// <summary>The instrument's and venue's views the packs read (<see cref="ContextSnapshotRecord"/>); null for older decisions.</summary>
    public long? InstrumentSnapshotId { get; set; }
    public DateTime DecidedAt { get; set; }
}

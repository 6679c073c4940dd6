namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A part of the order contexts the rule packs read that many orders share: an account's view (its onboarding facts as the
/// packs saw them) or an instrument's view with its venue. Stored once, when an order first reads it, and referenced by
/// every rule decision that read the same values (<see cref="RuleDecisionRecord.AccountSnapshotId"/>,
/// <see cref="RuleDecisionRecord.InstrumentSnapshotId"/>); never changed afterwards. A change of the account or the
/// instrument makes a new snapshot, so each decision keeps exactly what it read.
/// </summary>
public sealed class ContextSnapshotRecord
{
    /// <summary>Assigned by the order writer, gap-free.</summary>
    public long Id { get; set; }
    /// <summary>"account" or "instrument".</summary>
    public required string Kind { get; set; }
    /// <summary>SHA-256 of <see cref="Json"/> (lowercase hex): one row per distinct content.</summary>
    public required string Sha256 { get; set; }
    /// <summary>The view as JSON (<see cref="Ordering.Rules.OrderContextJson"/>): the account view, or an object with "instrument" and "venue".</summary>
    public required string Json { get; set; }
    /// <summary>When an order first read it.</summary>
    public DateTime FirstUsedAt { get; set; }
}

namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A tamper-evident audit entry: <see cref="Hash"/> is SHA-256 over this record's fields and the
/// previous record's hash, so changing or removing any record breaks every link after it.
/// </summary>
public sealed class AuditRecord
{
    /// <summary>Gap-free sequence starting at 1.</summary>
    public long Id { get; set; }
    public DateTime Timestamp { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Subject { get; set; }
    public required string Details { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>How far the outbox publisher has published a journal: at-least-once delivery.</summary>
public sealed class OutboxCursor
{
    public required string Name { get; set; }
    public long LastSequence { get; set; }
}

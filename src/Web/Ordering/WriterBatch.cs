using TradSys.Web.Auditing;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering;

/// <summary>
/// What one batch of the single writer gathers between taking its commands and committing them: the one timestamp every
/// command of the batch is stamped with, the account and instrument rows read for it (the rules read them; ownership is
/// checked against them), the earlier orders its resends name, and what the commit must write besides the recorder's
/// orders, journal entries and trades: rule decisions and audit records. Cleared after each batch, committed or not.
/// </summary>
internal sealed class WriterBatch
{
    /// <summary>The batch's timestamp (UTC, truncated to microseconds so it survives PostgreSQL).</summary>
    public DateTime Now { get; private set; }

    /// <summary>The batch's timestamp in ticks, as the engine takes it.</summary>
    public long Timestamp => Now.Ticks;

    /// <summary>Account rows of the batch's orders, read once per batch.</summary>
    public Dictionary<long, Account> Accounts { get; set; } = [];

    /// <summary>Instrument rows of the batch's orders, read once per batch.</summary>
    public Dictionary<string, Instrument> Instruments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Earlier orders named by the batch's resends (same account and client order id), by id.</summary>
    public Dictionary<long, OrderRecord> Priors { get; set; } = [];

    /// <summary>The orders the batch has created so far, by id (a resend within the same batch finds them here).</summary>
    public Dictionary<long, OrderRecord> Created { get; } = [];

    /// <summary>The rule decisions of the batch's new orders (one row per order).</summary>
    public List<RuleDecisionRecord> Decisions { get; } = [];

    /// <summary>The batch's audit records, chained at commit in this order.</summary>
    public List<AuditEntry> Audit { get; } = [];

    /// <summary>The ClOrdIDs of FIX clients' replaces and cancels the batch carried out (<see cref="FixClientRequest"/>).</summary>
    public List<FixClientOrderIdRecord> FixClOrdIds { get; } = [];

    /// <summary>Instruments whose book or phase the batch changed (their market data is republished).</summary>
    public HashSet<InstrumentId> Touched { get; } = [];

    public void Begin(DateTime now)
    {
        Clear();
        Now = now;
    }

    /// <summary>Records an audit entry stamped with the batch's time.</summary>
    public void Record(string actor, string action, string subject, object details) =>
        Audit.Add(new AuditEntry(Now, actor, action, subject, AuditTrail.Serialize(details)));

    public void Clear()
    {
        Accounts = [];
        Instruments = new(StringComparer.Ordinal);
        Priors = [];
        Created.Clear();
        Decisions.Clear();
        Audit.Clear();
        FixClOrdIds.Clear();
        Touched.Clear();
    }
}

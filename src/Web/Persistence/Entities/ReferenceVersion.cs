namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A change counter per reference table (accounts, instruments), raised by database triggers on every insert, update or
/// delete, whoever makes the change (the API, a migration, an operator's SQL). The order writer keeps the rows it reads in
/// memory and reads only these counters per batch: a changed counter makes it read the rows again, so a change still counts
/// from the next batch without a read of every row per batch.
/// </summary>
public sealed class ReferenceVersion
{
    /// <summary>The table: "accounts" or "instruments".</summary>
    public required string Name { get; set; }
    /// <summary>Raised by one on every statement that changes the table.</summary>
    public long Version { get; set; }
}

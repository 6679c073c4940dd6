namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One version of an instrument's listing data, written by the order writer with every listing, edit or delisting through
/// /api/v1/instruments (issue 14), in the same transaction as the instrument row and its audit record: who, when, why, which fields
/// changed and the instrument before (null for the listing) and after, as the JSON of <c>InstrumentDetailResponse</c>. Version numbers
/// run 1, 2, ... per instrument; an instrument seeded or loaded before this table existed starts at version 0 (its first edit
/// records the state it had).
/// </summary>
public sealed class InstrumentVersion
{
    public long Id { get; set; }
    public required string Symbol { get; set; }
    public int Version { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>The request fields whose value changed (all of them for a listing).</summary>
    public List<string> ChangedFields { get; set; } = [];
    /// <summary>The instrument before the change (JSON), null for the version that listed it.</summary>
    public string? Before { get; set; }
    /// <summary>The instrument after the change (JSON).</summary>
    public required string After { get; set; }
}

namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One version of a venue's calendar (trading days, sessions, holidays, half days), written by the order writer with every change
/// through PUT /api/v1/venues/{code}/calendar (issue 14), in the same transaction as the venue row and its audit record: who, when,
/// why, which fields changed and the calendar before and after (JSON of <c>VenueCalendarResponse</c> without its version). Version
/// numbers run 1, 2, ... per venue; a venue seeded or loaded from a file starts at version 0.
/// </summary>
public sealed class VenueVersion
{
    public long Id { get; set; }
    public required string VenueCode { get; set; }
    public int Version { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>The calendar fields whose value changed.</summary>
    public List<string> ChangedFields { get; set; } = [];
    /// <summary>The calendar before the change (JSON).</summary>
    public required string Before { get; set; }
    /// <summary>The calendar after the change (JSON).</summary>
    public required string After { get; set; }
}

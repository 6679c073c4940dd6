namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One change of a currency's reference FX rate through <c>PUT /api/v1/fx-rates/{currency}</c>: the rates before and after, who changed
/// them, when and why. Versions count from 1 per currency; a currency loaded by <c>reference load</c> or the demo data has no version until
/// its first change through the API (the load command and the demo data are recorded in the audit trail, not here).
/// </summary>
public sealed class FxRateVersion
{
    public long Id { get; set; }
    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }
    /// <summary>1 for the first change through the API, then one more per change.</summary>
    public int Version { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>US dollars per unit before the change.</summary>
    public decimal UsdPerUnitBefore { get; set; }
    /// <summary>Euros per unit before the change.</summary>
    public decimal EurPerUnitBefore { get; set; }
    /// <summary>US dollars per unit after the change.</summary>
    public decimal UsdPerUnitAfter { get; set; }
    /// <summary>Euros per unit after the change.</summary>
    public decimal EurPerUnitAfter { get; set; }
    /// <summary>The source recorded with the new rate.</summary>
    public required string Source { get; set; }
}

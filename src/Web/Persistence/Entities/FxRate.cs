namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A reference exchange rate of one currency to USD and EUR, as of a date: the rules stage converts an order's
/// notional into the account's credit currency (credit limit), euros (MiFID, EMIR thresholds) and dollars. It is
/// configurable data, not a market feed: whoever loads it says where it came from in <see cref="Source"/>.
/// </summary>
public sealed class FxRate
{
    /// <summary>ISO 4217 code, e.g. EGP.</summary>
    public required string Currency { get; set; }
    /// <summary>US dollars per one unit of <see cref="Currency"/>.</summary>
    public decimal UsdPerUnit { get; set; }
    /// <summary>Euros per one unit of <see cref="Currency"/>.</summary>
    public decimal EurPerUnit { get; set; }
    /// <summary>The date the rates are for.</summary>
    public DateOnly AsOf { get; set; }
    /// <summary>Where the figures came from.</summary>
    public required string Source { get; set; }
}

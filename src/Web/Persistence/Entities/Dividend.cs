namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A cash dividend declared on a listed instrument. Entitlement follows the ex-date: whoever held the shares at the
/// end of the trading day before the ex-date (in the venue's time zone) is on the register at the record date
/// (T+2 settlement); shares bought on or after the ex-date carry no right to it. The holding is counted over every
/// line of the same ISIN (an internal-venue line is the same security). Reference data, like the Sharia inputs:
/// whoever loads it says where it came from in <see cref="Source"/>.
/// </summary>
public sealed class Dividend
{
    public long Id { get; set; }
    /// <summary>The listing the dividend was announced on (an instrument symbol).</summary>
    public required string Symbol { get; set; }
    /// <summary>First trading day without the right to the dividend, in the venue's time zone.</summary>
    public DateOnly ExDate { get; set; }
    /// <summary>The day the register is closed.</summary>
    public DateOnly RecordDate { get; set; }
    /// <summary>The day the dividend is paid.</summary>
    public DateOnly PaymentDate { get; set; }
    /// <summary>Gross amount per share, in <see cref="Currency"/>.</summary>
    public decimal AmountPerShare { get; set; }
    /// <summary>ISO 4217 code of the amount.</summary>
    public required string Currency { get; set; }
    /// <summary>Where the figures came from (the issuer's announcement, the depository's notice).</summary>
    public required string Source { get; set; }
}

namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A cash dividend declared on a listed instrument. Entitlement follows the ex-date: whoever held the shares at the
/// end of the trading day before the ex-date (in the venue's time zone) is on the register at the record date
/// (T+2 settlement); shares bought on or after the ex-date carry no right to it. The holding is counted over every
/// line of the same ISIN (an internal-venue line is the same security). Reference data, like the Sharia inputs:
/// whoever loads it says where it came from in <see cref="Source"/>. Operations announce, correct, cancel and pay dividends through
/// /api/v1/dividends (DividendsApi): every change raises <see cref="Version"/>, stamps who and when, and is audited.
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
    /// <summary>Announced (to be paid), Canceled (before its ex-date, with <see cref="CancelReason"/>) or Paid.</summary>
    public DividendStatus Status { get; set; }
    /// <summary>Why it was canceled (required when it is).</summary>
    public string? CancelReason { get; set; }
    /// <summary>Raised by one on every change (announce is version 1).</summary>
    public int Version { get; set; } = 1;
    /// <summary>Who announced it (user name; "system" for loaded reference data).</summary>
    public string CreatedBy { get; set; } = "system";
    public DateTime CreatedAt { get; set; }
    /// <summary>Who made the last change (announce, correct, cancel, pay).</summary>
    public string UpdatedBy { get; set; } = "system";
    public DateTime UpdatedAt { get; set; }
    /// <summary>When its entitlements were first paid (the cash movements with reference <c>dividend:{Id}</c>), and by whom.</summary>
    public DateTime? PaidAt { get; set; }
    public string? PaidBy { get; set; }

    /// <summary>The cash movements' reference of this dividend's payments (one per account, so an account is paid once).</summary>
    public static string PaymentReference(long id) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"dividend:{id}");
}

/// <summary>Queries of dividends shared by the corporate actions that touch them.</summary>
public static class DividendQueries
{
    /// <summary>
    /// The announced dividends of <paramref name="symbols"/> going ex on or after <paramref name="from"/>, by id: those a corporate action
    /// taking effect on that day changes (a split scales their amount per share; a symbol change moves them to the new symbol). Those
    /// going ex before it are for the holdings before the action and stay as they are.
    /// </summary>
    public static IQueryable<Dividend> AnnouncedGoingExFrom(this IQueryable<Dividend> dividends, IReadOnlyCollection<string> symbols, DateOnly from) =>
        dividends.Where(d => symbols.Contains(d.Symbol) && d.Status == DividendStatus.Announced && d.ExDate >= from).OrderBy(d => d.Id);
}

/// <summary>Where a dividend stands.</summary>
public enum DividendStatus
{
    /// <summary>Announced and not paid yet.</summary>
    Announced,
    /// <summary>Canceled before its ex-date; never paid.</summary>
    Canceled,
    /// <summary>Its entitlements were paid on or after the payment date.</summary>
    Paid,
}

namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A symbol change announced on a listed instrument (an issuer renamed, a ticker reassigned): from its effective date the security
/// trades as <see cref="NewSymbol"/> (and, when given, under <see cref="NewIsin"/> and <see cref="NewName"/>). Operations announce,
/// cancel and apply symbol changes through /api/v1/symbol-changes (SymbolChangesApi): every change raises <see cref="Version"/>, stamps
/// who and when, and is audited (subject <c>symbolchange/{id}</c>). Applying it (the single writer, <c>Ordering.SymbolChangeCommands</c>)
/// lists the new symbol as a copy of the old listing, moves every account's position to it at its average cost, cancels the old symbol's
/// open orders, copies its stored daily closes and delists the old symbol, in one transaction. The old symbol is not renamed in place: a
/// symbol is an instrument's key, fixed once listed, and the trades, orders, journal, reports and audit records of the days before keep
/// the symbol they were made under.
/// </summary>
public sealed class SymbolChange
{
    public long Id { get; set; }
    /// <summary>The listing whose symbol changes (delisted when the change is applied).</summary>
    public required string Symbol { get; set; }
    /// <summary>The symbol the security trades under from <see cref="EffectiveDate"/> (listed when the change is applied).</summary>
    public required string NewSymbol { get; set; }
    /// <summary>The new ISIN when the change brings one, else null (the old listing's ISIN is kept).</summary>
    public string? NewIsin { get; set; }
    /// <summary>The new name when the change brings one, else null (the old listing's name is kept).</summary>
    public string? NewName { get; set; }
    /// <summary>The first trading day under the new symbol, in the venue's time zone.</summary>
    public DateOnly EffectiveDate { get; set; }
    /// <summary>Where the change comes from (the issuer's announcement, the exchange's notice).</summary>
    public required string Source { get; set; }
    /// <summary>Announced, Canceled (before its effective date, with <see cref="CancelReason"/>) or Applied.</summary>
    public SplitStatus Status { get; set; }
    public string? CancelReason { get; set; }
    /// <summary>Raised by one on every change (announce is version 1).</summary>
    public int Version { get; set; } = 1;
    public string CreatedBy { get; set; } = "system";
    public DateTime CreatedAt { get; set; }
    public string UpdatedBy { get; set; } = "system";
    public DateTime UpdatedAt { get; set; }
    /// <summary>When it was applied, and by whom.</summary>
    public DateTime? AppliedAt { get; set; }
    public string? AppliedBy { get; set; }

    /// <summary>The reference of this change's position adjustments (one per account and symbol, so it applies once).</summary>
    public static string Reference(long id) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"symchg:{id}");
}

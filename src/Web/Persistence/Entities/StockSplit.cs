namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A stock split (or reverse split) announced on a listed instrument: from its effective date every share of the security is
/// <see cref="NewShares"/> for <see cref="OldShares"/> (2-for-1: 2 and 1; a 1-for-10 reverse split: 1 and 10). Operations announce,
/// cancel and apply splits through /api/v1/splits (SplitsApi): every change raises <see cref="Version"/>, stamps who and when, and is
/// audited (subject <c>split/{id}</c>). Applying it (the single writer, <c>Ordering.SplitCommands</c>) scales every account's position
/// in every line of the ISIN, divides the reference prices and cancels the open orders, in one transaction.
/// </summary>
public sealed class StockSplit
{
    public long Id { get; set; }
    /// <summary>The listing the split was announced on (an instrument symbol).</summary>
    public required string Symbol { get; set; }
    /// <summary>Shares after the split for every <see cref="OldShares"/> shares before it.</summary>
    public int NewShares { get; set; }
    /// <summary>Shares before the split that become <see cref="NewShares"/>.</summary>
    public int OldShares { get; set; }
    /// <summary>The first trading day on the new share count, in the venue's time zone.</summary>
    public DateOnly EffectiveDate { get; set; }
    /// <summary>Where the terms come from (the issuer's announcement, the exchange's notice).</summary>
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
    /// <summary>When it was applied to positions, prices and orders, and by whom.</summary>
    public DateTime? AppliedAt { get; set; }
    public string? AppliedBy { get; set; }

    /// <summary>The reference of this split's position adjustments and cash in lieu (one per account and line, so it applies once).</summary>
    public static string Reference(long id) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"split:{id}");
}

/// <summary>Where a split stands.</summary>
public enum SplitStatus
{
    /// <summary>Announced and not applied yet.</summary>
    Announced,
    /// <summary>Canceled before its effective date; never applied.</summary>
    Canceled,
    /// <summary>Applied to positions, reference prices and open orders.</summary>
    Applied,
}

/// <summary>
/// A change of an account's position that is not a trade (a split's adjustment, a symbol change's move), appended by the single writer and never changed:
/// positions are the account's trades plus these (<see cref="Holdings"/>). Unique per account, symbol and reference, so a corporate
/// action adjusts a position once.
/// </summary>
public sealed class PositionAdjustment
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string Symbol { get; set; }
    /// <summary>The position before the adjustment (signed).</summary>
    public long QuantityBefore { get; set; }
    /// <summary>Signed shares added (a reverse split's is negative).</summary>
    public long Quantity { get; set; }
    /// <summary>Shares after for every <see cref="RatioOld"/> before: average cost is multiplied by old/new, so cost basis is unchanged.</summary>
    public int RatioNew { get; set; }
    public int RatioOld { get; set; }
    /// <summary>Cash paid for the fraction of a share the ratio left (signed like the position; 0 when none), in the instrument's currency.</summary>
    public decimal CashInLieu { get; set; }
    /// <summary>
    /// A symbol change's move (ratio 1 for 1): on the new symbol, the average cost the position had on the old one (it opens there at
    /// that cost); on the old symbol, the same figure (it closes there at its cost, realising nothing). Null for a split.
    /// </summary>
    public decimal? CarriedAverageCost { get; set; }
    /// <summary>The corporate action, e.g. <c>split:7</c>.</summary>
    public required string Reference { get; set; }
    public required string Reason { get; set; }
    public required string EnteredBy { get; set; }
    public DateTime EnteredAt { get; set; }
}

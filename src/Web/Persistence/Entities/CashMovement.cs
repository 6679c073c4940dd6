namespace TradSys.Web.Persistence.Entities;

/// <summary>What moved an account's cash, besides its trades.</summary>
public enum CashMovementKind
{
    /// <summary>Money paid in by the client.</summary>
    Deposit,
    /// <summary>Money paid out to the client.</summary>
    Withdrawal,
    /// <summary>A cash dividend's entitlement (negative: a short position owes it), reference <c>dividend:{id}</c>.</summary>
    Dividend,
    /// <summary>Cash for the fraction of a share a split's ratio left (reference <c>split:{id}</c>, one per account).</summary>
    CashInLieu,
}

/// <summary>
/// A deposit or withdrawal on an account's cash, appended (never changed) by the single writer in the batch that made it
/// effective, and audited. An account's cash in a currency is the sum of its movements and of its trades' cash legs (buys pay,
/// sells receive, on the trade date; settled on the venue's settlement date); the movements are the part that is not trading.
/// </summary>
public sealed class CashMovement
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    /// <summary>ISO 4217 currency.</summary>
    public required string Currency { get; set; }
    /// <summary>Signed: positive paid in, negative paid out.</summary>
    public decimal Amount { get; set; }
    public CashMovementKind Kind { get; set; }
    /// <summary>The payment's reference (bank transfer id); unique per account so a payment cannot be booked twice.</summary>
    public required string Reference { get; set; }
    /// <summary>Why, in words (required).</summary>
    public required string Reason { get; set; }
    /// <summary>Who booked it (user name).</summary>
    public required string EnteredBy { get; set; }
    public DateTime EnteredAt { get; set; }
}

namespace TradSys.Web.Persistence.Entities;

/// <summary>How close a limit is to being used up: what a risk alert says it crossed.</summary>
public enum RiskAlertLevel
{
    /// <summary>Back under 80% of the limit (after a Near or Breached alert).</summary>
    Cleared,
    /// <summary>80% of the limit or more.</summary>
    Near,
    /// <summary>100% of the limit or more.</summary>
    Breached,
}

/// <summary>
/// A limit's utilisation crossed a level (80%, 100%, or back under 80%) for an account: raised once per crossing by the risk alert
/// monitor, stored, published on the bus (<c>RiskAlertRaised</c>), shown to risk officers and to the account's trader, and
/// acknowledged by a risk officer.
/// </summary>
public sealed class RiskAlert
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    /// <summary>The limit's name (MaxLongPosition, MaxOpenOrders, MaxOpenNotional, BuyingPower...).</summary>
    public required string Limit { get; set; }
    /// <summary>The instrument, for a position limit.</summary>
    public string? Symbol { get; set; }
    /// <summary>Where the limit is set, in words ("instrument FAB", "the firm").</summary>
    public required string Scope { get; set; }
    public RiskAlertLevel Level { get; set; }
    public decimal LimitValue { get; set; }
    public decimal Used { get; set; }
    /// <summary>shares, orders, or a currency code.</summary>
    public required string Unit { get; set; }
    public decimal? UtilisationPct { get; set; }
    public required string Message { get; set; }
    public DateTime RaisedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
}

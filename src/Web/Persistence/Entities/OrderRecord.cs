
namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// The current state of an order: a projection of its journal (<see cref="OrderEventRecord"/>),
/// updated in the same transaction as the events that change it.
/// </summary>
public sealed class OrderRecord
{
    public long Id { get; set; }
    public required string ClientOrderId { get; set; }
    public long AccountId { get; set; }
    /// <summary>The user who submitted it.</summary>
    public long UserId { get; set; }
    public required string Symbol { get; set; }
    public Side Side { get; set; }
    public OrderType Type { get; set; }
    public TimeInForce TimeInForce { get; set; }
    /// <summary>Limit price; null for market orders.</summary>
    public decimal? Price { get; set; }
    public long Quantity { get; set; }
    public long FilledQuantity { get; set; }
    public long LeavesQuantity { get; set; }
    /// <summary>Sum of price x quantity over fills: exact, so the average price is exact too.</summary>
    public decimal FilledNotional { get; set; }
    public OrderStatus Status { get; set; }
    public int? RejectCode { get; set; }
    public string? RejectReason { get; set; }
    /// <summary>Journal sequence at which the order last took its place in the queue (time priority).</summary>
    public long PrioritySequence { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public decimal? AveragePrice => FilledQuantity == 0 ? null : FilledNotional / FilledQuantity;
    public bool IsWorking => Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled;

    /// <summary>A copy of the state as it is now (the sequencer keeps mutating the live record).</summary>
    public OrderRecord Snapshot() => (OrderRecord)MemberwiseClone();
}

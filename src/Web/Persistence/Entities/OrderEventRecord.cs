
namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One entry of the append-only order journal. Entries are only ever inserted; the sequence is
/// gap-free and assigned by the single writer, so it is also the order in which things happened.
/// </summary>
public sealed class OrderEventRecord
{
    public long Sequence { get; set; }
    public long OrderId { get; set; }
    public OrderEventKind Kind { get; set; }
    /// <summary>The order's status after this event.</summary>
    public OrderStatus Status { get; set; }
    public decimal? Price { get; set; }
    public long Quantity { get; set; }
    public long FilledQuantity { get; set; }
    public long LeavesQuantity { get; set; }
    public long? TradeId { get; set; }
    public decimal? FillPrice { get; set; }
    public long? FillQuantity { get; set; }
    /// <summary>
    /// The entry's code, by kind: the reject code of a rejection, the cancel reason of a cancel; of a CancelRejected, the venue's
    /// CxlRejReason (FIX tag 102) when the venue sent one.
    /// </summary>
    public int? ReasonCode { get; set; }
    public string? Reason { get; set; }
    public DateTime Timestamp { get; set; }
}


namespace TradSys.Web.Persistence.Entities;

/// <summary>One match between an incoming order and one resting order.</summary>
public sealed class TradeRecord
{
    public long Id { get; set; }
    public required string Symbol { get; set; }
    public decimal Price { get; set; }
    public long Quantity { get; set; }
    public required string Currency { get; set; }
    public long BuyOrderId { get; set; }
    public long SellOrderId { get; set; }
    public long BuyAccountId { get; set; }
    public long SellAccountId { get; set; }
    public Side AggressorSide { get; set; }
    public DateTime ExecutedAt { get; set; }
}

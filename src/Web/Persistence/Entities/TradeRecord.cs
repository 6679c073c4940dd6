
namespace TradSys.Web.Persistence.Entities;

/// <summary>One match between an incoming order and one resting order.</summary>
public sealed class TradeRecord
{
    /// <summary>
    /// The order and account id of an exchange's side of a trade of an order routed to it over FIX: the platform knows only its
    /// own side. Not an account: positions, cash and the rules' aggregates skip it.
    /// </summary>
    public const long VenueSide = 0;

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

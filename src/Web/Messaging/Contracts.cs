namespace TradSys.Contracts;

/// <summary>
/// Published for every entry of the order journal, in journal order, after it is durable.
/// Delivery is at least once: consumers de-duplicate on <see cref="Sequence"/>.
/// </summary>
public sealed record OrderUpdated(long Sequence, long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side,
    string Kind, string Status, decimal? Price, long Quantity, long FilledQuantity, long LeavesQuantity, long? TradeId,
    decimal? FillPrice, long? FillQuantity, string? Reason, DateTime Timestamp);

/// <summary>Published for every trade after it is durable; at least once, de-duplicate on <see cref="TradeId"/>.</summary>
public sealed record TradeExecuted(long TradeId, string Symbol, decimal Price, long Quantity, string Currency, long BuyOrderId,
    long SellOrderId, long BuyAccountId, long SellAccountId, string AggressorSide, DateTime ExecutedAt);

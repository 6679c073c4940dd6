namespace TradSys.Engine.Events;

/// <summary>Two orders traded, at the resting order's price. Followed by the resting order's fill, then the aggressor's.</summary>
/// <param name="TradeId">The engine-wide trade id, increasing by one per trade.</param>
/// <param name="Instrument">The instrument.</param>
/// <param name="Price">The trade price: the resting order's price.</param>
/// <param name="Quantity">The traded quantity.</param>
/// <param name="BuyOrderId">The buy order.</param>
/// <param name="SellOrderId">The sell order.</param>
/// <param name="BuyAccountId">The buyer's account.</param>
/// <param name="SellAccountId">The seller's account.</param>
/// <param name="AggressorSide">The side of the incoming (aggressing) order.</param>
/// <param name="Timestamp">Copied from the command, UTC ticks.</param>
public readonly record struct TradeExecuted(
    long TradeId,
    InstrumentId Instrument,
    Price Price,
    Quantity Quantity,
    long BuyOrderId,
    long SellOrderId,
    long BuyAccountId,
    long SellAccountId,
    Side AggressorSide,
    long Timestamp);

namespace TradSys.Engine.Auctions;

/// <summary>One trade of the uncrossing: a buy and a sell order trading at the auction price.</summary>
/// <param name="BuyOrderId">The buy order.</param>
/// <param name="SellOrderId">The sell order.</param>
/// <param name="Quantity">The traded quantity, positive.</param>
public readonly record struct AuctionMatch(long BuyOrderId, long SellOrderId, Quantity Quantity);

namespace TradSys.Engine.Auctions;

/// <summary>The quantity one order executes in the uncrossing, at the auction price.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Quantity">The executed quantity, positive; less than the order's leaves only for the last order filled on its side.</param>
public readonly record struct AuctionFill(long OrderId, Quantity Quantity);

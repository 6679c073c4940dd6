namespace TradSys.Engine.Auctions;

/// <summary>One order of one side of the book as the uncrossing sees it, listed by the book in priority order.</summary>
/// <param name="OrderId">The engine-wide order id.</param>
/// <param name="IsMarket">True for a market order (no limit: highest priority, executes at any auction price).</param>
/// <param name="Price">The limit price; ignored for market orders.</param>
/// <param name="Leaves">The order's open quantity, positive.</param>
public readonly record struct AuctionOrder(long OrderId, bool IsMarket, Price Price, Quantity Leaves);

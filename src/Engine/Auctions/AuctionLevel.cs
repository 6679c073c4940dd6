namespace TradSys.Engine.Auctions;

/// <summary>
/// One aggregated limit level of one side of an auction book: the sum of the leaves of every limit order
/// at <paramref name="Price"/>. Market orders are passed separately, as a single quantity per side.
/// </summary>
/// <param name="Price">The limit price, on tick, positive.</param>
/// <param name="Quantity">The aggregated quantity at that price, positive.</param>
public readonly record struct AuctionLevel(Price Price, Quantity Quantity);

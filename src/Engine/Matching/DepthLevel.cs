namespace TradSys.Engine.Matching;

/// <summary>One aggregated price level of a book side, returned by <see cref="MatchingEngine{TSink}.GetDepth"/>.</summary>
/// <param name="Price">The level's price.</param>
/// <param name="Quantity">The sum of the leaves of the orders at that price.</param>
/// <param name="OrderCount">How many orders rest at that price.</param>
public readonly record struct DepthLevel(Price Price, Quantity Quantity, int OrderCount);

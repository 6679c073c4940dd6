namespace TradSys.Engine.Auctions;

/// <summary>
/// The outcome of auction price determination: the (indicative, during the call) auction price, the volume
/// that executes at it and the surplus left over. Computed by <see cref="AuctionPriceCalculator.Compute"/>.
/// </summary>
/// <param name="HasPrice">False when nothing is executable (no crossing, or one side empty): no indicative price is published.</param>
/// <param name="Price">The auction price; <see cref="Price.Zero"/> when <paramref name="HasPrice"/> is false.</param>
/// <param name="ExecutableVolume">The volume that executes at <paramref name="Price"/>: min(<paramref name="BuyVolume"/>, <paramref name="SellVolume"/>).</param>
/// <param name="Surplus">The unexecuted part of the larger side at <paramref name="Price"/>: |<paramref name="BuyVolume"/> - <paramref name="SellVolume"/>|.</param>
/// <param name="SurplusSide">The side with the surplus; null when the surplus is zero or there is no price.</param>
/// <param name="BuyVolume">Cumulative demand at <paramref name="Price"/>: market buys plus bids at or above it.</param>
/// <param name="SellVolume">Cumulative supply at <paramref name="Price"/>: market sells plus asks at or below it.</param>
/// <param name="DecidedBy">The step of the price determination that decided the price.</param>
public readonly record struct AuctionEquilibrium(
    bool HasPrice,
    Price Price,
    Quantity ExecutableVolume,
    Quantity Surplus,
    Side? SurplusSide,
    Quantity BuyVolume,
    Quantity SellVolume,
    AuctionPriceRule DecidedBy)
{
    /// <summary>No executable volume: no auction price, nothing executes.</summary>
    public static AuctionEquilibrium None => default;
}

namespace TradSys.Engine.Auctions;

/// <summary>
/// Which step of the price determination decided the auction price (see <see cref="AuctionPriceCalculator"/>).
/// Published with the indicative price so that surveillance and participants can see why a price was chosen.
/// </summary>
public enum AuctionPriceRule
{
    /// <summary>No price: nothing is executable.</summary>
    None = 0,

    /// <summary>Step 1: one limit price alone has the highest executable volume.</summary>
    MaximumVolume = 1,

    /// <summary>Step 2: among the prices with the highest volume, one alone has the lowest surplus.</summary>
    MinimumSurplus = 2,

    /// <summary>Step 3: every remaining price leaves a surplus on the same side; the highest (buy) or lowest (sell) price is taken.</summary>
    MarketPressure = 3,

    /// <summary>Step 4: surplus on both sides or none; the price nearest the reference price is taken.</summary>
    ReferencePrice = 4,

    /// <summary>Only market orders are executable (no limit price on either side): the reference price is taken.</summary>
    MarketOrdersOnly = 5,
}

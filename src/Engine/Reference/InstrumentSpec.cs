namespace TradSys.Engine.Reference;

/// <summary>An instrument's reference data.</summary>
/// <param name="Id">The engine's dense index for the instrument.</param>
/// <param name="Symbol">The venue's ticker, e.g. "COMI".</param>
/// <param name="Venue">The venue it trades on.</param>
/// <param name="PriceDecimals">How many decimals a raw price carries (typically 3).</param>
/// <param name="LotSize">Quantities must be whole multiples of this (1 for no lot constraint).</param>
/// <param name="ReferencePrice">The reference for daily price limits, usually the previous close.</param>
/// <param name="IsTrading">False while the instrument is suspended.</param>
public sealed record InstrumentSpec(
    InstrumentId Id,
    string Symbol,
    VenueSpec Venue,
    int PriceDecimals,
    long LotSize,
    Price ReferencePrice,
    bool IsTrading)
{
    /// <summary>Today's allowed price band: the venue's limits around <see cref="ReferencePrice"/>, rounded inward to tick.</summary>
    /// <returns>The lowest and highest allowed prices.</returns>
    public (Price Low, Price High) DailyBand() => Venue.Limits.Band(ReferencePrice, Venue.Ticks);
}

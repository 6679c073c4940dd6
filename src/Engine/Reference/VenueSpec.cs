namespace TradSys.Engine.Reference;

/// <summary>A trading venue's reference data. The host resolves <paramref name="TimeZone"/>; converting with it is pure computation.</summary>
/// <param name="Code">The venue's short code, e.g. "EGX".</param>
/// <param name="Mic">The ISO 10383 market identifier code, e.g. "XCAI".</param>
/// <param name="Currency">The ISO 4217 trading currency, e.g. "EGP".</param>
/// <param name="TimeZone">The venue's time zone, e.g. Africa/Cairo.</param>
/// <param name="Ticks">The tick-size table.</param>
/// <param name="Limits">The daily price limits.</param>
/// <param name="Schedule">The trading timetable in local venue time.</param>
public sealed record VenueSpec(
    string Code,
    string Mic,
    string Currency,
    TimeZoneInfo TimeZone,
    TickTable Ticks,
    PriceLimits Limits,
    TradingSchedule Schedule)
{
    /// <summary>Whether market orders are taken during call auctions (pre-open, closing auction, pre-close). ADX: no ("Market (Day, not in auctions)").</summary>
    public bool MarketOrdersInAuctions { get; init; } = true;

    /// <summary>The volatility band around the reference price, in basis points, beyond which a trade suspends the instrument (EGX: 1000); 0 for none.</summary>
    public int VolatilityBandBasisPoints { get; init; }

    /// <summary>How long a volatility suspension lasts, in minutes (EGX: 10).</summary>
    public int SuspensionMinutes { get; init; }

    /// <summary>
    /// The closing price when the closing auction executes nothing: the VWAP of the last this many minutes of trades (EGX: 30),
    /// or 0 for the last trade price (ADX).
    /// </summary>
    public int ClosingVwapMinutes { get; init; }

    /// <summary>True for the phases that collect orders for a call auction: pre-open, closing auction, pre-close.</summary>
    /// <param name="phase">A phase.</param>
    /// <returns>Whether nothing matches until the uncross.</returns>
    public static bool IsCall(MarketPhase phase) => phase is MarketPhase.PreOpen or MarketPhase.ClosingAuction or MarketPhase.PreClose;

    /// <summary>True for the phases that trade at one fixed price: trade-at-close (EGX) and trade-at-last (ADX).</summary>
    /// <param name="phase">A phase.</param>
    /// <returns>Whether only orders at the closing (last) price are taken.</returns>
    public static bool IsAtPrice(MarketPhase phase) => phase is MarketPhase.TradeAtClose or MarketPhase.TradeAtLast;

    /// <summary>Converts a UTC instant to local venue time.</summary>
    /// <param name="utcTicks">UTC ticks, as carried by commands.</param>
    /// <returns>The local venue date and time.</returns>
    public DateTime ToVenueLocal(long utcTicks) =>
        TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), TimeZone);

    /// <summary>The phase the venue is in at a UTC instant.</summary>
    /// <param name="utcTicks">UTC ticks, as carried by commands.</param>
    /// <returns>The phase.</returns>
    public MarketPhase PhaseAt(long utcTicks) => Schedule.PhaseAt(ToVenueLocal(utcTicks));
}

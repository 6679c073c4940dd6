namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// An instrument's reference (closing) price of one venue-local trading day, in the instrument's currency: written at the venue's
/// close by <see cref="TradSys.Web.ReferenceData.ReferencePriceCloseJob"/> (the day's closing price, else its last trade, else the
/// reference price in force) or imported through <c>PUT /api/v1/reference-prices/{date}</c>. Reports of a past day value positions at it.
/// </summary>
public sealed class ReferencePriceDay
{
    /// <summary>The venue-local trading day.</summary>
    public DateOnly Date { get; set; }
    /// <summary>The instrument's symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>The price, above 0, in <see cref="Currency"/>.</summary>
    public decimal Price { get; set; }
    /// <summary>The instrument's currency when the price was stored.</summary>
    public required string Currency { get; set; }
    /// <summary>Where the price came from: <see cref="ClosingPriceSource"/>, <see cref="LastTradeSource"/>, <see cref="ReferenceSource"/> or <see cref="ImportSource"/>.</summary>
    public required string Source { get; set; }
    /// <summary>Who stored it ("system" for the close job).</summary>
    public required string EnteredBy { get; set; }
    public DateTime EnteredAt { get; set; }

    /// <summary>The venue's closing price of the day (the closing auction's, else the venue's fallback), as the order path set it.</summary>
    public const string ClosingPriceSource = "close";
    /// <summary>The day's last trade on the platform (no closing price was set).</summary>
    public const string LastTradeSource = "last-trade";
    /// <summary>No trade that day: the reference price in force (the previous close) carried over.</summary>
    public const string ReferenceSource = "reference";
    /// <summary>Imported through the API by operations or an admin.</summary>
    public const string ImportSource = "import";
}

/// <summary>
/// One currency's reference FX rates of one day: the pairs CCY/USD and CCY/EUR that the platform converts through (<see cref="FxRate"/>),
/// copied from the platform's rates at a venue's close or imported with the day's prices.
/// </summary>
public sealed class DailyFxRate
{
    /// <summary>The day.</summary>
    public DateOnly Date { get; set; }
    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }
    /// <summary>US dollars per one unit of <see cref="Currency"/>.</summary>
    public decimal UsdPerUnit { get; set; }
    /// <summary>Euros per one unit of <see cref="Currency"/>.</summary>
    public decimal EurPerUnit { get; set; }
    /// <summary>Where the figures came from: "platform: ..." (the rate in force at the close, with its own source) or <see cref="ReferencePriceDay.ImportSource"/>.</summary>
    public required string Source { get; set; }
    /// <summary>Who stored it ("system" for the close job).</summary>
    public required string EnteredBy { get; set; }
    public DateTime EnteredAt { get; set; }
}

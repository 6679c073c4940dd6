namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// An instrument's closing price of one trading day, in the instrument's currency: the platform's one store of daily closes (issues 14
/// and 15), read by reports of a past day (they value positions at it) and by the VaR's price history
/// (<see cref="TradSys.Web.Ordering.Risk.PriceHistory"/>). Written by the close job at the venue's close
/// (<see cref="TradSys.Web.ReferenceData.ReferencePriceCloseJob"/>: the day's closing price, else its last trade, else the reference price
/// in force), by both imports (<c>PUT /api/v1/reference-prices/{date}</c> and the CSV of <c>POST /api/v1/risk/price-history</c>) and by
/// the demo data's illustrative history. When two writers meet on one instrument and day (<see cref="Replaces"/>): an import replaces
/// whatever is stored (it is a correction); the close job fills a day only where nothing real is stored (it replaces a demo figure, never
/// an import nor its own earlier figure); the demo history only fills days that have nothing stored.
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
    /// <summary>Where the price came from: <see cref="ClosingPriceSource"/>, <see cref="LastTradeSource"/>, <see cref="ReferenceSource"/>,
    /// <see cref="ImportSource"/> or <see cref="DemoSource"/>.</summary>
    public required string Source { get; set; }
    /// <summary>Who stored it: the importing user, or "system" (the close job, the demo history).</summary>
    public required string EnteredBy { get; set; }
    /// <summary>When it was stored (UTC).</summary>
    public DateTime EnteredAt { get; set; }

    /// <summary>The venue's closing price of the day (the closing auction's, else the venue's fallback), as the order path set it.</summary>
    public const string ClosingPriceSource = "close";
    /// <summary>The day's last trade on the platform (no closing price was set).</summary>
    public const string LastTradeSource = "last-trade";
    /// <summary>No trade that day: the reference price in force (the previous close) carried over.</summary>
    public const string ReferenceSource = "reference";
    /// <summary>Imported through the API: a day's figures by operations or an admin (<c>PUT /api/v1/reference-prices/{date}</c>), or a CSV of
    /// closes by a risk officer or an admin (<c>POST /api/v1/risk/price-history</c>); the audit trail says which.</summary>
    public const string ImportSource = "import";
    /// <summary>The demo data's illustrative history: a seeded random walk, not market data.</summary>
    public const string DemoSource = TradSys.Reporting.Data.ReferenceFigures.DemoSource;

    /// <summary>
    /// Whether a price from <paramref name="incoming"/> replaces one stored from <paramref name="stored"/> for the same instrument and day:
    /// an import replaces anything (a correction); any other writer (the close job, the demo history) only replaces a demo figure, and the
    /// demo history not even that.
    /// </summary>
    public static bool Replaces(string incoming, string stored) =>
        incoming == ImportSource || (incoming != DemoSource && stored == DemoSource);
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

namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A stored daily closing price of an instrument, in its own currency: imported through the API
/// (<c>POST /api/v1/risk/price-history</c>, a risk officer's or admin's CSV, audited) or shipped with the demo data as an
/// illustrative history. The platform's own trades give closes too (the last trade of each day), read from the trades
/// themselves (<see cref="TradSys.Web.Ordering.Risk.PriceHistory"/>); a stored close of the same day wins over them.
/// </summary>
public sealed class DailyClose
{
    /// <summary>The instrument's symbol.</summary>
    public required string Symbol { get; set; }
    /// <summary>The trading day (the venue's own day).</summary>
    public DateOnly Date { get; set; }
    /// <summary>The closing price, in the instrument's currency, above 0.</summary>
    public decimal Close { get; set; }
    /// <summary><see cref="ImportSource"/> or <see cref="DemoSource"/>.</summary>
    public required string Source { get; set; }
    /// <summary>Who imported it ("system" for the demo history).</summary>
    public required string EnteredBy { get; set; }
    public DateTime EnteredAt { get; set; }

    /// <summary>A close imported through the API.</summary>
    public const string ImportSource = "import";

    /// <summary>The demo data's illustrative history: a seeded random walk, not market data.</summary>
    public const string DemoSource = "demo";
}

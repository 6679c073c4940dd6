using System.Globalization;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The language a portal page renders in, carried over to work that another thread hands it. The in-process feeds
/// (<see cref="OrderUpdateFeed"/>, <see cref="MarketDataFeed"/>) raise their events on the publisher's thread, and a page's
/// <c>InvokeAsync</c> runs the re-render with that thread's culture: an Arabic page re-rendered from a feed came out in
/// English (a ticket's "مقبول" turned "Accepted" as the market moved). A page captures its culture when it starts and applies
/// it first thing in each feed callback; <see cref="FeedRefresh"/> does so for the views that refresh on a feed.
/// </summary>
public readonly record struct CircuitCulture(CultureInfo Culture, CultureInfo UiCulture)
{
    /// <summary>The culture of the current render (call while the page initialises, on its own circuit).</summary>
    public static CircuitCulture Current => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary>Renders what follows in this culture (for the rest of the calling flow only).</summary>
    public void Apply()
    {
        CultureInfo.CurrentCulture = Culture;
        CultureInfo.CurrentUICulture = UiCulture;
    }
}

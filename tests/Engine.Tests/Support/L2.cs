using System.Globalization;
using TradSys.Engine.Matching;

namespace TradSys.Engine.Tests.Support;

/// <summary>
/// Renders a book as an L2 ladder, one line per level, asks on top (highest first) then bids (highest first):
/// <code>
/// ASK 100 @ 10.10 (2)
/// BID 300 @ 10.00 (1)
/// </code>
/// quantity @ price (order count).
/// </summary>
public static class L2
{
    public static string[] Render(MatchingEngine engine, InstrumentId instrument, int decimals)
    {
        var levels = new DepthLevel[256];
        var lines = new List<string>();

        int asks = engine.GetDepth(instrument, Side.Sell, levels);
        for (int i = asks - 1; i >= 0; i--)
        {
            lines.Add(Line("ASK", levels[i], decimals));
        }

        int bids = engine.GetDepth(instrument, Side.Buy, levels);
        for (int i = 0; i < bids; i++)
        {
            lines.Add(Line("BID", levels[i], decimals));
        }

        return [.. lines];
    }

    private static string Line(string side, DepthLevel level, int decimals) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{side} {level.Quantity.Raw} @ {level.Price.ToDecimal(decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)} ({level.OrderCount})");
}

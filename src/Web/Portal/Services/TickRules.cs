using System.Globalization;
using Microsoft.Extensions.Localization;
using TradSys.Web.Apis;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The ticket's checks as the trader types, from the instrument's reference data (the venue's tick table, the lot, today's
/// price limits). The API checks the same again when the order is sent; these only say it sooner.
/// </summary>
public static class TickRules
{
    /// <summary>The tick that applies at <paramref name="price"/>: the band with the highest lower bound at or below it.</summary>
    public static decimal TickAt(InstrumentResponse instrument, decimal price)
    {
        var tick = instrument.TickTable.Count > 0 ? instrument.TickTable[0].Tick : 0.01m;
        foreach (var band in instrument.TickTable.OrderBy(b => b.From))
        {
            if (price >= band.From)
            {
                tick = band.Tick;
            }
        }
        return tick;
    }

    /// <summary>
    /// One tick up (<paramref name="direction"/> &gt; 0) or down from <paramref name="price"/>: the tick of the price's own
    /// band going up, the band below's going down (so 10.00 on a table that is 0.01 below 10 and 0.02 from 10 steps to 9.99
    /// and 10.02); a price off the tick first snaps to the tick in that direction; never down to zero or below.
    /// </summary>
    public static decimal StepPrice(InstrumentResponse instrument, decimal price, int direction)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var tick = TickAt(instrument, price);
        var off = price % tick;
        if (off != 0)
        {
            return direction > 0 ? price - off + tick : price - off;
        }
        if (direction > 0)
        {
            return price + tick;
        }
        var down = price - TickAt(instrument, price - tick);
        return down > 0 ? down : price;
    }

    /// <summary>One lot more or less (never below one lot); a quantity off the lot first snaps to the lot in that direction.</summary>
    public static decimal StepQuantity(InstrumentResponse instrument, decimal quantity, int direction)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var lot = (decimal)instrument.LotSize;
        var off = quantity % lot;
        var next = off != 0 ? (direction > 0 ? quantity - off + lot : quantity - off) : quantity + direction * lot;
        return Math.Max(lot, next);
    }

    /// <summary>What is wrong with the price, or null when it is a valid price for the instrument today.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="price">The price typed.</param>
    /// <param name="text">The page's texts in the user's language (English when null); figures stay in the invariant format.</param>
    public static string? PriceProblem(InstrumentResponse instrument, decimal? price, IStringLocalizer? text = null)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (price is not { } p)
        {
            return Say(text, "Enter a price.");
        }
        if (p <= 0)
        {
            return Say(text, "The price must be above zero.");
        }
        var tick = TickAt(instrument, p);
        if (p % tick != 0)
        {
            var below = p - (p % tick);
            return Say(text, "{0} prices at {1} move in ticks of {2}: try {3} or {4}.", instrument.Venue, p, tick, below, below + tick);
        }
        if (p < instrument.LowerLimit || p > instrument.UpperLimit)
        {
            return Say(text, "Today's price limits for {0} are {1} to {2}.", instrument.Symbol, instrument.LowerLimit, instrument.UpperLimit);
        }
        return null;
    }

    /// <summary>What is wrong with the quantity, or null.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="quantity">The quantity typed.</param>
    /// <param name="text">The page's texts in the user's language (English when null).</param>
    public static string? QuantityProblem(InstrumentResponse instrument, decimal? quantity, IStringLocalizer? text = null)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (quantity is not { } q || q <= 0)
        {
            return Say(text, "Enter a quantity above zero.");
        }
        if (q % 1 != 0 || q % instrument.LotSize != 0)
        {
            return Say(text, "{0} trades in whole lots of {1}.", instrument.Symbol, instrument.LotSize);
        }
        return null;
    }

    /// <summary>The message in the user's language, its figures always in the invariant format (as the API writes them).</summary>
    private static string Say(IStringLocalizer? text, string template, params object[] args)
    {
        var figures = args.Select(a => a is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : a.ToString() ?? "").ToArray<object>();
        var localized = text?[template].Value ?? template;
        return string.Format(CultureInfo.InvariantCulture, localized, figures);
    }
}

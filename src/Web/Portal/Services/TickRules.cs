using System.Globalization;
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

    /// <summary>What is wrong with the price, or null when it is a valid price for the instrument today.</summary>
    public static string? PriceProblem(InstrumentResponse instrument, decimal? price)
    {
        if (price is not { } p)
        {
            return "Enter a price.";
        }
        if (p <= 0)
        {
            return "The price must be above zero.";
        }
        var tick = TickAt(instrument, p);
        if (p % tick != 0)
        {
            var below = p - (p % tick);
            return string.Create(CultureInfo.InvariantCulture,
                $"{instrument.Venue} prices at {p} move in ticks of {tick}: try {below} or {below + tick}.");
        }
        if (p < instrument.LowerLimit || p > instrument.UpperLimit)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Today's price limits for {instrument.Symbol} are {instrument.LowerLimit} to {instrument.UpperLimit}.");
        }
        return null;
    }

    /// <summary>What is wrong with the quantity, or null.</summary>
    public static string? QuantityProblem(InstrumentResponse instrument, decimal? quantity)
    {
        if (quantity is not { } q || q <= 0)
        {
            return "Enter a quantity above zero.";
        }
        if (q % 1 != 0 || q % instrument.LotSize != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{instrument.Symbol} trades in whole lots of {instrument.LotSize}.");
        }
        return null;
    }
}

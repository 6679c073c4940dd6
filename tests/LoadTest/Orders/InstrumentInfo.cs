using System.Globalization;

namespace TradSys.LoadTest.Orders;

/// <summary>One step of a venue's tick table: from this price up, prices move in steps of <see cref="Tick"/>.</summary>
public sealed record TickBand(decimal From, decimal Tick);

/// <summary>
/// What the generator needs to know of an instrument, read from GET /api/v1/instruments/{symbol} (reference price,
/// today's limits, lot, the venue's tick table), and the band of valid prices around the reference it draws from.
/// </summary>
public sealed class InstrumentInfo
{
    /// <summary>How many valid prices either side of the reference the generator uses.</summary>
    public const int BandTicks = 3;

    public InstrumentInfo(string symbol, decimal referencePrice, decimal lowerLimit, decimal upperLimit, long lotSize, IReadOnlyList<TickBand> tickTable)
    {
        ArgumentNullException.ThrowIfNull(tickTable);
        if (tickTable.Count == 0 || lotSize <= 0 || referencePrice <= 0 || lowerLimit > upperLimit)
        {
            throw new ArgumentException($"{symbol}: unusable reference data (tick table, lot, reference price or limits)");
        }
        Symbol = symbol;
        ReferencePrice = referencePrice;
        LowerLimit = lowerLimit;
        UpperLimit = upperLimit;
        LotSize = lotSize;
        TickTable = [.. tickTable.OrderBy(b => b.From)];
        Band = BuildBand();
    }

    public string Symbol { get; }

    public decimal ReferencePrice { get; }

    public decimal LowerLimit { get; }

    public decimal UpperLimit { get; }

    public long LotSize { get; }

    public IReadOnlyList<TickBand> TickTable { get; }

    /// <summary>
    /// Valid prices around the reference, lowest first: up to <see cref="BandTicks"/> steps below and above the
    /// reference (rounded to the tick), each on the tick of its own band of the table and inside today's limits.
    /// Buys are drawn from all but the highest, sells from all but the lowest, so most pairs cross and some rest.
    /// </summary>
    public IReadOnlyList<decimal> Band { get; }

    /// <summary>The tick that applies at <paramref name="price"/>.</summary>
    public decimal TickAt(decimal price)
    {
        var tick = TickTable[0].Tick;
        foreach (var band in TickTable)
        {
            if (price >= band.From)
            {
                tick = band.Tick;
            }
        }
        return tick;
    }

    public bool IsOnTick(decimal price) => price % TickAt(price) == 0m;

    public bool IsValidPrice(decimal price) => price > 0 && price >= LowerLimit && price <= UpperLimit && IsOnTick(price);

    private List<decimal> BuildBand()
    {
        var tick = TickAt(ReferencePrice);
        var center = Math.Round(ReferencePrice / tick, MidpointRounding.AwayFromZero) * tick;
        var below = new List<decimal>();
        var p = center;
        for (var i = 0; i < BandTicks; i++)
        {
            // The step below p is the tick of the band just under p.
            var step = TickAt(p - TickTable[0].Tick / 1000m);
            p -= step;
            if (!IsValidPrice(p))
            {
                break;
            }
            below.Add(p);
        }
        below.Reverse();
        var band = new List<decimal>(below);
        if (IsValidPrice(center))
        {
            band.Add(center);
        }
        p = center;
        for (var i = 0; i < BandTicks; i++)
        {
            p += TickAt(p);
            if (!IsValidPrice(p))
            {
                break;
            }
            band.Add(p);
        }
        if (band.Count < 2)
        {
            throw new ArgumentException(
                $"{Symbol}: fewer than two valid prices around the reference {ReferencePrice.ToString(CultureInfo.InvariantCulture)} " +
                $"inside today's limits {LowerLimit.ToString(CultureInfo.InvariantCulture)}-{UpperLimit.ToString(CultureInfo.InvariantCulture)}");
        }
        return band;
    }

    /// <summary>The demo's COMI.INT (reference 80.00, +-10 %, lots of 10, tick 0.01), for a floor-only run with no platform to ask.</summary>
    public static InstrumentInfo FloorDefault(string symbol) =>
        new(symbol, 80.00m, 72.00m, 88.00m, 10, [new TickBand(0m, 0.01m)]);
}

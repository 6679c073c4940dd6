namespace TradSys.Engine.Risk.Exposure;

/// <summary>The dimensions exposure is broken down by.</summary>
public enum ExposureDimension : byte
{
    /// <summary>Per instrument (symbol).</summary>
    Instrument = 0,

    /// <summary>Per sector (the fixed sector classification's code).</summary>
    Sector = 1,

    /// <summary>Per issuer (the share's ISIN: two listings of one share are one issuer).</summary>
    Issuer = 2,

    /// <summary>Per currency the instrument trades in.</summary>
    Currency = 3,

    /// <summary>Per venue.</summary>
    Venue = 4,
}

/// <summary>
/// One position as exposure sees it: its keys in every dimension and its market value in the reporting currency (negative when short).
/// </summary>
/// <param name="Instrument">The symbol.</param>
/// <param name="Sector">The sector code.</param>
/// <param name="Issuer">The issuer key.</param>
/// <param name="Currency">The instrument's trading currency.</param>
/// <param name="Venue">The venue code.</param>
/// <param name="Value">Signed market value in the reporting currency.</param>
public readonly record struct ExposurePosition(string Instrument, string Sector, string Issuer, string Currency, string Venue, decimal Value);

/// <summary>One row of a breakdown: what is long and short under one key, gross (long + |short|) and net (long - |short|).</summary>
/// <param name="Key">The dimension's key.</param>
/// <param name="Long">The sum of long market values.</param>
/// <param name="Short">The sum of short market values, as a positive amount.</param>
public readonly record struct ExposureRow(string Key, decimal Long, decimal Short)
{
    /// <summary>Long + short: the total at risk whichever way prices move.</summary>
    public decimal Gross => Long + Short;

    /// <summary>Long - short: the directional exposure.</summary>
    public decimal Net => Long - Short;
}

/// <summary>
/// Gross and net exposure of a set of positions, in total and broken down by instrument, sector, issuer, currency and venue: pure
/// arithmetic over market values already converted into one reporting currency.
/// </summary>
public static class ExposureReport
{
    /// <summary>The total over every position.</summary>
    public static ExposureRow Total(IEnumerable<ExposurePosition> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        decimal longs = 0, shorts = 0;
        foreach (var p in positions)
        {
            if (p.Value >= 0)
            {
                longs += p.Value;
            }
            else
            {
                shorts -= p.Value;
            }
        }

        return new ExposureRow("total", longs, shorts);
    }

    /// <summary>The breakdown by one dimension, largest gross first (ties by key, ordinal).</summary>
    public static IReadOnlyList<ExposureRow> By(IEnumerable<ExposurePosition> positions, ExposureDimension dimension)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var rows = new Dictionary<string, (decimal Long, decimal Short)>(StringComparer.Ordinal);
        foreach (var p in positions)
        {
            var key = dimension switch
            {
                ExposureDimension.Instrument => p.Instrument,
                ExposureDimension.Sector => p.Sector,
                ExposureDimension.Issuer => p.Issuer,
                ExposureDimension.Currency => p.Currency,
                _ => p.Venue,
            };
            var (l, s) = rows.GetValueOrDefault(key);
            rows[key] = p.Value >= 0 ? (l + p.Value, s) : (l, s - p.Value);
        }

        return [.. rows.Select(kv => new ExposureRow(kv.Key, kv.Value.Long, kv.Value.Short))
            .OrderByDescending(r => r.Gross).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// How much of a limit is used, in percent (0 when nothing is used; more than 100 when it is breached), or null when there is no
    /// limit or the limit is zero and nothing is used.
    /// </summary>
    public static decimal? Utilisation(decimal used, decimal? limit) => limit switch
    {
        null => null,
        0m when used == 0 => null,
        0m => decimal.MaxValue,
        { } l => Math.Round(Math.Abs(used) * 100m / l, 2),
    };
}

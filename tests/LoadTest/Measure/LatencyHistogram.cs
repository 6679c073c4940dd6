using System.Numerics;

namespace TradSys.LoadTest.Measure;

/// <summary>
/// A log-linear histogram of non-negative values (nanoseconds here), in the manner of HdrHistogram: every power of two
/// is split into 128 equal sub-buckets, so a recorded value is known to within 1/128 (0.8 %) of itself, from 0 up to
/// 2^40 (about 18 minutes in nanoseconds); larger values land in the last bucket (the exact maximum is kept aside).
/// Values below 128 are exact. Recording is an index computation and an increment: no allocation, no lock (one
/// histogram per connection, merged at the end).
/// </summary>
/// <remarks>
/// Written here rather than taken from the HdrHistogram package: its licence would allow it, but its only version served
/// here, 2.5.0, has had no release after it for years (the project's "maintained" rule for new packages), and a recorder
/// with a percentile walk is all the tool needs.
/// </remarks>
public sealed class LatencyHistogram
{
    private const int SubBits = 7;
    private const int SubCount = 1 << SubBits;
    private const int MaxExponent = 40;
    private const int BucketCount = (MaxExponent - SubBits + 2) * SubCount;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    /// <summary>The exact largest value recorded (0 when empty).</summary>
    public long Max { get; private set; }

    /// <summary>The exact smallest value recorded (0 when empty).</summary>
    public long Min { get; private set; }

    public double Mean => Count == 0 ? 0 : (double)_sum / Count;

    private long _sum;

    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }
        _counts[IndexOf(value)]++;
        if (Count == 0 || value < Min)
        {
            Min = value;
        }
        if (value > Max)
        {
            Max = value;
        }
        Count++;
        _sum += value;
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }
        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Count += other.Count;
        _sum += other._sum;
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/> % of the recorded values lie: the highest value of the
    /// bucket that holds that rank (so never below the true value, at most 0.8 % above it), capped by the exact maximum.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100.0 * Count);
        rank = Math.Max(rank, 1);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return i == BucketCount - 1 ? Max : Math.Min(HighestValueOf(i), Max);
            }
        }
        return Max;
    }

    internal static int IndexOf(long value)
    {
        if (value < SubCount)
        {
            return (int)value;
        }
        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)value);
        if (exponent > MaxExponent)
        {
            return BucketCount - 1;
        }
        var shift = exponent - SubBits;
        var sub = (int)(value >> shift) - SubCount;
        return (shift + 1) * SubCount + sub;
    }

    internal static long LowestValueOf(int index)
    {
        if (index < SubCount)
        {
            return index;
        }
        var shift = index / SubCount - 1;
        var sub = index % SubCount;
        return (long)(SubCount + sub) << shift;
    }

    internal static long HighestValueOf(int index) =>
        index < SubCount ? index : LowestValueOf(index) + (1L << (index / SubCount - 1)) - 1;
}

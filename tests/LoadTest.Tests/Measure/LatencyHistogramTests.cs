using System.Diagnostics;
using TradSys.LoadTest.Measure;

namespace TradSys.LoadTest.Tests.Measure;

public class LatencyHistogramTests
{
    [Fact]
    public void Small_values_are_exact()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
        {
            h.Record(v);
        }
        Assert.Equal(50, h.ValueAtPercentile(50));
        Assert.Equal(99, h.ValueAtPercentile(99));
        Assert.Equal(100, h.ValueAtPercentile(100));
        Assert.Equal(1, h.Min);
        Assert.Equal(100, h.Max);
        Assert.Equal(50.5, h.Mean, 6);
    }

    [Fact]
    public void Large_values_are_within_one_part_in_128_and_never_below_the_true_value()
    {
        var h = new LatencyHistogram();
        var values = new List<long>();
        var random = new Random(3);
        for (var i = 0; i < 100_000; i++)
        {
            // From 1 µs to about 10 s, log-uniform.
            var v = (long)Math.Exp(random.NextDouble() * Math.Log(1e7) + Math.Log(1e3));
            values.Add(v);
            h.Record(v);
        }
        values.Sort();
        foreach (var p in new[] { 50.0, 95, 99, 99.9 })
        {
            var truth = values[(int)Math.Ceiling(p / 100 * values.Count) - 1];
            var got = h.ValueAtPercentile(p);
            Assert.InRange(got, truth, truth + truth / 128 + 1);
        }
        Assert.Equal(values[^1], h.ValueAtPercentile(100));
    }

    [Fact]
    public void Every_bucket_maps_back_to_itself()
    {
        for (var i = 0; i < 4000; i++)
        {
            Assert.Equal(i, LatencyHistogram.IndexOf(LatencyHistogram.LowestValueOf(i)));
            Assert.Equal(i, LatencyHistogram.IndexOf(LatencyHistogram.HighestValueOf(i)));
            Assert.Equal(i + 1, LatencyHistogram.IndexOf(LatencyHistogram.HighestValueOf(i) + 1));
        }
    }

    [Fact]
    public void Merged_histograms_count_everything_once()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        for (var v = 0; v < 1000; v++)
        {
            (v % 2 == 0 ? a : b).Record(v * 1000L);
        }
        var all = new LatencyHistogram();
        all.Add(a);
        all.Add(b);
        all.Add(new LatencyHistogram());
        Assert.Equal(1000, all.Count);
        Assert.Equal(0, all.Min);
        Assert.Equal(999_000, all.Max);
        Assert.InRange(all.ValueAtPercentile(50), 499_000, 499_000 + 499_000 / 128);
    }

    [Fact]
    public void Huge_values_land_in_the_last_bucket_and_the_exact_maximum_is_kept()
    {
        var h = new LatencyHistogram();
        h.Record(long.MaxValue / 2);
        h.Record(-5);
        Assert.Equal(long.MaxValue / 2, h.Max);
        Assert.Equal(0, h.Min);
        Assert.Equal(long.MaxValue / 2, h.ValueAtPercentile(100));
    }

    [Fact]
    public void An_empty_histogram_says_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.ValueAtPercentile(99));
        Assert.Equal(0, h.Mean);
    }
}

public class PacerTests
{
    [Fact]
    public async Task Waiters_are_woken_no_earlier_than_their_time_and_in_order()
    {
        using var pacer = new Pacer();
        var start = Stopwatch.GetTimestamp();
        var woken = new List<int>();
        var targets = new long[20];
        var tasks = new List<Task>();
        for (var i = 19; i >= 0; i--)
        {
            var n = i;
            targets[n] = start + n * Stopwatch.Frequency / 1000;
            tasks.Add(pacer.WaitUntilAsync(targets[n]).ContinueWith(_ =>
            {
                Assert.True(Stopwatch.GetTimestamp() >= targets[n]);
                lock (woken)
                {
                    woken.Add(n);
                }
            }, TaskScheduler.Default));
        }
        await Task.WhenAll(tasks);
        Assert.Equal(20, woken.Count);
        Assert.Equal(Enumerable.Range(0, 20), woken.Order());
    }

    [Fact]
    public async Task A_time_already_past_completes_at_once()
    {
        using var pacer = new Pacer();
        var task = pacer.WaitUntilAsync(Stopwatch.GetTimestamp() - 1);
        Assert.True(task.IsCompleted);
        await task;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TradSys.LoadTest.Load;
using TradSys.LoadTest.Measure;

namespace TradSys.LoadTest.Fix;

/// <summary>What <c>fix</c> measured.</summary>
public sealed record FixLoadReport(int Sessions, int Window, int Orders, double Seconds, double OrdersPerSecond, LatencyFigures Latency,
    Dictionary<string, int> Rejections, Dictionary<string, long> Received, string LoadAverageAfter)
{
    public string ToText()
    {
        var b = new StringBuilder();
        b.AppendLine(Inv($"== fix: {Sessions} client sessions, at most {Window} orders unanswered each: {Orders:N0} orders answered in {Seconds:0.00} s: {OrdersPerSecond:N0} orders/s"));
        b.AppendLine(Inv($"   latency to the first ExecutionReport (ms){"",2}{"count",11} {"p50",9} {"p95",9} {"p99",9} {"p99.9",9} {"max",9}"));
        b.AppendLine(Inv($"     {"NewOrderSingle",-40}{Latency.Count,11:N0} {Latency.P50Ms,9:0.000} {Latency.P95Ms,9:0.000} {Latency.P99Ms,9:0.000} {Latency.P999Ms,9:0.000} {Latency.MaxMs,9:0.000}"));
        b.AppendLine(Rejections.Count == 0 ? "   rejected: none" : "   rejected:");
        foreach (var (text, count) in Rejections.OrderByDescending(r => r.Value))
        {
            b.AppendLine(Inv($"     x{count:N0}: {text}"));
        }
        b.AppendLine("   received: " + string.Join(", ", Received.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => Inv($"35={r.Key} x{r.Value:N0}"))));
        b.AppendLine(Inv($"   load average after: {LoadAverageAfter}"));
        b.AppendLine("== target (issue 16)");
        b.AppendLine(Inv($"   a client FIX session at 20,000 orders/s into the order path: {OrdersPerSecond:N0} orders/s: {(OrdersPerSecond >= 20_000 ? "met" : "not met")}"));
        return b.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>fix</c>: client FIX sessions on the platform's acceptor, crossing limit orders as fast as the window lets them (closed loop):
/// a warm-up, then the measured orders, spread evenly over the sessions.
/// </summary>
public static class FixLoadCommand
{
    public static async Task<int> RunAsync(FixLoadOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(o.MaxSeconds));
        var runId = DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture);
        var sessions = o.Clients.Select((c, i) => new FixLoadSession(c, i % 2 == 0 ? '1' : '2', o, runId)).ToList();
        try
        {
            foreach (var session in sessions)
            {
                await session.LogOnAsync(o.Port, cut.Token).ConfigureAwait(false);
                Console.Error.WriteLine($"fix: {session.CompId} logged on");
            }
            if (o.WarmupOrders > 0)
            {
                await Task.WhenAll(sessions.Select((s, i) => s.SendOrdersAsync(Share(o.WarmupOrders, sessions.Count, i), cut.Token))).ConfigureAwait(false);
                Console.Error.WriteLine($"fix: {o.WarmupOrders:N0} warm-up orders answered; measuring");
            }
            foreach (var s in sessions)
            {
                s.Rejections.Clear();
                s.Received.Clear();
            }
            var started = Stopwatch.GetTimestamp();
            var histograms = await Task.WhenAll(sessions.Select((s, i) => s.SendOrdersAsync(Share(o.Orders, sessions.Count, i), cut.Token))).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var latency = new LatencyHistogram();
            foreach (var h in histograms)
            {
                latency.Add(h);
            }
            var report = new FixLoadReport(sessions.Count, o.Window, (int)latency.Count, Math.Round(seconds, 3), Math.Round(latency.Count / seconds, 1),
                LatencyFigures.From(latency), Merge(sessions.Select(s => s.Rejections)), Merge(sessions.Select(s => s.Received)), MachineInfo.LoadAverageNow());
            Console.Out.Write(report.ToText());
            if (o.JsonPath is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            }
            foreach (var session in sessions)
            {
                await session.LogOutAsync(cut.Token).ConfigureAwait(false);
            }
            return 0;
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Session <paramref name="index"/>'s share of <paramref name="total"/> orders over <paramref name="sessions"/> (the first ones take the remainder).</summary>
    public static int Share(int total, int sessions, int index) => total / sessions + (index < total % sessions ? 1 : 0);

    private static Dictionary<string, TValue> Merge<TValue>(IEnumerable<Dictionary<string, TValue>> parts) where TValue : System.Numerics.INumber<TValue>
    {
        var merged = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                merged[key] = merged.GetValueOrDefault(key, TValue.Zero) + value;
            }
        }
        return merged;
    }
}

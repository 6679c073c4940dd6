using System.Globalization;
using System.Text;
using TradSys.LoadTest.Load;

namespace TradSys.LoadTest.Streams;

/// <summary>What <c>ws</c> measured, as text for the terminal and as JSON.</summary>
public sealed record StreamsReport(int Subscribers, int Connected, double ConnectSeconds, Dictionary<string, int> ConnectFailures,
    IReadOnlyList<string> Symbols, IReadOnlyList<string> Channels, double OfferedRate, int DurationSeconds, double MeasuredSeconds,
    long OrdersSent, long OrdersAccepted, Dictionary<string, long> OrdersRefused, long Trades, long Updates, long Snapshots,
    long ConflatedSnapshots, long Heartbeats, long Bytes, LatencyFigures TradeLatency, LatencyFigures UpdateLatency, long? ServerRssBefore,
    long? ServerRssAfter, double? ServerCpuSeconds, Dictionary<string, int> Dropped, string LoadAverageAfter)
{
    /// <summary>Channel messages received a second, all subscribers together.</summary>
    public double MessagesPerSecond => MeasuredSeconds <= 0 ? 0 : (Trades + Updates + Snapshots) / MeasuredSeconds;

    /// <summary>The server's resident memory per connected subscriber, idle and subscribed (null without --server-pid).</summary>
    public long? BytesPerConnection => ServerRssBefore is { } before && ServerRssAfter is { } after && Connected > 0 ? (after - before) / Connected : null;

    public string ToText()
    {
        var b = new StringBuilder();
        b.AppendLine(Inv($"== ws: {Connected:N0} of {Subscribers:N0} subscribers connected in {ConnectSeconds:0.0} s ({string.Join(",", Channels)} of {string.Join(",", Symbols)})"));
        foreach (var (message, count) in ConnectFailures.OrderByDescending(f => f.Value))
        {
            b.AppendLine(Inv($"   not connected x{count:N0}: {message}"));
        }
        if (BytesPerConnection is { } perConnection)
        {
            b.AppendLine(Inv($"   server memory (resident): {ServerRssBefore / 1048576.0:N1} MiB before, {ServerRssAfter / 1048576.0:N1} MiB with the subscribers idle: {perConnection / 1024.0:N1} KiB a connection"));
        }
        b.AppendLine(Inv($"   orders: {OfferedRate:N0}/s offered for {DurationSeconds} s, {OrdersSent:N0} sent, {OrdersAccepted:N0} accepted (201)"));
        foreach (var (problem, count) in OrdersRefused.OrderByDescending(p => p.Value))
        {
            b.AppendLine(Inv($"   refused x{count:N0}: {problem}"));
        }
        b.AppendLine(Inv($"   received in {MeasuredSeconds:0.0} s: {Trades:N0} trades, {Updates:N0} market-data updates, {Snapshots:N0} snapshots ({ConflatedSnapshots:N0} conflated), {Heartbeats:N0} heartbeats; {MessagesPerSecond:N0} messages/s, {Bytes / MeasuredSeconds / 1048576.0:N1} MiB/s"));
        b.AppendLine(Inv($"   latency to the subscriber (ms){"",-2}{"count",11} {"p50",9} {"p95",9} {"p99",9} {"p99.9",9} {"max",9}"));
        Row(b, "trade (from executedAt)", TradeLatency);
        Row(b, "update (from timestamp)", UpdateLatency);
        if (ServerCpuSeconds is { } cpu)
        {
            b.AppendLine(Inv($"   server CPU: {cpu:0.00} s ({cpu / MeasuredSeconds * 100:0}% of one core)"));
        }
        b.AppendLine(Dropped.Count == 0
            ? "   connections closed by the server during the run: 0"
            : Inv($"   connections closed by the server during the run: {string.Join(", ", Dropped.Select(d => $"{d.Value:N0} x {d.Key}"))}"));
        b.AppendLine(Inv($"   load average after: {LoadAverageAfter}"));
        b.AppendLine("== targets (issue 17)");
        b.AppendLine(Inv($"   10,000 subscribers, p99 trade to client < 10 ms at 1,000 orders/s: {Connected:N0} subscribers, {OfferedRate:N0} orders/s, p99 {TradeLatency.P99Ms:0.000} ms: {(Connected >= 10_000 && OfferedRate >= 1_000 && TradeLatency.Count > 0 && TradeLatency.P99Ms < 10 ? "met" : "not met")}"));
        return b.ToString();
    }

    private static void Row(StringBuilder b, string name, LatencyFigures f) =>
        b.AppendLine(Inv($"     {name,-30}{f.Count,11:N0} {f.P50Ms,9:0.000} {f.P95Ms,9:0.000} {f.P99Ms,9:0.000} {f.P999Ms,9:0.000} {f.MaxMs,9:0.000}"));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

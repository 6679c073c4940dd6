using System.Text.Json;
using TradSys.LoadTest.Measure;

namespace TradSys.LoadTest.Streams;

/// <summary>
/// What the subscribers received: messages by type, and the latency of each trade (from its <c>executedAt</c>) and market-data
/// update (from its <c>timestamp</c>) to its arrival, while <see cref="Measuring"/>. The platform stamps both when the batch
/// that made them starts, before the commit, so the figure is an upper bound of commit-to-client. Called on every
/// connection's receiving loop at once: counters are interlocked, latencies go to one of 64 locked histograms by connection.
/// </summary>
internal sealed class StreamMeasure
{
    private const int Stripes = 64;
    private readonly LatencyHistogram[] _trades = [.. Enumerable.Range(0, Stripes).Select(_ => new LatencyHistogram())];
    private readonly LatencyHistogram[] _updates = [.. Enumerable.Range(0, Stripes).Select(_ => new LatencyHistogram())];
    private long _tradeCount;
    private long _updateCount;
    private long _snapshotCount;
    private long _conflatedCount;
    private long _heartbeatCount;
    private long _bytes;

    public volatile bool Measuring;

    public long Trades => Interlocked.Read(ref _tradeCount);

    public long Updates => Interlocked.Read(ref _updateCount);

    public long Snapshots => Interlocked.Read(ref _snapshotCount);

    public long Conflated => Interlocked.Read(ref _conflatedCount);

    public long Heartbeats => Interlocked.Read(ref _heartbeatCount);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Reads one message; true when it was a channel message or heartbeat (consumed here), false for the rest (acks, errors).</summary>
    public bool Observe(ReadOnlySpan<byte> utf8, int connection)
    {
        var type = Kind.Other;
        long stamp = 0;
        var conflated = false;
        var reader = new Utf8JsonReader(utf8);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.ValueTextEquals("trade"u8) ? Kind.Trade : reader.ValueTextEquals("update"u8) ? Kind.Update
                    : reader.ValueTextEquals("snapshot"u8) ? Kind.Snapshot : reader.ValueTextEquals("heartbeat"u8) ? Kind.Heartbeat : Kind.Other;
            }
            else if (reader.ValueTextEquals("executedAt"u8) || reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var at))
                {
                    stamp = at.ToUniversalTime().Ticks;
                }
            }
            else if (reader.ValueTextEquals("conflated"u8))
            {
                reader.Read();
                conflated = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (type == Kind.Other)
        {
            return false;
        }
        if (!Measuring)
        {
            return true;
        }
        Interlocked.Add(ref _bytes, utf8.Length);
        switch (type)
        {
            case Kind.Trade:
                Interlocked.Increment(ref _tradeCount);
                Record(_trades, connection, stamp);
                break;
            case Kind.Update:
                Interlocked.Increment(ref _updateCount);
                Record(_updates, connection, stamp);
                break;
            case Kind.Snapshot:
                Interlocked.Increment(ref _snapshotCount);
                if (conflated)
                {
                    Interlocked.Increment(ref _conflatedCount);
                }
                break;
            default:
                Interlocked.Increment(ref _heartbeatCount);
                break;
        }
        return true;
    }

    public LatencyHistogram TradeLatency() => Merge(_trades);

    public LatencyHistogram UpdateLatency() => Merge(_updates);

    private static void Record(LatencyHistogram[] stripes, int connection, long stampTicks)
    {
        if (stampTicks == 0)
        {
            return;
        }
        var nanoseconds = (DateTime.UtcNow.Ticks - stampTicks) * 100;
        var h = stripes[connection % Stripes];
        lock (h)
        {
            h.Record(nanoseconds);
        }
    }

    private static LatencyHistogram Merge(LatencyHistogram[] stripes)
    {
        var all = new LatencyHistogram();
        foreach (var h in stripes)
        {
            lock (h)
            {
                all.Add(h);
            }
        }
        return all;
    }

    private enum Kind
    {
        Other,
        Trade,
        Update,
        Snapshot,
        Heartbeat,
    }
}

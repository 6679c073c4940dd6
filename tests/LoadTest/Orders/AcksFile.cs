using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace TradSys.LoadTest.Orders;

/// <summary>
/// The acknowledgement log of a run: one JSON object per line. The first line describes the run
/// (<c>{"k":"run","runId","url","started","symbols","accounts"}</c>); then, as replies arrive, one <c>"ack"</c> line per
/// 2xx order reply (operation, order id, clientOrderId, account, symbol, side, price and quantity as acknowledged,
/// status, filled quantity, and the reply's trades), one <c>"seen"</c> line per amend or cancel refused (409) with the order's
/// state in the problem (status and filled quantity as the platform stated them) or amend refused (400) as changing nothing (the terms
/// it asked for, which the order therefore has), and one <c>"lost"</c> line per request that got
/// no reply (connection error or time-out: what was asked, so that verification accepts either outcome).
/// </summary>
/// <remarks>
/// Each connection writes its lines into its own buffer, which goes to the file (one write under a lock, then a flush
/// to the operating system) when it holds 32 KB or, at its next line, its oldest line is 100 ms old, and at the end of
/// every phase. A kill -9 of the server loses nothing of it (the tool goes on and records what got no answer); a kill
/// of the tool itself loses what its connections had not flushed yet.
/// </remarks>
public sealed class AcksFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _lock = new();

    public AcksFile(string path, RunHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _stream = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        var line = JsonSerializer.SerializeToUtf8Bytes(header, AcksJson.Options);
        Write(line);
        Write("\n"u8);
        _stream.Flush(flushToDisk: false);
    }

    public string Path { get; }

    internal void Append(ReadOnlySpan<byte> lines)
    {
        lock (_lock)
        {
            Write(lines);
            _stream.Flush(flushToDisk: false);
        }
    }

    private void Write(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public void Dispose()
    {
        lock (_lock)
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
        }
    }
}

/// <summary>The first line of an acks file.</summary>
public sealed record RunHeader(string K, string RunId, string Url, DateTime Started, IReadOnlyList<string> Symbols, IReadOnlyList<long> Accounts);

internal static class AcksJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>One connection's pending acks lines (see <see cref="AcksFile"/>).</summary>
public sealed class AcksBuffer
{
    private const int FlushBytes = 32 * 1024;
    private static readonly long FlushAge = Stopwatch.Frequency / 10;
    private readonly AcksFile _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _writer;
    private long _oldest;

    public AcksBuffer(AcksFile file)
    {
        _file = file;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>An acknowledged (2xx) reply: the order as the reply states it, with the terms the tool knows it asked for.</summary>
    public void Ack(string op, OrderReply reply, string clientOrderId, long accountId, string symbol, string side)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var w = Begin();
        w.WriteString("k"u8, "ack"u8);
        w.WriteString("op"u8, op);
        w.WriteNumber("id"u8, reply.OrderId);
        w.WriteString("coid"u8, clientOrderId);
        w.WriteNumber("acct"u8, accountId);
        w.WriteString("sym"u8, symbol);
        w.WriteString("side"u8, side);
        if (reply.Price is { } price)
        {
            w.WriteNumber("px"u8, price);
        }
        w.WriteNumber("qty"u8, reply.Quantity);
        w.WriteNumber("filled"u8, reply.FilledQuantity);
        w.WriteString("status"u8, reply.Status.ToString());
        if (reply.RejectCode is { } code)
        {
            w.WriteNumber("reject"u8, code);
        }
        if (reply.Trades.Count > 0)
        {
            w.WriteStartArray("trades"u8);
            foreach (var t in reply.Trades)
            {
                w.WriteStartObject();
                w.WriteNumber("id"u8, t.TradeId);
                w.WriteNumber("px"u8, t.Price);
                w.WriteNumber("qty"u8, t.Quantity);
                if (t.BuyOrderId is { } buy)
                {
                    w.WriteNumber("buy"u8, buy);
                }
                if (t.SellOrderId is { } sell)
                {
                    w.WriteNumber("sell"u8, sell);
                }
                w.WriteString("aggr"u8, t.AggressorSide);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        End();
    }

    /// <summary>
    /// An amend or cancel refused (409) because the order is no longer working, with the order's state the refusal carries: what the
    /// platform said the order is now (after a resend of a cancel whose first answer never came, this is how its outcome is learned).
    /// </summary>
    public void Seen(string op, long orderId, string status, long filledQuantity)
    {
        var w = Begin();
        w.WriteString("k"u8, "seen"u8);
        w.WriteString("op"u8, op);
        w.WriteNumber("id"u8, orderId);
        w.WriteString("status"u8, status);
        w.WriteNumber("filled"u8, filledQuantity);
        End();
    }

    /// <summary>
    /// An amend refused (400) because it changes nothing: the order already has the terms it asked for (null: that term was not in the
    /// amend), which the platform thereby states.
    /// </summary>
    public void SeenTerms(long orderId, decimal? price, long? quantity) => AmendTerms("seen"u8, orderId, price, quantity);

    /// <summary>A new order that got no reply.</summary>
    public void LostNew(string clientOrderId, long accountId, string symbol, string side, decimal price, long quantity)
    {
        var w = Begin();
        w.WriteString("k"u8, "lost"u8);
        w.WriteString("op"u8, "new"u8);
        w.WriteString("coid"u8, clientOrderId);
        w.WriteNumber("acct"u8, accountId);
        w.WriteString("sym"u8, symbol);
        w.WriteString("side"u8, side);
        w.WriteNumber("px"u8, price);
        w.WriteNumber("qty"u8, quantity);
        End();
    }

    /// <summary>An amend that got no reply (null: that term was not changed).</summary>
    public void LostAmend(long orderId, decimal? price, long? quantity) => AmendTerms("lost"u8, orderId, price, quantity);

    /// <summary>An amend's line of kind <paramref name="kind"/> with the terms it asked for (null: that term was not in it).</summary>
    private void AmendTerms(ReadOnlySpan<byte> kind, long orderId, decimal? price, long? quantity)
    {
        var w = Begin();
        w.WriteString("k"u8, kind);
        w.WriteString("op"u8, "amend"u8);
        w.WriteNumber("id"u8, orderId);
        if (price is { } p)
        {
            w.WriteNumber("px"u8, p);
        }
        if (quantity is { } q)
        {
            w.WriteNumber("qty"u8, q);
        }
        End();
    }

    /// <summary>A cancel that got no reply.</summary>
    public void LostCancel(long orderId)
    {
        var w = Begin();
        w.WriteString("k"u8, "lost"u8);
        w.WriteString("op"u8, "cancel"u8);
        w.WriteNumber("id"u8, orderId);
        End();
    }

    private Utf8JsonWriter Begin()
    {
        if (_buffer.WrittenCount == 0)
        {
            _oldest = Stopwatch.GetTimestamp();
        }
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        return _writer;
    }

    private void End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= FlushBytes || Stopwatch.GetTimestamp() - _oldest >= FlushAge)
        {
            Flush();
        }
    }

    /// <summary>Writes the pending lines to the file.</summary>
    public void Flush()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }
        _file.Append(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}

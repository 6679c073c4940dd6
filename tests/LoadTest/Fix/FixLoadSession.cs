using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TradSys.LoadTest.Measure;

namespace TradSys.LoadTest.Fix;

/// <summary>
/// One client FIX session of the <c>fix</c> command: logs on with ResetSeqNumFlag, sends NewOrderSingles on one side with at
/// most a window of them unanswered, and takes each order's first ExecutionReport (or the reject that names it) as its answer.
/// Answers TestRequests; everything else it receives (fills, heartbeats) is only counted.
/// </summary>
public sealed class FixLoadSession : IAsyncDisposable
{
    private readonly FixClient _client;
    private readonly FixLoadOptions _options;
    private readonly char _side;
    private readonly string _runId;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _clOrdIdBySeq = [];
    private readonly Lock _gate = new();
    private SemaphoreSlim _window = new(0);
    private LatencyHistogram _latency = new();
    private int _seq;
    private int _ordersSent;
    private Task? _reading;
    private readonly TaskCompletionSource _loggedOn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _failure;

    public FixLoadSession(FixClient client, char side, FixLoadOptions options, string runId)
    {
        (_client, _side, _options, _runId) = (client, side, options, runId);
    }

    public string CompId => _client.CompId;

    /// <summary>Rejections by their text (ExecType 8, a session Reject, a BusinessMessageReject).</summary>
    public Dictionary<string, int> Rejections { get; } = new(StringComparer.Ordinal);

    /// <summary>Every message received, by MsgType.</summary>
    public Dictionary<string, long> Received { get; } = new(StringComparer.Ordinal);

    public async Task LogOnAsync(int port, CancellationToken ct)
    {
        await _socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct).ConfigureAwait(false);
        _reading = Task.Run(() => ReadAsync(ct), ct);
        await SendAsync(["35=A", "98=0", "108=30", "141=Y"], ct).ConfigureAwait(false);
        await _loggedOn.Task.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="count"/> orders, at most <see cref="FixLoadOptions.Window"/> unanswered; returns when all are answered.</summary>
    public async Task<LatencyHistogram> SendOrdersAsync(int count, CancellationToken ct)
    {
        lock (_gate)
        {
            _latency = new LatencyHistogram();
            _window = new SemaphoreSlim(_options.Window);
        }
        for (var i = 0; i < count; i++)
        {
            await _window.WaitAsync(ct).ConfigureAwait(false);
            ThrowIfFailed();
            var clOrdId = $"{_runId}-{_client.CompId}-{++_ordersSent}";
            var now = DateTime.UtcNow;
            await SendAsync(
            [
                "35=D", $"11={clOrdId}", $"1={_client.Account}", $"55={_options.Symbol}", $"54={_side}", $"60={FixWire.Time(now)}",
                $"38={_options.Quantity}", "40=2", $"44={_options.Price.ToString(CultureInfo.InvariantCulture)}", "59=0",
            ], ct, clOrdId).ConfigureAwait(false);
        }
        for (var i = 0; i < _options.Window; i++)
        {
            await _window.WaitAsync(ct).ConfigureAwait(false);
            // A connection that ends after every order was answered (the run's last message) is not a failure of the run.
            bool unanswered;
            lock (_gate)
            {
                unanswered = _pending.Count > 0;
            }
            if (unanswered)
            {
                ThrowIfFailed();
            }
        }
        lock (_gate)
        {
            return _latency;
        }
    }

    public async Task LogOutAsync(CancellationToken ct)
    {
        try
        {
            await SendAsync(["35=5"], ct).ConfigureAwait(false);
            if (_reading is not null)
            {
                await _reading.WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            // The platform closed first; the run is over either way.
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new InvalidOperationException($"{_client.CompId}: {failure}");
        }
    }

    private async Task SendAsync(string[] fields, CancellationToken ct, string? clOrdId = null)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var seq = ++_seq;
            var message = FixWire.Message([fields[0], $"34={seq}", $"49={_client.CompId}", $"52={FixWire.Time(DateTime.UtcNow)}", $"56={_options.TargetCompId}", .. fields[1..]]);
            if (clOrdId is not null)
            {
                lock (_gate)
                {
                    _pending[clOrdId] = Stopwatch.GetTimestamp();
                    _clOrdIdBySeq[seq] = clOrdId;
                }
            }
            await _socket.SendAsync(message, SocketFlags.None, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        var filled = 0;
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    Fail("the platform closed the connection");
                    return;
                }
                filled += n;
                var start = 0;
                while (true)
                {
                    var length = FixWire.Frame(buffer.AsSpan(start, filled - start));
                    if (length < 0)
                    {
                        Fail("received bytes that are not FIX");
                        return;
                    }
                    if (length == 0)
                    {
                        break;
                    }
                    await OnMessageAsync(buffer.AsMemory(start, length), ct).ConfigureAwait(false);
                    start += length;
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                if (filled == buffer.Length)
                {
                    Fail("a message longer than 1 MB");
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Fail(ex.Message);
        }
    }

    private async Task OnMessageAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        var span = message.Span;
        var type = FixWire.Get(span, 35) ?? "?";
        lock (_gate)
        {
            Received[type] = Received.GetValueOrDefault(type) + 1;
        }
        switch (type)
        {
            case "A":
                _loggedOn.TrySetResult();
                break;
            case "1":
                await SendAsync(["35=0", $"112={FixWire.Get(span, 112)}"], ct).ConfigureAwait(false);
                break;
            case "5":
                Fail("logged out by the platform: " + (FixWire.Get(span, 58) ?? "no reason given"));
                _loggedOn.TrySetException(new InvalidOperationException($"{_client.CompId}: the Logon was answered with a Logout: {FixWire.Get(span, 58)}"));
                break;
            case "8":
                Answered(FixWire.Get(span, 11), FixWire.Get(span, 150) == "8" ? FixWire.Get(span, 58) ?? "rejected" : null);
                break;
            case "j":
                Answered(FixWire.Get(span, 379) ?? BySeq(FixWire.Get(span, 45)), "business reject: " + FixWire.Get(span, 58));
                break;
            case "3":
                Answered(BySeq(FixWire.Get(span, 45)), "session reject: " + FixWire.Get(span, 58));
                break;
        }
    }

    private string? BySeq(string? refSeqNum)
    {
        lock (_gate)
        {
            return int.TryParse(refSeqNum, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? _clOrdIdBySeq.GetValueOrDefault(seq) : null;
        }
    }

    /// <summary>An order's first answer: its latency recorded, a rejection counted by its text, a window slot freed.</summary>
    private void Answered(string? clOrdId, string? rejection)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (clOrdId is null || !_pending.Remove(clOrdId, out var sent))
            {
                return; // a later report of an order already answered (its fill), or someone else's
            }
            _latency.Record((long)Stopwatch.GetElapsedTime(sent, now).TotalNanoseconds);
            if (rejection is not null)
            {
                Rejections[rejection] = Rejections.GetValueOrDefault(rejection) + 1;
            }
        }
        _window.Release();
    }

    private void Fail(string why)
    {
        _failure ??= why;
        _loggedOn.TrySetException(new InvalidOperationException($"{_client.CompId}: {why}"));
        // Wake a sender waiting for a window slot, so it sees the failure.
        _window.Release(_options.Window);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (_reading is not null)
        {
            await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
        _writeGate.Dispose();
        _window.Dispose();
    }
}

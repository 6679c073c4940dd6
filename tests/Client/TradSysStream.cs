using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace TradSys.Client;

/// <summary>
/// One connection to the platform's <c>/ws</c>: the welcome, then subscribe / unsubscribe / ping answered by their ack, error or
/// pong, and every other server message as a typed <see cref="StreamEvent"/> from <see cref="ReadAllAsync"/>, in the order the
/// server sent them. One loop receives; events wait in an unbounded queue for the reader (read them promptly: the server
/// closes a client whose own send queue fills, with 1008 "slow consumer"). The last event is always <see cref="Closed"/>.
///
/// <see cref="LastOrderSequence"/> is the journal sequence of the last order update received: after a drop, connect again and
/// subscribe with <see cref="Subscription.OrderUpdates"/>(fromSequence: it) to get every update missed, then the live ones,
/// none twice.
/// </summary>
public sealed class TradSysStream : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<StreamEvent> _events = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamEvent>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ReadOnlyMemory<byte>, bool>? _raw;

    /// <summary>How long a subscribe, unsubscribe or ping of this connection waits for its answer before a <see cref="TimeoutException"/>.</summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(30);
    private Task _receiving = Task.CompletedTask;
    private long _nextId;
    private long _lastOrderSequence;

    private TradSysStream(WebSocket socket, Func<ReadOnlyMemory<byte>, bool>? raw)
    {
        _socket = socket;
        _raw = raw;
    }

    /// <summary>The server's first message: the user, the channels, the heartbeat and the token's expiry.</summary>
    public Welcome Welcome { get; private set; } = null!;

    /// <summary>The journal sequence of the last order update received on this connection (0: none yet).</summary>
    public long LastOrderSequence => Interlocked.Read(ref _lastOrderSequence);

    /// <summary>How the connection ended; null while it is open.</summary>
    public Closed? Closed { get; private set; }

    /// <summary>
    /// Connects to <paramref name="uri"/> (<c>ws://host:port/ws</c>) with an access token from <c>POST /connect/token</c> in the
    /// Authorization header, and reads the welcome.
    /// </summary>
    /// <param name="uri">the gateway, <c>ws://127.0.0.1:5080/ws</c></param>
    /// <param name="accessToken">the access token, without "Bearer"</param>
    /// <param name="cancellationToken">stops the connect and the welcome's wait</param>
    /// <param name="raw">
    /// Optional, for tools that measure: called on the receiving loop with each message's UTF-8 JSON before it is parsed; return
    /// true to consume it (it is then not parsed nor queued). The bytes are valid only during the call.
    /// </param>
    /// <exception cref="StreamConnectException">the server refused the upgrade (401 for a missing, expired or revoked token).</exception>
    public static async Task<TradSysStream> ConnectAsync(Uri uri, string accessToken, CancellationToken cancellationToken = default,
        Func<ReadOnlyMemory<byte>, bool>? raw = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + accessToken);
        socket.Options.CollectHttpResponseDetails = true;
        // The server sends heartbeats; the client's own pings are not needed.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new StreamConnectException(status == 0 ? null : (int)status, $"could not open {uri}: " +
                (status == 0 ? ex.Message : $"the server answered {(int)status} {status}"), ex);
        }
        return await OpenAsync(socket, cancellationToken, raw).ConfigureAwait(false);
    }

    /// <summary>Takes over a WebSocket already connected to <c>/ws</c> (a test server's, a proxy's) and reads the welcome.</summary>
    public static async Task<TradSysStream> OpenAsync(WebSocket socket, CancellationToken cancellationToken = default,
        Func<ReadOnlyMemory<byte>, bool>? raw = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var stream = new TradSysStream(socket, raw);
        var buffer = new ArrayBufferWriter<byte>(4096);
        var first = await stream.ReceiveMessageAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (!first)
        {
            throw new StreamConnectException(null, $"the server closed the connection before its welcome: {stream.Closed?.Code} {stream.Closed?.Reason}", null);
        }
        if (StreamJson.Read(buffer.WrittenSpan, out _) is not Welcome welcome)
        {
            throw new StreamConnectException(null, "the server's first message was not a welcome", null);
        }
        stream.Welcome = welcome;
        stream._receiving = Task.Run(() => stream.ReceiveLoopAsync(buffer));
        return stream;
    }

    /// <summary>Subscribes; the server's ack, or a <see cref="StreamRequestException"/> naming what was wrong.</summary>
    public async Task<Ack> SubscribeAsync(Subscription subscription, CancellationToken cancellationToken = default) =>
        (Ack)await RequestAsync("subscribe", subscription, cancellationToken).ConfigureAwait(false);

    /// <summary>Unsubscribes; the server's ack, or a <see cref="StreamRequestException"/> (not_subscribed, ...).</summary>
    public async Task<Ack> UnsubscribeAsync(Subscription subscription, CancellationToken cancellationToken = default) =>
        (Ack)await RequestAsync("unsubscribe", subscription with { FromSequence = null }, cancellationToken).ConfigureAwait(false);

    /// <summary>A ping; the server's pong.</summary>
    public async Task<Pong> PingAsync(CancellationToken cancellationToken = default) =>
        (Pong)await RequestAsync("ping", null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Every event after the welcome (not the answers to this client's requests), in the order the server sent them, ending with
    /// <see cref="Closed"/>.
    /// </summary>
    public IAsyncEnumerable<StreamEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>The next event, waiting for it; <see cref="Closed"/> once the connection has ended.</summary>
    public async ValueTask<StreamEvent> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _events.Reader.TryRead(out var next))
        {
            return next;
        }
        return Closed ?? new Closed(null, "the connection ended");
    }

    /// <summary>Closes the connection normally (1000) and waits for the server's close.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closed", cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                // Already dropped: the receiving loop reports it as Closed.
            }
        }
        await _receiving.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the connection without a close handshake (as a network failure would).</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await CloseAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _socket.Abort();
            }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }

    private async Task<StreamEvent> RequestAsync(string op, Subscription? subscription, CancellationToken cancellationToken)
    {
        var id = "c" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<StreamEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            var message = new Dictionary<string, object?> { ["op"] = op, ["id"] = id };
            if (subscription is not null)
            {
                message["channel"] = subscription.Channel;
                Put(message, "symbol", subscription.Symbol);
                Put(message, "accountId", subscription.AccountId);
                Put(message, "fromSequence", subscription.FromSequence);
            }
            await SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, StreamJson.Options), cancellationToken).ConfigureAwait(false);
            StreamEvent result;
            try
            {
                result = await answer.Task.WaitAsync(AnswerTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no answer to {op} {subscription?.Channel} within {AnswerTimeout.TotalSeconds:0} s");
            }
            return result is StreamError error ? throw new StreamRequestException(error) : result;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static void Put(Dictionary<string, object?> message, string name, object? value)
    {
        if (value is not null)
        {
            message[name] = value;
        }
    }

    private async Task SendAsync(byte[] utf8, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveLoopAsync(ArrayBufferWriter<byte> buffer)
    {
        try
        {
            while (await ReceiveMessageAsync(buffer, _stop.Token).ConfigureAwait(false))
            {
                if (_raw is not null && _raw(buffer.WrittenMemory))
                {
                    continue;
                }
                var message = StreamJson.Read(buffer.WrittenSpan, out var requestId);
                if (message is OrderUpdate update)
                {
                    Interlocked.Exchange(ref _lastOrderSequence, update.Sequence);
                }
                if (requestId is not null && message is Ack or StreamError or Pong && _pending.TryGetValue(requestId, out var waiting))
                {
                    waiting.TrySetResult(message);
                    continue;
                }
                _events.Writer.TryWrite(message);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Dropped, aborted or disposed: the connection has ended.
            Closed ??= new Closed(null, ex.Message);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // A message this library cannot read: the connection is closed rather than left half-read, and the reason says why.
            Closed ??= new Closed(null, "the server sent a message this client cannot read: " + ex.Message);
            _socket.Abort();
        }
        var closed = Closed ?? new Closed(null, "the connection ended");
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new StreamConnectException(closed.Code, $"the connection ended before the answer: {closed.Code} {closed.Reason}", null));
        }
        _events.Writer.TryWrite(closed);
        _events.Writer.TryComplete();
    }

    /// <summary>Reads one whole text message into <paramref name="buffer"/>; false when the server closed (then <see cref="Closed"/> says how).</summary>
    private async Task<bool> ReceiveMessageAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Closed = new Closed(_socket.CloseStatus is { } status ? (int)status : null, _socket.CloseStatusDescription);
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
                }
                return false;
            }
            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }
}

/// <summary>The connection to <c>/ws</c> could not be opened, or ended before an answer.</summary>
public sealed class StreamConnectException(int? status, string message, Exception? inner) : Exception(message, inner)
{
    /// <summary>The HTTP status of a refused upgrade (401: no valid token), or the close code; null when neither is known.</summary>
    public int? Status { get; } = status;
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Persistence;

namespace TradSys.Web.Streaming;

/// <summary>
/// One client's <c>/ws</c> connection: a receive loop that answers the client's messages one at a time, a send loop that is the
/// only writer to the socket (WebSockets allow one send at a time), and a timer for heartbeats and the access token's expiry
/// and revocation. Every way it ends has a close code and reason: the client's close (echoed), policy violation (token
/// expired or revoked; slow consumer), message too big, server shutting down.
/// </summary>
internal sealed class StreamConnection
{
    /// <summary>A client message this large in total is not read further: the connection is closed (1009).</summary>
    public const int HardMessageLimit = 1 << 20;

    private readonly WebSocket _socket;
    private readonly StreamHub _hub;
    private readonly StreamingOptions _options;
    private readonly Caller _caller;
    private readonly AccessTokenEntry _token;
    private readonly long[]? _readable;
    private readonly RevocationSet _revocations;
    private readonly TimeProvider _clock;
    private readonly OutboundQueue _queue;
    private readonly ConcurrentDictionary<string, MarketSubscription> _marketData = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _trades = new(StringComparer.Ordinal);
    private readonly FollowedAccounts _orders = new();
    private readonly FollowedAccounts _alerts = new();
    private readonly ConcurrentDictionary<long, byte> _portfolios = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly SocketOrderEntryContext _orderEntry;
    private readonly Lock _orderGate = new();
    /// <summary>While a replay from the journal runs, live order updates wait here (then follow it, without duplicates).</summary>
    private List<Outbound>? _held;
    /// <summary>The highest journal sequence queued for this client (guarded by <see cref="_orderGate"/>).</summary>
    private long _lastOrderSequence = -1;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closeRequestedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";
    private ErrorMessage? _closeNotice;

    /// <summary>A market-data subscription; <see cref="LastSent"/> is -1 until its snapshot went out (only the send loop sets it).</summary>
    private sealed class MarketSubscription
    {
        public long LastSent = -1;
    }

    /// <summary>The accounts a per-account channel (order_updates, alerts) follows: every account the caller may read, or some.</summary>
    private sealed class FollowedAccounts
    {
        private readonly ConcurrentDictionary<long, byte> _some = new();
        private volatile bool _all;

        public bool Any => _all || !_some.IsEmpty;

        /// <summary>Follows one account, or (null) every account the caller may read.</summary>
        public void Add(long? account)
        {
            if (account is { } one)
            {
                _some[one] = 0;
            }
            else
            {
                _all = true;
            }
        }

        /// <summary>Stops following one account, or (null) every account; false when it was not followed.</summary>
        public bool Remove(long? account)
        {
            if (account is { } one)
            {
                return _some.TryRemove(one, out _);
            }
            if (!Any)
            {
                return false;
            }
            _all = false;
            _some.Clear();
            return true;
        }

        public bool Covers(long account, long[]? readable) =>
            _all ? readable is null || Array.IndexOf(readable, account) >= 0 : _some.ContainsKey(account);
    }

    public StreamConnection(WebSocket socket, StreamHub hub, StreamingOptions options, Caller caller, AccessTokenEntry token, long[]? readable,
        RevocationSet revocations, TimeProvider clock, IServiceScopeFactory scopes, SocketOrderEntryContext orderEntry)
    {
        (_socket, _hub, _options, _caller, _token, _readable, _revocations, _clock, _scopes, _orderEntry) =
            (socket, hub, options, caller, token, readable, revocations, clock, scopes, orderEntry);
        _queue = new OutboundQueue(options.SendQueueCapacity);
    }

    /// <summary>Whether the connection is closing (any thread).</summary>
    public bool CloseRequested => Volatile.Read(ref _closeRequested) == 1;

    /// <summary>Why the connection ends, once <see cref="CloseRequested"/>.</summary>
    public (WebSocketCloseStatus Status, string Reason) Closed => (_closeStatus, _closeReason);

    public async Task RunAsync(CancellationToken aborted)
    {
        _hub.Add(this);
        try
        {
            Control(new WelcomeMessage(_caller.UserName, StreamMessages.Channels, _options.HeartbeatSeconds, _options.MaxMessageBytes, _token.ExpiresAt));
            var send = SendLoopAsync(aborted);
            var receive = ReceiveLoopAsync(aborted);
            var ticks = TickLoopAsync();
            await Task.WhenAny(send, receive, _closeRequestedSignal.Task);
            // The server closes (the send loop sends the close frame once a send in progress completes), or the client closed or
            // vanished: answer a close in kind, if the socket still takes one. A client that reads nothing more is aborted.
            RequestClose(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, _socket.CloseStatusDescription ?? "closed", null);
            var all = Task.WhenAll(send, receive, ticks);
            if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(_options.CloseTimeoutSeconds), CancellationToken.None)) != all)
            {
                _socket.Abort();
            }
            await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _hub.Remove(this);
        }
    }

    /// <summary>
    /// Ends the connection: the send loop stops sending what is queued, sends <paramref name="notice"/> (if any) and a close
    /// frame with <paramref name="status"/> and <paramref name="reason"/>. The first request wins.
    /// </summary>
    public void RequestClose(WebSocketCloseStatus status, string reason, ErrorMessage? notice)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }
        (_closeStatus, _closeReason, _closeNotice) = (status, reason, notice);
        _closing.Cancel();
        _closeRequestedSignal.TrySetResult();
    }

    /// <summary>The hub: a market-data update of a symbol this connection subscribed to (conflated when the client is slow).</summary>
    public void OfferMarketData(Outbound update) => _queue.OfferMarketData(update);

    /// <summary>The hub: a trade or order update, never dropped; a client that cannot take it is disconnected.</summary>
    public void OfferEssential(Outbound message)
    {
        if (!_queue.TryEssential(message))
        {
            SlowConsumer();
        }
    }

    /// <summary>The hub: an order update of an account this connection follows, in journal order; never dropped.</summary>
    public void OfferOrderUpdate(Outbound update)
    {
        lock (_orderGate)
        {
            if (_held is not null)
            {
                _held.Add(update);
                if (_held.Count > _options.SendQueueCapacity)
                {
                    SlowConsumer();
                }
                return;
            }
            if (update.Sequence <= _lastOrderSequence)
            {
                return; // already sent by a replay from the journal
            }
            _lastOrderSequence = update.Sequence;
        }
        OfferEssential(update);
    }

    /// <summary>Whether this connection's order_updates subscriptions cover the account.</summary>
    public bool WantsOrdersOf(long accountId) => _orders.Covers(accountId, _readable);

    /// <summary>Whether this connection's alerts subscriptions cover the account.</summary>
    public bool WantsAlertsOf(long accountId) => _alerts.Covers(accountId, _readable);

    private void SlowConsumer() =>
        RequestClose(WebSocketCloseStatus.PolicyViolation, "slow consumer", null);

    private void Control<T>(T message)
    {
        if (!_queue.TryEssential(new Outbound(OutboundKind.Control, StreamMessages.Serialize(message))))
        {
            SlowConsumer();
        }
    }

    private async Task SendLoopAsync(CancellationToken aborted)
    {
        try
        {
            while (await _queue.WaitToReadAsync(_closing.Token))
            {
                while (!_closing.IsCancellationRequested && _queue.TryRead(out var message))
                {
                    await SendAsync(message, aborted);
                    await SendConflatedAsync(aborted);
                }
                await SendConflatedAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closing: what is still queued is not sent.
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client is gone: nothing more can be sent.
            return;
        }
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CloseTimeoutSeconds));
                if (_closeNotice is { } notice && _socket.State == WebSocketState.Open)
                {
                    await _socket.SendAsync(StreamMessages.Serialize(notice), WebSocketMessageType.Text, true, timeout.Token);
                }
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The client stopped reading or went away: RunAsync aborts the socket.
            }
        }
    }

    private async Task SendAsync(Outbound message, CancellationToken aborted)
    {
        switch (message.Kind)
        {
            case OutboundKind.MarketData:
                if (!_marketData.TryGetValue(message.Symbol!, out var subscription) || subscription.LastSent < 0 ||
                    message.Sequence <= subscription.LastSent || _queue.IsConflated(message.Symbol!))
                {
                    return; // not subscribed, waiting for its snapshot, already in a snapshot sent, or a conflated state follows
                }
                subscription.LastSent = message.Sequence;
                break;
            case OutboundKind.Snapshot:
                await SendSnapshotAsync(message.Symbol!, conflated: false, aborted);
                return;
        }
        await _socket.SendAsync(message.Payload!, WebSocketMessageType.Text, true, aborted);
    }

    private async Task SendConflatedAsync(CancellationToken aborted)
    {
        while (!_closing.IsCancellationRequested && _queue.TryTakeConflated(out var symbol))
        {
            await SendSnapshotAsync(symbol, conflated: true, aborted);
        }
    }

    private async Task SendSnapshotAsync(string symbol, bool conflated, CancellationToken aborted)
    {
        if (!_marketData.TryGetValue(symbol, out var subscription) || _hub.Snapshot(symbol, conflated) is not { } snapshot)
        {
            return;
        }
        subscription.LastSent = snapshot.Sequence;
        await _socket.SendAsync(StreamMessages.Serialize(snapshot), WebSocketMessageType.Text, true, aborted);
    }

    /// <summary>Heartbeats, and the token's expiry and revocation, until the connection closes.</summary>
    private async Task TickLoopAsync()
    {
        var heartbeatEvery = TimeSpan.FromSeconds(Math.Max(1, _options.HeartbeatSeconds));
        var nextHeartbeat = _clock.GetUtcNow() + heartbeatEvery;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, _options.TokenCheckMilliseconds)), _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token))
            {
                var now = _clock.GetUtcNow();
                if (now >= _token.ExpiresAt)
                {
                    RequestClose(WebSocketCloseStatus.PolicyViolation, "token expired",
                        new ErrorMessage(null, "token_expired", "the access token expired: get a new one (POST /connect/token) and reconnect"));
                    return;
                }
                if (_revocations.IsRevoked(_token))
                {
                    RequestClose(WebSocketCloseStatus.PolicyViolation, "token revoked",
                        new ErrorMessage(null, "token_revoked", "the access token was revoked (sign-out, a change to the user's roles or " +
                                                               "activity, or a password reset): get a new one and reconnect"));
                    return;
                }
                if (now >= nextHeartbeat)
                {
                    nextHeartbeat = now + heartbeatEvery;
                    // A heartbeat that does not fit is skipped: the queue is full of what the client has not read yet.
                    _queue.TryEssential(new Outbound(OutboundKind.Control, StreamMessages.Serialize(new HeartbeatMessage(now))));
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closing.
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        var buffer = new byte[Math.Max(64, _options.MaxMessageBytes)];
        var scratch = new byte[4096];
        try
        {
            while (_socket.State == WebSocketState.Open && !_closing.IsCancellationRequested)
            {
                var count = 0;
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    var target = count < buffer.Length ? buffer.AsMemory(count) : scratch.AsMemory();
                    result = await _socket.ReceiveAsync(target, aborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    total += result.Count;
                    if (count < buffer.Length)
                    {
                        count += result.Count;
                    }
                    if (total > HardMessageLimit)
                    {
                        RequestClose(WebSocketCloseStatus.MessageTooBig, "message too big",
                            new ErrorMessage(null, "message_too_large", $"a message of more than {HardMessageLimit} bytes: the connection is closed"));
                        return;
                    }
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Control(new ErrorMessage(null, "binary_not_supported", "messages are JSON text frames; a binary frame was ignored"));
                }
                else if (total > _options.MaxMessageBytes)
                {
                    Control(new ErrorMessage(null, "message_too_large",
                        $"the message has {total} bytes, more than the {_options.MaxMessageBytes} allowed; it was ignored"));
                }
                else
                {
                    await HandleAsync(buffer.AsMemory(0, count));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away without a close.
        }
    }

    /// <summary>One client message: answered with an ack, a pong or an error; an error changes nothing.</summary>
    private async Task HandleAsync(ReadOnlyMemory<byte> text)
    {
        ClientRequest request;
        try
        {
            request = ClientRequest.Parse(text);
        }
        catch (JsonException ex)
        {
            Control(new ErrorMessage(null, "malformed_json",
                $"the message is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {FirstSentence(ex.Message)}"));
            return;
        }
        if (request.Problems.Count > 0)
        {
            Control(new ErrorMessage(request.Id, request.Code!, string.Join("; ", request.Problems.Select(p => $"{p.Field}: {p.Message}")), request.Problems));
            return;
        }
        switch (request.Op)
        {
            case "ping":
                Control(new PongMessage(request.Id, _clock.GetUtcNow()));
                break;
            case "subscribe":
                await SubscribeAsync(request);
                break;
            case "unsubscribe":
                Unsubscribe(request);
                break;
            case ClientRequest.OrderNew:
                await EnterOrderAsync(request, "POST", "/api/v1/orders", request.Order!);
                break;
            case ClientRequest.OrderAmend:
                await EnterOrderAsync(request, "PATCH", $"/api/v1/orders/{request.OrderId}", request.Amend!, request.IdempotencyKey);
                break;
            case ClientRequest.OrderCancel:
                await EnterOrderAsync(request, "DELETE", $"/api/v1/orders/{request.OrderId}", []);
                break;
        }
    }

    /// <summary>
    /// An order request, carried out as the REST request it stands for (one at a time per connection, in the order sent) and
    /// answered with REST's status and body. Its order updates come on order_updates like any other order's.
    /// </summary>
    private async Task EnterOrderAsync(ClientRequest request, string method, string path, byte[] body, string? idempotencyKey = null)
    {
        var result = await _orderEntry.SendAsync(method, path, body, idempotencyKey, _closing.Token);
        JsonElement? json = null;
        if (result.Body.Length > 0)
        {
            using var document = JsonDocument.Parse(result.Body);
            json = document.RootElement.Clone();
        }
        Control(new OrderResultMessage(request.Id, request.Op!, result.Status, result.RetryAfter, json, result.Replayed ? true : null));
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private async Task SubscribeAsync(ClientRequest request)
    {
        switch (request.Channel)
        {
            case StreamMessages.MarketData when Symbol(request) is { } symbol:
                Control(new AckMessage(request.Id, "subscribe", request.Channel, symbol, null, null));
                // A new subscription waits for its snapshot (updates queued meanwhile are not sent: the snapshot covers them).
                _marketData[symbol] = new MarketSubscription();
                _hub.SubscribeMarketData(symbol, this);
                OfferEssential(new Outbound(OutboundKind.Snapshot, null, symbol));
                break;
            case StreamMessages.Trades when Symbol(request) is { } symbol:
                _trades[symbol] = 0;
                _hub.SubscribeTrades(symbol, this);
                Control(new AckMessage(request.Id, "subscribe", request.Channel, symbol, null, null));
                break;
            case StreamMessages.Portfolio when !_hub.WritesBooks:
                // Cash and buying power are the single writer's (its open orders' reservations): only its node can value them.
                Control(new ErrorMessage(request.Id, "not_on_this_node", "channel: the portfolio channel is served by the node that " +
                    "writes the books, and this node is a standby of a cluster; every other channel is served here"));
                break;
            case StreamMessages.Portfolio when Readable(request) && await ExistsAsync(request):
                var account = request.AccountId!.Value;
                _portfolios[account] = 0;
                Control(new AckMessage(request.Id, "subscribe", request.Channel, null, account, null));
                // The account's current state follows the ack (computed off this loop), then every change.
                _hub.Portfolios.Subscribe(account, this);
                break;
            case StreamMessages.Alerts when Readable(request):
                _alerts.Add(request.AccountId);
                _hub.SubscribeAlerts(this);
                Control(new AckMessage(request.Id, "subscribe", request.Channel, null, request.AccountId,
                    request.AccountId is null ? _readable : null));
                break;
            case StreamMessages.OrderUpdates when Readable(request):
                _orders.Add(request.AccountId);
                if (request.FromSequence is not { } fromSequence)
                {
                    _hub.SubscribeOrders(this);
                    Control(new AckMessage(request.Id, "subscribe", request.Channel, null, request.AccountId,
                        request.AccountId is null ? _readable : null));
                    break;
                }
                lock (_orderGate)
                {
                    _held = [];
                }
                _hub.SubscribeOrders(this);
                Control(new AckMessage(request.Id, "subscribe", request.Channel, null, request.AccountId,
                    request.AccountId is null ? _readable : null));
                await ReplayAsync(fromSequence, request.AccountId is { } one ? [one] : _readable);
                break;
        }
    }

    /// <summary>Page size of a replay from the journal.</summary>
    private const int ReplayPage = 500;

    /// <summary>
    /// Sends the journal entries after <paramref name="after"/> of <paramref name="accounts"/> (null: every account) from the
    /// database, waiting for room in the queue; then the live updates that arrived meanwhile, skipping those already replayed.
    /// Everything committed after the subscription was registered reaches the live feed, and everything before it is in the
    /// database, so nothing is missed and nothing is sent twice.
    /// </summary>
    private async Task ReplayAsync(long after, long[]? accounts)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            while (!_closing.IsCancellationRequested)
            {
                var start = after;
                var page = await (from e in db.OrderEvents.AsNoTracking()
                    join o in db.Orders.AsNoTracking() on e.OrderId equals o.Id
                    where e.Sequence > start && (accounts == null || accounts.Contains(o.AccountId))
                    orderby e.Sequence
                    select new { e, o }).Take(ReplayPage).ToListAsync(_closing.Token);
                foreach (var row in page)
                {
                    var update = Messaging.OutboxPublisher.ToContract(row.e, row.o);
                    await _queue.WriteAsync(new Outbound(OutboundKind.OrderUpdate, StreamMessages.Serialize(StreamMessages.OrderUpdate(update)),
                        update.Symbol, update.Sequence), _closing.Token);
                    after = update.Sequence;
                }
                if (page.Count < ReplayPage)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // The connection is closing.
        }
        finally
        {
            List<Outbound> held;
            lock (_orderGate)
            {
                held = _held ?? [];
                _held = null;
                _lastOrderSequence = Math.Max(_lastOrderSequence, after);
                var live = held.Where(h => h.Sequence > _lastOrderSequence).ToList();
                foreach (var update in live)
                {
                    OfferEssential(update);
                }
                if (live.Count > 0)
                {
                    _lastOrderSequence = live[^1].Sequence;
                }
            }
        }
    }

    private void Unsubscribe(ClientRequest request)
    {
        switch (request.Channel)
        {
            case StreamMessages.MarketData when Symbol(request) is { } symbol:
                if (!_marketData.TryRemove(symbol, out _))
                {
                    NotSubscribed(request, symbol);
                    return;
                }
                _hub.UnsubscribeMarketData(symbol, this);
                Control(new AckMessage(request.Id, "unsubscribe", request.Channel, symbol, null, null));
                break;
            case StreamMessages.Trades when Symbol(request) is { } symbol:
                if (!_trades.TryRemove(symbol, out _))
                {
                    NotSubscribed(request, symbol);
                    return;
                }
                _hub.UnsubscribeTrades(symbol, this);
                Control(new AckMessage(request.Id, "unsubscribe", request.Channel, symbol, null, null));
                break;
            case StreamMessages.OrderUpdates:
                StopFollowing(request, _orders, _hub.UnsubscribeOrders);
                break;
            case StreamMessages.Alerts:
                StopFollowing(request, _alerts, _hub.UnsubscribeAlerts);
                break;
            case StreamMessages.Portfolio:
                var account = request.AccountId!.Value;
                if (!_portfolios.TryRemove(account, out _))
                {
                    NotSubscribed(request, $"account {account}");
                    return;
                }
                _hub.Portfolios.Unsubscribe(account, this);
                Control(new AckMessage(request.Id, "unsubscribe", request.Channel, null, account, null));
                break;
        }
    }

    /// <summary>
    /// Whether the request's account exists (callers who may read every account can name any id; a trader's own accounts exist);
    /// answers the error when not.
    /// </summary>
    private async Task<bool> ExistsAsync(ClientRequest request)
    {
        if (_readable is not null)
        {
            return true;
        }
        var account = request.AccountId!.Value;
        await using var scope = _scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<TradSysDbContext>().Accounts.AsNoTracking().AnyAsync(a => a.Id == account, _closing.Token))
        {
            return true;
        }
        Control(new ErrorMessage(request.Id, "unknown_account", $"accountId: there is no account {account}",
            [new FieldProblem("accountId", $"there is no account {account}")]));
        return false;
    }

    /// <summary>Unsubscribes a per-account channel from one account or (none named) all; the hub stops sending once none is left.</summary>
    private void StopFollowing(ClientRequest request, FollowedAccounts followed, Action<StreamConnection> leaveHub)
    {
        if (!followed.Remove(request.AccountId))
        {
            NotSubscribed(request, request.AccountId is { } account ? $"account {account}" : "any account");
            return;
        }
        if (!followed.Any)
        {
            leaveHub(this);
        }
        Control(new AckMessage(request.Id, "unsubscribe", request.Channel!, null, request.AccountId, null));
    }

    /// <summary>Whether the request's account (if it names one) is one the caller may read; answers the error when not.</summary>
    private bool Readable(ClientRequest request)
    {
        if (request.AccountId is not { } account || _readable is null || Array.IndexOf(_readable, account) >= 0)
        {
            return true;
        }
        Control(new ErrorMessage(request.Id, "account_not_yours", $"accountId: account {account} is not one of your accounts",
            [new FieldProblem("accountId", $"account {account} is not one of your accounts")]));
        return false;
    }

    private void NotSubscribed(ClientRequest request, string what) =>
        Control(new ErrorMessage(request.Id, "not_subscribed", $"channel: not subscribed to {request.Channel} for {what}"));

    /// <summary>The request's symbol as the platform spells it, or null after answering that it is unknown.</summary>
    private string? Symbol(ClientRequest request)
    {
        if (_hub.Canonical(request.Symbol!) is { } symbol)
        {
            return symbol;
        }
        Control(new ErrorMessage(request.Id, "unknown_symbol", $"symbol: there is no instrument '{request.Symbol}' (GET /api/v1/instruments lists them)",
            [new FieldProblem("symbol", $"there is no instrument '{request.Symbol}'")]));
        return null;
    }
}

using System.Globalization;
using System.Text.Json;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Load;

namespace TradSys.LoadTest.Orders;

/// <summary>The shares of new orders, amends and cancels in a run, in percent (summing to 100).</summary>
public sealed record OrderMix(int New, int Amend, int Cancel)
{
    public static OrderMix Default { get; } = new(80, 10, 10);

    /// <summary>Parses "new=80,amend=10,cancel=10" (any order; missing kinds are 0; the shares must sum to 100).</summary>
    public static OrderMix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int n = 0, a = 0, c = 0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var share) || share > 100)
            {
                throw new ArgumentException($"--mix: '{part}' is not kind=percent (e.g. new=80,amend=10,cancel=10)");
            }
            switch (kv[0].ToLowerInvariant())
            {
                case "new": n = share; break;
                case "amend": a = share; break;
                case "cancel": c = share; break;
                default: throw new ArgumentException($"--mix: unknown kind '{kv[0]}' (new, amend, cancel)");
            }
        }
        if (n + a + c != 100)
        {
            throw new ArgumentException($"--mix: the shares add up to {n + a + c}, not 100");
        }
        if (n == 0)
        {
            throw new ArgumentException("--mix: new must be above 0 (amends and cancels need orders to work on)");
        }
        return new OrderMix(n, a, c);
    }

    public override string ToString() => $"new={New},amend={Amend},cancel={Cancel}";
}

/// <summary>An account the tool trades on, with its owner's bearer token.</summary>
public sealed record TradingAccount(long AccountId, string ClientId, string Token);

/// <summary>What one connection does with a request and its answer.</summary>
public interface ILoadSession
{
    /// <summary>Fills in the next request; returns its kind.</summary>
    RequestKind Next(LoadRequest request);

    /// <summary>Takes the answer to the request <see cref="Next"/> described.</summary>
    void OnAnswer(RequestKind kind, int status, ReadOnlySpan<byte> body, SessionStats stats);

    /// <summary>The request got no answer (connection error, time-out).</summary>
    void OnLost(RequestKind kind);

    /// <summary>Writes whatever is buffered (acks lines).</summary>
    void Flush();
}

/// <summary>
/// One connection's seeded order flow: new limit orders (Gtc, whole lots of 1-10, buys and sells drawn
/// from a few valid prices around the reference so that most cross and some rest), amends (price, quantity or both) and
/// cancels of this connection's own orders that its replies say are still working. A random draw picks the kind by
/// <see cref="OrderMix"/>; with nothing working, an amend or cancel becomes a new order. New orders alternate between
/// the accounts (each with its owner's token; an amend or cancel goes with its order's), so that even one connection
/// trades: an order crossing only its own account's resting orders would be canceled by self-trade prevention. The same
/// seed and the same replies give the same requests. Every 2xx reply is written to the acks file (when there is one).
/// </summary>
public sealed class OrderFlow : ILoadSession
{
    private readonly int _connection;
    private long _amends;
    private readonly IReadOnlyList<TradingAccount> _accounts;
    private readonly IReadOnlyList<InstrumentInfo> _instruments;
    private readonly OrderMix _mix;
    private readonly string _clientOrderIdPrefix;
    private readonly AcksBuffer? _acks;
    private readonly Random _random;
    private readonly OrderReply _reply = new();
    private readonly List<WorkingOrder> _working = [];
    private readonly Dictionary<long, int> _workingIndex = [];
    private readonly JsonWriterOptions _jsonOptions = new() { SkipValidation = true };
    private Utf8JsonWriter? _json;
    private long _sequence;
    private TradingAccount _account;

    // The request in flight.
    private string _clientOrderId = "";
    private InstrumentInfo _instrument = null!;
    private bool _buy;
    private decimal _price;
    private long _quantity;
    private WorkingOrder? _target;
    private decimal? _amendPrice;
    private long? _amendQuantity;

    public OrderFlow(int connection, IReadOnlyList<TradingAccount> accounts, IReadOnlyList<InstrumentInfo> instruments, OrderMix mix, int seed,
        string runId, AcksBuffer? acks)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0)
        {
            throw new ArgumentException("at least one account", nameof(accounts));
        }
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentNullException.ThrowIfNull(runId);
        _connection = connection;
        _accounts = accounts;
        _account = accounts[connection % accounts.Count];
        _instruments = instruments;
        _mix = mix;
        _clientOrderIdPrefix = $"{runId}-{connection}-";
        _acks = acks;
        _random = new Random(unchecked(seed * 7919 + connection));
    }

    /// <summary>The orders this connection believes are working.</summary>
    public int WorkingCount => _working.Count;

    public RequestKind Next(LoadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var roll = _random.Next(100);
        var kind = roll < _mix.New ? RequestKind.NewOrder : roll < _mix.New + _mix.Amend ? RequestKind.Amend : RequestKind.Cancel;
        if (kind != RequestKind.NewOrder && _working.Count == 0)
        {
            FallbacksToNew++;
            kind = RequestKind.NewOrder;
        }
        switch (kind)
        {
            case RequestKind.NewOrder:
                WriteNew(request);
                break;
            case RequestKind.Amend:
                WriteAmend(request);
                break;
            default:
                _target = _working[_random.Next(_working.Count)];
                request.BearerToken = _target.Account.Token;
                request.Reset(HttpVerb.Delete, string.Create(CultureInfo.InvariantCulture, $"/api/v1/orders/{_target.Id}"));
                break;
        }
        return kind;
    }

    /// <summary>Amends and cancels drawn with nothing working, sent as new orders (moved into the stats on the next answer).</summary>
    private long FallbacksToNew { get; set; }

    private void WriteNew(LoadRequest request)
    {
        _target = null;
        _account = _accounts[(int)((_connection + _sequence) % _accounts.Count)];
        request.BearerToken = _account.Token;
        _instrument = _instruments[_instruments.Count == 1 ? 0 : _random.Next(_instruments.Count)];
        _buy = _random.Next(2) == 0;
        var band = _instrument.Band;
        // Buys from all but the highest price, sells from all but the lowest.
        _price = _buy ? band[_random.Next(band.Count - 1)] : band[1 + _random.Next(band.Count - 1)];
        _quantity = (1 + _random.Next(10)) * _instrument.LotSize;
        _clientOrderId = _clientOrderIdPrefix + (++_sequence).ToString(CultureInfo.InvariantCulture);
        request.Reset(HttpVerb.Post, "/api/v1/orders");
        var w = Writer(request);
        w.WriteStartObject();
        w.WriteNumber("accountId"u8, _account.AccountId);
        w.WriteString("clientOrderId"u8, _clientOrderId);
        w.WriteString("symbol"u8, _instrument.Symbol);
        w.WriteString("side"u8, _buy ? "Buy"u8 : "Sell"u8);
        w.WriteString("type"u8, "Limit"u8);
        w.WriteString("timeInForce"u8, "Gtc"u8);
        w.WriteNumber("price"u8, _price);
        w.WriteNumber("quantity"u8, _quantity);
        w.WriteEndObject();
        w.Flush();
    }

    private void WriteAmend(LoadRequest request)
    {
        var target = _working[_random.Next(_working.Count)];
        _target = target;
        request.BearerToken = target.Account.Token;
        var band = target.Instrument.Band;
        var what = _random.Next(4); // 0-1: price, 2: quantity, 3: both
        decimal? price = null;
        long? quantity = null;
        if (what is 2 or 3)
        {
            var q = (1 + _random.Next(10)) * target.Instrument.LotSize;
            if (q != target.Quantity && q > target.Filled)
            {
                quantity = q;
            }
        }
        if (what is 0 or 1 or 3 || quantity is null)
        {
            // A price of the order's own side's range other than its current one.
            var low = target.Buy ? 0 : 1;
            var size = band.Count - 1;
            var current = IndexOf(band, target.Price) - low;
            int index;
            if (current >= 0 && current < size && size > 1)
            {
                index = _random.Next(size - 1);
                if (index >= current)
                {
                    index++;
                }
            }
            else
            {
                index = _random.Next(size);
            }
            price = band[low + index];
        }
        _amendPrice = price;
        _amendQuantity = quantity;
        request.Reset(HttpVerb.Patch, string.Create(CultureInfo.InvariantCulture, $"/api/v1/orders/{target.Id}"));
        // A key per amendment: a balancer's resend of it after the node that carried it out died is answered with the order as it
        // stands (Idempotent-Replayed), not refused because the order filled after the first send.
        request.IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"{_clientOrderIdPrefix}a{++_amends}");
        var w = Writer(request);
        w.WriteStartObject();
        if (price is { } newPrice)
        {
            w.WriteNumber("price"u8, newPrice);
        }
        if (quantity is { } newQuantity)
        {
            w.WriteNumber("quantity"u8, newQuantity);
        }
        w.WriteEndObject();
        w.Flush();
    }

    private static int IndexOf(IReadOnlyList<decimal> band, decimal price)
    {
        for (var i = 0; i < band.Count; i++)
        {
            if (band[i] == price)
            {
                return i;
            }
        }
        return -1;
    }

    private Utf8JsonWriter Writer(LoadRequest request)
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(request.Body, _jsonOptions);
        }
        else
        {
            _json.Reset(request.Body);
        }
        return _json;
    }

    public void OnAnswer(RequestKind kind, int status, ReadOnlySpan<byte> body, SessionStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (FallbacksToNew > 0)
        {
            stats.FallbacksToNew += FallbacksToNew;
            FallbacksToNew = 0;
        }
        if (status is >= 200 and < 300)
        {
            OnSuccess(kind, body, stats);
            return;
        }
        var text = ProblemText.Describe(body);
        stats.CountProblem(status, text);
        if (status is 502 or 504 || status == 503 && text.StartsWith("Outcome unknown", StringComparison.Ordinal))
        {
            // A proxy's bad gateway or gateway time-out (nginx in front of a cluster): it lost the node after passing the request
            // on, or none answered in time, so the request may have been carried out before the node died. Its outcome is
            // unknown, as when this tool's own connection fails: recorded as sent without an answer, for the verification. So is a
            // standby's 503 "Outcome unknown" (it forwarded the command to the writer's leader and no answer came in time).
            OnLost(kind);
            return;
        }
        if (_target is { } target && kind is RequestKind.Amend or RequestKind.Cancel)
        {
            // A fill the connection has not heard of (its order was the passive side) races the amend or cancel: the API's
            // own check says the order is Filled, or the single writer finds it no longer working, or (an amend lowering the
            // quantity) the new total is not above what has filled by now.
            var raced = status == 409 && (text.Contains(" is Filled;", StringComparison.Ordinal) || text.Contains("no longer working", StringComparison.Ordinal))
                || status == 400 && text.Contains("already filled", StringComparison.Ordinal);
            if (raced)
            {
                stats.CountExpectedRefusal(kind, status, ProblemText.Normalize(text));
                Forget(target);
            }
            if (status == 400 && kind == RequestKind.Amend && text.Contains("the amend changes neither price nor quantity", StringComparison.Ordinal))
            {
                // The order already has the terms this amend asked for: the platform's statement of its terms. So is an amend resent by
                // a balancer after the node that carried it out died (its first send changed them).
                _acks?.SeenTerms(target.Id, _amendPrice, _amendQuantity);
                target.Price = _amendPrice ?? target.Price;
                target.Quantity = _amendQuantity ?? target.Quantity;
            }
            if (status == 409 && ProblemText.TryReadOrderState(body, out var orderId, out var now, out var filled) && orderId == target.Id)
            {
                // The refusal states the order as it is now: an acknowledgement of that state, which the verification holds the
                // platform to. A cancel resent by a balancer after the node that carried it out died is refused "is Canceled":
                // that is its outcome.
                _acks?.Seen(kind == RequestKind.Amend ? "amend" : "cancel", orderId, now, filled);
                Forget(target);
            }
        }
    }

    private void OnSuccess(RequestKind kind, ReadOnlySpan<byte> body, SessionStats stats)
    {
        var target = _target;
        var expectedId = target?.Id;
        var ok = kind == RequestKind.NewOrder
            ? _reply.TryParse(body, _clientOrderId, _instrument.Symbol, _buy ? "Buy" : "Sell")
            : _reply.TryParse(body, target!.ClientOrderId, target.Instrument.Symbol, target.Buy ? "Buy" : "Sell");
        if (!ok || !_reply.EchoMatches || expectedId is { } id && _reply.OrderId != id)
        {
            stats.CountBadReply(ok
                ? $"{kind}: the reply is order {_reply.OrderId} but the request was about {(kind == RequestKind.NewOrder ? _clientOrderId : expectedId)}"
                : $"{kind}: unreadable order reply: {ProblemText.Describe(body)}");
            return;
        }
        foreach (var trade in _reply.Trades)
        {
            stats.Trades++;
            stats.TradedQuantity += trade.Quantity;
        }
        switch (kind)
        {
            case RequestKind.NewOrder:
                stats.CountOutcome(_reply.Status.ToString());
                _acks?.Ack("new", _reply, _clientOrderId, _account.AccountId, _instrument.Symbol, _buy ? "Buy" : "Sell");
                if (OrderReply.IsWorking(_reply.Status))
                {
                    var working = new WorkingOrder(_reply.OrderId, _clientOrderId, _account, _instrument, _buy, _reply.Price ?? _price, _reply.Quantity, _reply.FilledQuantity);
                    _workingIndex[working.Id] = _working.Count;
                    _working.Add(working);
                }
                break;
            default:
                var order = target!;
                _acks?.Ack(kind == RequestKind.Amend ? "amend" : "cancel", _reply, order.ClientOrderId, order.Account.AccountId,
                    order.Instrument.Symbol, order.Buy ? "Buy" : "Sell");
                if (OrderReply.IsWorking(_reply.Status))
                {
                    order.Price = _reply.Price ?? order.Price;
                    order.Quantity = _reply.Quantity;
                    order.Filled = _reply.FilledQuantity;
                }
                else
                {
                    Forget(order);
                }
                break;
        }
    }

    public void OnLost(RequestKind kind)
    {
        if (_acks is null)
        {
            return;
        }
        switch (kind)
        {
            case RequestKind.NewOrder:
                _acks.LostNew(_clientOrderId, _account.AccountId, _instrument.Symbol, _buy ? "Buy" : "Sell", _price, _quantity);
                break;
            case RequestKind.Amend:
                _acks.LostAmend(_target!.Id, _amendPrice, _amendQuantity);
                break;
            case RequestKind.Cancel:
                _acks.LostCancel(_target!.Id);
                break;
        }
    }

    public void Flush() => _acks?.Flush();

    private void Forget(WorkingOrder order)
    {
        if (!_workingIndex.Remove(order.Id, out var index))
        {
            return;
        }
        var last = _working[^1];
        _working[index] = last;
        _working.RemoveAt(_working.Count - 1);
        if (!ReferenceEquals(last, order))
        {
            _workingIndex[last.Id] = index;
        }
    }

    public override string ToString() => $"connection {_connection} on accounts {string.Join(", ", _accounts.Select(a => a.AccountId))}";

    private sealed class WorkingOrder(long id, string clientOrderId, TradingAccount account, InstrumentInfo instrument, bool buy, decimal price,
        long quantity, long filled)
    {
        public long Id { get; } = id;

        public string ClientOrderId { get; } = clientOrderId;

        public TradingAccount Account { get; } = account;

        public InstrumentInfo Instrument { get; } = instrument;

        public bool Buy { get; } = buy;

        public decimal Price { get; set; } = price;

        public long Quantity { get; set; } = quantity;

        public long Filled { get; set; } = filled;
    }
}

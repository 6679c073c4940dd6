using System.Collections.Concurrent;
using TradSys.Contracts;
using TradeExecuted = TradSys.Contracts.TradeExecuted;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Portal.Services;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Streaming;

/// <summary>
/// This node's WebSocket fan-out. It listens to the in-process feeds the publishers already raise after each commit (market
/// data from <see cref="MarketDataFeed"/>, which on a cluster node that does not write the books <see cref="FollowedMarketData"/> raises from the bus; order updates and trades from <see cref="OrderUpdateFeed"/>, after the outbox has
/// published them, in journal order; risk alerts; portfolios from <see cref="PortfolioStream"/>) and hands each message, serialized once, to the connections subscribed to it. It never
/// blocks a publisher: each connection's <see cref="OutboundQueue"/> decides what a slow client gets. Snapshots come from the
/// writer's read model (<see cref="CommittedQuotes.TryGetBook"/>), which is never behind the updates handed out, or on a node that
/// does not write the books from <see cref="FollowedMarketData"/>, which applies the updates before it hands them out.
/// </summary>
public sealed class StreamHub : IDisposable
{
    private readonly MarketDataFeed _marketData;
    private readonly OrderUpdateFeed _orders;
    private readonly CommittedQuotes _books;
    private readonly ReferenceDataCache _referenceData;
    private readonly ConcurrentDictionary<StreamConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<StreamConnection, byte>> _marketDataSubscribers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<StreamConnection, byte>> _tradeSubscribers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StreamConnection, byte> _orderSubscribers = new();
    private readonly ConcurrentDictionary<StreamConnection, byte> _alertSubscribers = new();
    private readonly RiskAlertFeed _alerts;
    private readonly FollowedMarketData _followed;
    private readonly Cluster.IWriterLeadership _leadership;
    private readonly CancellationTokenRegistration _stopping;

    public StreamHub(MarketDataFeed marketData, OrderUpdateFeed orders, RiskAlertFeed alerts, PortfolioStream portfolios, CommittedQuotes books,
        FollowedMarketData followed, Cluster.IWriterLeadership leadership, ReferenceDataCache referenceData, IHostApplicationLifetime lifetime)
    {
        (_marketData, _orders, _alerts, Portfolios, _books, _referenceData) = (marketData, orders, alerts, portfolios, books, referenceData);
        (_followed, _leadership) = (followed, leadership);
        _marketData.BatchPublished += OnMarketData;
        _books.Rebuilt += OnBooksRebuilt;
        _followed.Restarted += Resnapshot;
        _orders.Updated += OnOrderUpdate;
        _orders.Traded += OnTrade;
        _alerts.Raised += OnAlert;
        _stopping = lifetime.ApplicationStopping.Register(CloseAll);
    }

    /// <summary>The portfolio channel's source (its subscriptions are kept there).</summary>
    internal PortfolioStream Portfolios { get; }

    /// <summary>Whether this node writes the books now (always, unless it is a standby of a cluster).</summary>
    internal bool WritesBooks => _leadership.Current.Leads;

    /// <summary>Open connections on this node.</summary>
    public int Connections => _connections.Count;

    internal void Add(StreamConnection connection) => _connections.TryAdd(connection, 0);

    internal void Remove(StreamConnection connection)
    {
        _connections.TryRemove(connection, out _);
        _orderSubscribers.TryRemove(connection, out _);
        _alertSubscribers.TryRemove(connection, out _);
        Portfolios.Remove(connection);
        foreach (var set in _marketDataSubscribers.Values)
        {
            set.TryRemove(connection, out _);
        }
        foreach (var set in _tradeSubscribers.Values)
        {
            set.TryRemove(connection, out _);
        }
    }

    internal void SubscribeMarketData(string symbol, StreamConnection connection) =>
        _marketDataSubscribers.GetOrAdd(symbol, _ => new()).TryAdd(connection, 0);

    internal void UnsubscribeMarketData(string symbol, StreamConnection connection)
    {
        if (_marketDataSubscribers.TryGetValue(symbol, out var set))
        {
            set.TryRemove(connection, out _);
        }
    }

    internal void SubscribeTrades(string symbol, StreamConnection connection) =>
        _tradeSubscribers.GetOrAdd(symbol, _ => new()).TryAdd(connection, 0);

    internal void UnsubscribeTrades(string symbol, StreamConnection connection)
    {
        if (_tradeSubscribers.TryGetValue(symbol, out var set))
        {
            set.TryRemove(connection, out _);
        }
    }

    internal void SubscribeOrders(StreamConnection connection) => _orderSubscribers.TryAdd(connection, 0);

    internal void UnsubscribeOrders(StreamConnection connection) => _orderSubscribers.TryRemove(connection, out _);

    internal void SubscribeAlerts(StreamConnection connection) => _alertSubscribers.TryAdd(connection, 0);

    internal void UnsubscribeAlerts(StreamConnection connection) => _alertSubscribers.TryRemove(connection, out _);

    /// <summary>The symbol's instrument symbol as the platform spells it, or null when there is no such instrument.</summary>
    internal string? Canonical(string symbol) => _referenceData.TryGet(symbol, out var instrument) ? instrument.Row.Symbol : null;

    /// <summary>The symbol's top levels and level 1 as of its last market-data sequence; null for an unknown symbol.</summary>
    internal SnapshotMessage? Snapshot(string symbol, bool conflated)
    {
        if (!_referenceData.TryGet(symbol, out var instrument))
        {
            return null;
        }
        if (!_leadership.Current.Leads)
        {
            // Another node writes the books: the view this node keeps from its messages (empty until the first snapshot arrives,
            // when every connection following the instrument gets a new snapshot).
            var symbolName = instrument.Row.Symbol;
            return _followed.TryGet(symbolName, out var sequence, out var bids, out var asks, out var quote)
                ? new SnapshotMessage(symbolName, sequence, conflated, [.. bids.Select(l => new LevelMessage(l.Price, l.Quantity, l.Orders))],
                    [.. asks.Select(l => new LevelMessage(l.Price, l.Quantity, l.Orders))], StreamMessages.Level1(quote!))
                : Empty(symbolName, conflated);
        }
        if (!_books.TryGetBook(instrument.Spec.Id, out var book))
        {
            // No commit or rebuild has set it yet (an instrument added since start): its book is empty.
            return Empty(instrument.Row.Symbol, conflated);
        }
        return new SnapshotMessage(instrument.Row.Symbol, book.Sequence, conflated, Levels(book.Bids, instrument), Levels(book.Asks, instrument),
            StreamMessages.Level1(book.Quote));
    }

    /// <summary>An empty book at sequence 0: nothing has set the instrument's market data yet.</summary>
    private static SnapshotMessage Empty(string symbol, bool conflated) =>
        new(symbol, 0, conflated, [], [], new Level1(null, 0, null, 0, null, 0, 0, 0, null, null, null, 0, DateTime.UnixEpoch));

    private static LevelMessage[] Levels(Engine.Matching.DepthLevel[] levels, TradableInstrument instrument)
    {
        var result = new LevelMessage[levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            result[i] = new LevelMessage(instrument.ToDecimal(levels[i].Price), levels[i].Quantity.Raw, levels[i].OrderCount);
        }
        return result;
    }

    /// <summary>One committed batch: per symbol an optional depth change and always a quote, both at the same sequence.</summary>
    private void OnMarketData(IReadOnlyList<object> batch)
    {
        DepthUpdated? depth = null;
        foreach (var message in batch)
        {
            switch (message)
            {
                case DepthUpdated d:
                    depth = d;
                    break;
                case QuoteUpdated q:
                    var changes = depth is not null && depth.Symbol == q.Symbol && depth.Sequence == q.Sequence ? depth : null;
                    depth = null;
                    if (_marketDataSubscribers.TryGetValue(q.Symbol, out var set) && !set.IsEmpty)
                    {
                        var item = new Outbound(OutboundKind.MarketData, StreamMessages.Serialize(StreamMessages.Update(q, changes)), q.Symbol, q.Sequence);
                        foreach (var connection in set.Keys)
                        {
                            connection.OfferMarketData(item);
                        }
                    }
                    break;
            }
        }
    }

    private void OnTrade(TradeExecuted trade)
    {
        if (_tradeSubscribers.TryGetValue(trade.Symbol, out var set) && !set.IsEmpty)
        {
            var item = new Outbound(OutboundKind.Trade, StreamMessages.Serialize(StreamMessages.Trade(trade)), trade.Symbol, trade.TradeId);
            foreach (var connection in set.Keys)
            {
                connection.OfferEssential(item);
            }
        }
    }

    private void OnOrderUpdate(OrderUpdated update)
    {
        byte[]? payload = null;
        foreach (var connection in _orderSubscribers.Keys)
        {
            if (connection.WantsOrdersOf(update.AccountId))
            {
                payload ??= StreamMessages.Serialize(StreamMessages.OrderUpdate(update));
                connection.OfferOrderUpdate(new Outbound(OutboundKind.OrderUpdate, payload, update.Symbol, update.Sequence));
            }
        }
    }

    /// <summary>A risk alert: to the connections following its account; never dropped (a client that cannot take it is disconnected).</summary>
    private void OnAlert(RiskAlertRaised alert)
    {
        byte[]? payload = null;
        foreach (var connection in _alertSubscribers.Keys)
        {
            if (connection.WantsAlertsOf(alert.AccountId))
            {
                payload ??= StreamMessages.Serialize(StreamMessages.Alert(alert));
                connection.OfferEssential(new Outbound(OutboundKind.Alert, payload));
            }
        }
    }

    /// <summary>Every connection following <paramref name="symbol"/>'s market data gets a new snapshot (its view started again).</summary>
    private void Resnapshot(string symbol)
    {
        if (_marketDataSubscribers.TryGetValue(symbol, out var set))
        {
            foreach (var connection in set.Keys)
            {
                connection.OfferEssential(new Outbound(OutboundKind.Snapshot, null, symbol));
            }
        }
    }

    /// <summary>The writer rebuilt its books (a new term, a recovery): every market-data subscription starts again from a snapshot.</summary>
    private void OnBooksRebuilt()
    {
        foreach (var symbol in _marketDataSubscribers.Keys)
        {
            Resnapshot(symbol);
        }
    }

    private void CloseAll()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.RequestClose(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server shutting down",
                new ErrorMessage(null, "server_shutdown", "the server is shutting down: reconnect (to another node, or to this one when it is back)"));
        }
    }

    public void Dispose()
    {
        _marketData.BatchPublished -= OnMarketData;
        _books.Rebuilt -= OnBooksRebuilt;
        _followed.Restarted -= Resnapshot;
        _orders.Updated -= OnOrderUpdate;
        _orders.Traded -= OnTrade;
        _alerts.Raised -= OnAlert;
        _stopping.Dispose();
    }
}

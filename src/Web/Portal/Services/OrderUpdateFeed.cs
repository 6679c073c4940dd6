using TradSys.Contracts;
using TradeExecuted = TradSys.Contracts.TradeExecuted;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The platform's in-process order-update stream: every <see cref="OrderUpdated"/> the outbox publishes (after it is
/// durable) is also handed to the portal's open blotters and the WebSocket gateway on this node. On a cluster node that does not
/// write the books the same updates come from the bus (<see cref="JournalCommittedConsumer"/>). Each update and trade is handed
/// on once, in journal order: one already handed on (the bus and the node's own outbox both bring it when leadership moves, or a
/// message is delivered again) is dropped. Subscribers filter by account and must not block.
/// </summary>
public sealed class OrderUpdateFeed
{
    private readonly Lock _gate = new();
    private long _lastSequence = -1;
    private long _lastTradeId = -1;

    /// <summary>Raised for every published order update, on the publisher's thread.</summary>
    public event Action<OrderUpdated>? Updated;

    /// <summary>
    /// Raised for every published trade, after the order updates of the same journal message, on the publisher's thread (the
    /// WebSocket gateway's public tape). Subscribers must not block or throw.
    /// </summary>
    public event Action<TradeExecuted>? Traded;

    /// <summary>Hands one trade to the subscribers, unless one with this id or a later one was handed on already.</summary>
    public void Publish(TradeExecuted trade)
    {
        lock (_gate)
        {
            if (trade.TradeId <= _lastTradeId)
            {
                return;
            }
            _lastTradeId = trade.TradeId;
            Traded?.Invoke(trade);
        }
    }

    /// <summary>
    /// Hands one update to the subscribers, unless this journal sequence or a later one was handed on already; a failing
    /// subscriber does not stop the others or the publisher.
    /// </summary>
    public void Publish(OrderUpdated update)
    {
        lock (_gate)
        {
            if (update.Sequence <= _lastSequence)
            {
                return;
            }
            _lastSequence = update.Sequence;
            Hand(update);
        }
    }

    private void Hand(OrderUpdated update)
    {
        var handlers = Updated;
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<Action<OrderUpdated>>())
        {
            try
            {
                handler(update);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // A blotter whose circuit is going away: it unsubscribes when disposed.
            }
        }
    }
}

/// <summary>
/// Every cluster node's consumer of the writer's <see cref="JournalCommitted"/> messages (one at a time, in journal order): on a node
/// that does not write the books they are its order updates and trades, handed to its <see cref="OrderUpdateFeed"/> as the writer's
/// node hands its own (issue 17: a client connected to any node sees the same stream).
/// </summary>
public sealed class JournalCommittedConsumer(OrderUpdateFeed feed, Cluster.IWriterLeadership leadership) : MassTransit.IConsumer<JournalCommitted>
{
    /// <inheritdoc />
    public Task Consume(MassTransit.ConsumeContext<JournalCommitted> context)
    {
        if (leadership.Current.Leads)
        {
            return Task.CompletedTask; // this node's outbox hands them on itself, as it publishes them
        }
        foreach (var update in context.Message.Updates)
        {
            feed.Publish(update);
        }
        foreach (var trade in context.Message.Trades)
        {
            feed.Publish(trade);
        }
        return Task.CompletedTask;
    }
}

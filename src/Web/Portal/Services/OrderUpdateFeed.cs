using TradSys.Contracts;
using TradeExecuted = TradSys.Contracts.TradeExecuted;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The platform's in-process order-update stream: every <see cref="OrderUpdated"/> the outbox publishes (after it is
/// durable) is also handed to the portal's open blotters on this node. Subscribers filter by account and must not block.
/// </summary>
public sealed class OrderUpdateFeed
{
    /// <summary>Raised for every published order update, on the publisher's thread.</summary>
    public event Action<OrderUpdated>? Updated;

    /// <summary>
    /// Raised for every published trade, after the order updates of the same journal message, on the publisher's thread (the
    /// WebSocket gateway's public tape). Subscribers must not block or throw.
    /// </summary>
    public event Action<TradeExecuted>? Traded;

    /// <summary>Hands one trade to the subscribers.</summary>
    public void Publish(TradeExecuted trade) => Traded?.Invoke(trade);

    /// <summary>Hands one update to the subscribers; a failing subscriber does not stop the others or the publisher.</summary>
    public void Publish(OrderUpdated update)
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

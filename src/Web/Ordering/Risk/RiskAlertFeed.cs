using MassTransit;
using TradSys.Contracts;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// This node's in-process stream of risk alerts, for the WebSocket gateway's <c>alerts</c> channel. The monitor publishes each alert on
/// the bus once, after storing it; <see cref="RiskAlertRaisedConsumer"/> hears it on every node (a temporary queue of its own per node,
/// as revocations), so a client connected to any node gets it. Subscribers filter by account and must not block.
/// </summary>
public sealed class RiskAlertFeed
{
    /// <summary>Raised for every alert the bus delivers to this node, on the consumer's thread.</summary>
    public event Action<RiskAlertRaised>? Raised;

    /// <summary>Hands one alert to the subscribers; one that is going away (a closed portal page) does not stop the others.</summary>
    public void Publish(RiskAlertRaised alert)
    {
        var handlers = Raised;
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<Action<RiskAlertRaised>>())
        {
            try
            {
                handler(alert);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // A portal page whose circuit is going away: it unsubscribes when disposed.
            }
        }
    }
}

/// <summary>Every node's consumer of <see cref="RiskAlertRaised"/>: passes it to the node's <see cref="RiskAlertFeed"/>.</summary>
public sealed class RiskAlertRaisedConsumer(RiskAlertFeed feed) : IConsumer<RiskAlertRaised>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<RiskAlertRaised> context)
    {
        feed.Publish(context.Message);
        return Task.CompletedTask;
    }
}

using TradSys.Contracts;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The platform's in-process book-change signal: the market-data publisher hands every committed batch's
/// <see cref="DepthUpdated"/> to the portal's open depth ladders on this node (after the single writer has committed, never
/// from the writer's thread). A ladder takes a fresh snapshot from the depth endpoint when its instrument changes, so a
/// dropped or coalesced signal costs nothing but a moment's delay. Subscribers must not block.
/// </summary>
public sealed class MarketDataFeed
{
    /// <summary>Raised with the instrument's symbol for every depth change, on the publisher's thread.</summary>
    public event Action<string>? DepthChanged;

    /// <summary>Hands one batch's market-data messages to the subscribers; anything but depth changes is ignored.</summary>
    /// <param name="batch">The messages of one committed batch.</param>
    public void Publish(IReadOnlyList<object> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var handlers = DepthChanged;
        if (handlers is null)
        {
            return;
        }
        foreach (var message in batch)
        {
            if (message is not DepthUpdated depth)
            {
                continue;
            }
            foreach (var handler in handlers.GetInvocationList().Cast<Action<string>>())
            {
                try
                {
                    handler(depth.Symbol);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
                {
                    // A ladder whose circuit is going away: it unsubscribes when disposed.
                }
            }
        }
    }
}

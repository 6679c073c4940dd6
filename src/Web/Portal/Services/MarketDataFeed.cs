using TradSys.Contracts;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The platform's in-process market-data signal: the market-data publisher hands every committed batch's
/// <see cref="DepthUpdated"/> and <see cref="QuoteUpdated"/> to the portal's open depth ladders and quote headers on this node
/// (after the single writer has committed, never from the writer's thread). A view takes a fresh snapshot from the API when
/// its instrument changes, so a dropped or coalesced signal costs nothing but a moment's delay. Subscribers must not block.
/// </summary>
public sealed class MarketDataFeed
{
    /// <summary>Raised with the instrument's symbol for every depth change, on the publisher's thread.</summary>
    public event Action<string>? DepthChanged;

    /// <summary>Raised with the instrument's symbol for every level 1 change (a trade, a new best price, a phase), on the publisher's thread.</summary>
    public event Action<string>? QuoteChanged;

    /// <summary>
    /// Raised with every committed batch's messages themselves (<see cref="DepthUpdated"/>, <see cref="QuoteUpdated"/>), in
    /// order, on the publisher's thread: the WebSocket gateway's source. Subscribers must not block or throw.
    /// </summary>
    public event Action<IReadOnlyList<object>>? BatchPublished;

    /// <summary>Hands one batch's market-data messages to the subscribers.</summary>
    /// <param name="batch">The messages of one committed batch.</param>
    public void Publish(IReadOnlyList<object> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        BatchPublished?.Invoke(batch);
        foreach (var message in batch)
        {
            switch (message)
            {
                case DepthUpdated depth:
                    Raise(DepthChanged, depth.Symbol);
                    break;
                case QuoteUpdated quote:
                    Raise(QuoteChanged, quote.Symbol);
                    break;
            }
        }
    }

    /// <summary>
    /// Tells the portal's views of <paramref name="symbol"/> (depth ladders, quote headers) to read it again, with no message for
    /// the WebSocket gateway: on a cluster node that does not write the books, its followed view of the writer's market data
    /// started again from a snapshot (its first, or after it lost track), so the REST depth and quote that the views read answer
    /// from it now, or answer differently. Raised on the caller's thread.
    /// </summary>
    /// <param name="symbol">The instrument whose view started again.</param>
    public void Refresh(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        Raise(DepthChanged, symbol);
        Raise(QuoteChanged, symbol);
    }

    private static void Raise(Action<string>? handlers, string symbol)
    {
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<Action<string>>())
        {
            try
            {
                handler(symbol);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // A view whose circuit is going away: it unsubscribes when disposed.
            }
        }
    }
}

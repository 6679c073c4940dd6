namespace TradSys.Web.Portal.Services;

/// <summary>
/// A portal view's refresh when a feed (<see cref="OrderUpdateFeed"/>, <see cref="MarketDataFeed"/>) says its data changed.
/// The feeds raise their events on the publisher's thread; this runs the refresh on the view's own circuit
/// (<c>InvokeAsync</c>), in the view's language (<see cref="CircuitCulture"/>, captured when it is created, so create it while
/// the view initialises), and coalesced: the signals of a burst (a sweep through several levels, many fills) within
/// <c>delay</c> take one refresh. A dropped or merged signal costs a moment's delay, never a stale view.
/// </summary>
/// <param name="invokeAsync">The view's <c>InvokeAsync</c>.</param>
/// <param name="delay">How long a burst is gathered before the refresh.</param>
/// <param name="refresh">Reads the view's data again and renders it.</param>
public sealed class FeedRefresh(Func<Func<Task>, Task> invokeAsync, TimeSpan delay, Func<Task> refresh)
{
    private readonly CircuitCulture _culture = CircuitCulture.Current;
    private int _pending;

    /// <summary>Asks for a refresh (any thread, never blocks); one is already on its way if asked within the delay.</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _pending, 1) != 0)
        {
            return;
        }
        _ = invokeAsync(async () =>
        {
            _culture.Apply();
            await Task.Delay(delay);
            Interlocked.Exchange(ref _pending, 0);
            await refresh();
        });
    }
}

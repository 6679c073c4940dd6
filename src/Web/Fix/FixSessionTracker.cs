using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TradSys.Engine.Fix;
using TradSys.Web.Observability;

namespace TradSys.Web.Fix;

/// <summary>
/// The FIX sessions this node runs, as they arrive and end: <c>tradsys.fix.sessions</c> counts them by state at each scrape
/// (every state is reported, 0 included, so a dashboard sees the series before the first session). A session is tracked from
/// its connection until the connection has ended (<see cref="FixSessionDriver.Completion"/>).
/// </summary>
/// <remarks>The configured sessions (<see cref="FixSessions"/>) are tracked; a node with none reports 0 in every state.</remarks>
public sealed class FixSessionTracker
{
    private static readonly FixSessionState[] States = Enum.GetValues<FixSessionState>();

    private static readonly KeyValuePair<string, object?>[] StateTags =
        [.. States.Select(s => new KeyValuePair<string, object?>("state", s.ToString()))];

    private readonly ConcurrentDictionary<FixSessionDriver, byte> _running = new();

    public FixSessionTracker(PlatformMetrics metrics) => metrics.ObserveFixSessions(Measure);

    /// <summary>Sessions running now (any thread).</summary>
    public int Count => _running.Count;

    /// <summary>Tracks <paramref name="session"/> until its connection ends.</summary>
    internal void Track(FixSessionDriver session)
    {
        _running[session] = 0;
        session.Completion.ContinueWith(_ => _running.TryRemove(session, out byte _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private IEnumerable<Measurement<int>> Measure()
    {
        var counts = new int[States.Length];
        foreach (var session in _running.Keys)
        {
            counts[(int)session.State]++;
        }
        var measurements = new Measurement<int>[States.Length];
        for (var i = 0; i < States.Length; i++)
        {
            measurements[i] = new Measurement<int>(counts[i], StateTags[i]);
        }
        return measurements;
    }
}

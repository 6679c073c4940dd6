using System.Threading.Channels;
using MassTransit;
using TradSys.Contracts;
using TradSys.Web.Cluster;

namespace TradSys.Web.Messaging;

/// <summary>
/// Publishes market-data updates (QuoteUpdated, DepthUpdated) handed over by the single writer after
/// each commit. Market data is derived and can always be rebuilt from a snapshot, so it is not kept in
/// the outbox: when the bus is unavailable updates are dropped with a warning and consumers recover
/// from the sequence gap. The writer never waits for the bus. In a cluster each batch also goes out whole as one
/// <see cref="MarketDataCommitted"/>, with the writer's epoch, for the other nodes' WebSocket gateways
/// (<see cref="Streaming.FollowedMarketData"/>), and the snapshots they ask for go out the same way, in order with the updates.
/// </summary>
public sealed class MarketDataPublisher(IServiceScopeFactory scopes, ClusterOptions cluster, IWriterLeadership leadership,
    ILogger<MarketDataPublisher> log) : BackgroundService
{
    private readonly Channel<Batch> _queue = Channel.CreateBounded<Batch>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Hands over one batch's updates; never blocks (the oldest are dropped if publishing falls far behind).</summary>
    public void Enqueue(IReadOnlyList<object> updates)
    {
        if (updates.Count > 0)
        {
            _queue.Writer.TryWrite(new Batch(updates, leadership.Current.Epoch, []));
        }
    }

    /// <summary>Hands over the books' snapshots another node asked for, behind the updates already handed over.</summary>
    public void EnqueueSnapshots(IReadOnlyList<MarketDataSnapshot> snapshots)
    {
        if (snapshots.Count > 0 && cluster.Enabled)
        {
            _queue.Writer.TryWrite(new Batch([], leadership.Current.Epoch, snapshots));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var feedScope = scopes.CreateScope();
        var feed = feedScope.ServiceProvider.GetService<TradSys.Web.Portal.Services.MarketDataFeed>();
        await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            // The portal's open depth ladders on this node hear of each change in process, whatever the bus does.
            if (batch.Updates.Count > 0)
            {
                feed?.Publish(batch.Updates);
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                foreach (var message in batch.Updates)
                {
                    await bus.Publish(message, message.GetType(), stoppingToken);
                }
                if (cluster.Enabled)
                {
                    await bus.Publish(new MarketDataCommitted(batch.Epoch, [.. batch.Updates.OfType<DepthUpdated>()],
                        [.. batch.Updates.OfType<QuoteUpdated>()], batch.Snapshots), stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Market-data updates could not be published; consumers will see a sequence gap and re-snapshot");
            }
        }
    }

    private sealed record Batch(IReadOnlyList<object> Updates, long Epoch, IReadOnlyList<MarketDataSnapshot> Snapshots);
}

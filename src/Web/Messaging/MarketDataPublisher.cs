using System.Threading.Channels;
using MassTransit;

namespace TradSys.Web.Messaging;

/// <summary>
/// Publishes market-data updates (QuoteUpdated, DepthUpdated) handed over by the single writer after
/// each commit. Market data is derived and can always be rebuilt from a snapshot, so it is not kept in
/// the outbox: when the bus is unavailable updates are dropped with a warning and consumers recover
/// from the sequence gap. The writer never waits for the bus.
/// </summary>
public sealed class MarketDataPublisher(IServiceScopeFactory scopes, ILogger<MarketDataPublisher> log) : BackgroundService
{
    private readonly Channel<IReadOnlyList<object>> _queue = Channel.CreateBounded<IReadOnlyList<object>>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Hands over one batch's updates; never blocks (the oldest are dropped if publishing falls far behind).</summary>
    public void Enqueue(IReadOnlyList<object> updates)
    {
        if (updates.Count > 0)
        {
            _queue.Writer.TryWrite(updates);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var feedScope = scopes.CreateScope();
        var feed = feedScope.ServiceProvider.GetService<TradSys.Web.Portal.Services.MarketDataFeed>();
        await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            // The portal's open depth ladders on this node hear of each change in process, whatever the bus does.
            feed?.Publish(batch);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                foreach (var message in batch)
                {
                    await bus.Publish(message, message.GetType(), stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Market-data updates could not be published; consumers will see a sequence gap and re-snapshot");
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using TradSys.Web.Observability;

namespace TradSys.Integration.Tests;

/// <summary>
/// Traces on the production stack: the single writer's batch span holds Npgsql's commands of its reads and commit, and
/// MassTransit's spans are exported from the bus (src/Web/Observability/OrderTracing.cs, docs/metrics.md "Traces").
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class TracingOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new() { Settings = { ["Telemetry:Tracing:Enabled"] = "true" } };
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingOnPostgresTests()
    {
        // Sees what the platform's tracer provider samples (this listener asks for nothing of its own).
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is OrderTracing.SourceName or "Npgsql" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task The_batch_span_of_an_order_holds_the_writers_PostgreSQL_commands_and_the_bus_is_traced()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30, clientOrderId: "pg-trace-sell")).Expect(HttpStatusCode.Created);
        var buy = (await trader2.SubmitAsync(2001, "FAB.INT", "Buy", 14.50m, 30, clientOrderId: "pg-trace-buy")).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", buy.Str("status"));

        Activity? order = null, batch = null;
        Activity[] commands = [];
        var sawBus = false;
        for (var tries = 0; tries < 500; tries++)
        {
            var spans = _stopped.ToArray();
            order = spans.FirstOrDefault(a => a.DisplayName == "order submit" && a.GetTagItem(OrderTracing.OrderIdTag) is long id && id == buy.OrderId);
            batch = order is null ? null : spans.FirstOrDefault(a => a.DisplayName == "order_writer batch" && a.Links.Any(l => l.Context.SpanId == order.SpanId));
            commands = batch is null ? [] : [.. spans.Where(a => a.Source.Name == "Npgsql" && a.ParentSpanId == batch.SpanId)];
            sawBus = spans.Any(a => a.Source.Name == "MassTransit");
            if (commands.Length > 0 && sawBus)
            {
                break;
            }
            await Task.Delay(20);
        }
        Assert.NotNull(order);
        Assert.NotNull(batch);
        Assert.True(commands.Length > 0, "no Npgsql command span under the order's batch span");
        Assert.All(commands, c => Assert.Equal(batch.TraceId, c.TraceId));
        Assert.True(sawBus, "no MassTransit span was recorded after a trade");
    }
}

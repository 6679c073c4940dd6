using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using TradSys.Web.Observability;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Observability;

/// <summary>
/// A tracer provider listens to activity sources by name across the whole test process, so another host's orders would show
/// in this host's exporter: these tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Traces (alone)";
}

/// <summary>
/// Traces of the order path (src/Web/Observability/OrderTracing.cs): each order sent through the REST API is one trace, from
/// ASP.NET Core's server span through the single writer's stages, with the order's attributes; with tracing off (the
/// default) the platform has no tracer provider and the order path creates nothing.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests
{
    private static readonly string[] Stages = ["validate", "risk", "rules", "workflow", "match", "commit", "publish"];

    /// <summary>A platform with tracing on and every finished span kept in <paramref name="exported"/>.</summary>
    internal static PlatformFactory Traced(List<Activity> exported, Dictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(settings ?? []) { ["Telemetry:Tracing:Enabled"] = "true" };
        return new PlatformFactory
        {
            Settings = all,
            TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)),
        };
    }

    /// <summary>The spans exported so far (the exporter appends from the threads that end spans).</summary>
    internal static Activity[] Snapshot(List<Activity> exported) =>
        // A copy taken while a span is being appended may end in an empty slot.
        [.. exported.ToArray().Where(a => a is not null)];

    /// <summary>
    /// Waits for the span of order <paramref name="orderId"/> and its request's server span: ASP.NET Core ends the server span just
    /// after the reply has been written, so it may be exported a moment after the client read the answer.
    /// </summary>
    internal static async Task<(Activity Order, Activity Server, Activity[] Trace)> OrderTraceAsync(List<Activity> exported, long orderId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var spans = Snapshot(exported);
            var order = spans.SingleOrDefault(a => a.Source.Name == OrderTracing.SourceName && a.DisplayName == "order submit"
                && a.GetTagItem(OrderTracing.OrderIdTag) is long id && id == orderId);
            var server = order is null ? null : spans.SingleOrDefault(a => a.SpanId == order.ParentSpanId && a.TraceId == order.TraceId);
            if (order is not null && server is not null)
            {
                return (order, server, [.. spans.Where(a => a.TraceId == order.TraceId)]);
            }
            if (DateTime.UtcNow > deadline)
            {
                var names = string.Join(", ", spans.Select(a => $"{a.Source.Name}/{a.DisplayName}"));
                Assert.Fail($"order {orderId}: no order span with its server span was exported; exported: {names}");
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Each_order_is_one_trace_from_the_HTTP_request_through_every_stage_of_the_writer()
    {
        var exported = new List<Activity>();
        using var platform = Traced(exported);
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        // A market order with nothing to trade against (rejected by the engine), then a sell and a buy that cross.
        var market = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", null, 10, type: "Market")).Expect(HttpStatusCode.Created);
        var sell = (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30)).Expect(HttpStatusCode.Created);
        var buy = (await trader2.SubmitAsync(2001, "FAB.INT", "Buy", 14.50m, 30)).Expect(HttpStatusCode.Created);

        var traces = new HashSet<ActivityTraceId>();
        foreach (var (reply, account, symbol, status) in new[]
                 {
                     (market, 2001L, "COMI.INT", "Rejected"), (sell, 1001L, "FAB.INT", "Accepted"), (buy, 2001L, "FAB.INT", "Filled"),
                 })
        {
            var id = reply.OrderId;
            Assert.Equal(status, reply.Str("status"));
            var (order, server, trace) = await OrderTraceAsync(exported, id);
            Assert.True(traces.Add(order.TraceId), $"order {id} shares its trace with another order");

            // The server span is ASP.NET Core's, for this route, and the root of the trace (the test client sent no context).
            Assert.Equal("Microsoft.AspNetCore", server.Source.Name);
            Assert.Equal(ActivityKind.Server, server.Kind);
            Assert.Equal("/api/v1/orders/", server.GetTagItem("http.route"));
            Assert.Equal(default, server.ParentSpanId);

            // The order's span, made on the writer's thread under the request's context, with the order's attributes.
            Assert.Equal(id, order.GetTagItem(OrderTracing.OrderIdTag));
            Assert.Equal(account, order.GetTagItem(OrderTracing.AccountIdTag));
            Assert.Equal(symbol, order.GetTagItem(OrderTracing.SymbolTag));
            Assert.Equal("Created", order.GetTagItem(OrderTracing.OutcomeTag));
            Assert.Equal(status, order.GetTagItem(OrderTracing.StatusTag));
            Assert.Equal(reply.Str("clientOrderId"), order.GetTagItem(OrderTracing.ClientOrderIdTag));
            Assert.True(order.StartTimeUtc >= server.StartTimeUtc && order.StartTimeUtc + order.Duration <= server.StartTimeUtc + server.Duration,
                "the order's span lies within its request's");

            // Every stage once, a child of the order's span, in the order they ran, within it.
            var stages = trace.Where(a => a.ParentSpanId == order.SpanId).OrderBy(a => a.StartTimeUtc).ToList();
            Assert.Equal(Stages.Select(s => "order " + s), stages.Select(a => a.DisplayName));
            foreach (var stage in stages)
            {
                Assert.Equal(OrderTracing.SourceName, stage.Source.Name);
                Assert.Equal(order.TraceId, stage.TraceId);
                Assert.True(stage.StartTimeUtc >= order.StartTimeUtc && stage.StartTimeUtc + stage.Duration <= order.StartTimeUtc + order.Duration,
                    $"{stage.DisplayName} lies within the order's span");
            }
            for (var i = 1; i < stages.Count; i++)
            {
                Assert.True(stages[i].StartTimeUtc >= stages[i - 1].StartTimeUtc + stages[i - 1].Duration,
                    $"{stages[i].DisplayName} starts after {stages[i - 1].DisplayName} ended");
            }

            // The batch that carried it is a span of its own (a trace per batch) linked to the order's span.
            var batch = Snapshot(exported).Single(a => a.DisplayName == "order_writer batch" && a.Links.Any(l => l.Context.SpanId == order.SpanId));
            Assert.Equal(OrderTracing.SourceName, batch.Source.Name);
            Assert.NotEqual(order.TraceId, batch.TraceId);
            Assert.True(batch.GetTagItem(OrderTracing.BatchSizeTag) is int size && size >= 1);
        }
    }

    [Fact]
    public async Task An_order_refused_for_another_account_is_traced_with_the_writers_outcome()
    {
        var exported = new List<Activity>();
        using var platform = Traced(exported);
        var trader2 = await platform.ClientForAsync("trader2");

        var refused = await trader2.SubmitAsync(1001, "COMI.INT", "Buy", 75m, 10, clientOrderId: "not-mine-1");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        Activity? order = null;
        for (var tries = 0; tries < 500 && order is null; tries++)
        {
            order = Snapshot(exported).SingleOrDefault(a => a.DisplayName == "order submit" && "not-mine-1".Equals(a.GetTagItem(OrderTracing.ClientOrderIdTag)));
            await Task.Delay(order is null ? 20 : 0);
        }
        Assert.NotNull(order);
        Assert.Equal("NotYourAccount", order.GetTagItem(OrderTracing.OutcomeTag));
        Assert.Null(order.GetTagItem(OrderTracing.OrderIdTag));
        Assert.Equal(1001L, order.GetTagItem(OrderTracing.AccountIdTag));
        // Refused before validation: no stage ran, but the refusal was committed with its batch.
        Assert.Equal(["order commit", "order publish"],
            Snapshot(exported).Where(a => a.ParentSpanId == order.SpanId).OrderBy(a => a.StartTimeUtc).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task Sampling_keeps_a_share_of_new_traces_and_follows_a_callers_decision()
    {
        var exported = new List<Activity>();
        using var platform = Traced(exported, new() { ["Telemetry:Tracing:SampleRatio"] = "0" });
        var trader1 = await platform.ClientForAsync("trader1");

        // Ratio 0: a request that starts its own trace is not kept, nor is its order.
        var dropped = (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 10)).Expect(HttpStatusCode.Created).OrderId;

        // A caller that sampled its trace (W3C traceparent, flag 01): the platform follows it, whatever its own ratio.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        trader1.Http.DefaultRequestHeaders.Add("traceparent", $"00-{traceId.ToHexString()}-{callerSpan.ToHexString()}-01");
        var kept = (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.60m, 10)).Expect(HttpStatusCode.Created).OrderId;

        var (order, server, trace) = await OrderTraceAsync(exported, kept);
        Assert.Equal(traceId, order.TraceId);
        Assert.Equal(callerSpan, server.ParentSpanId);
        // The order and its seven stages.
        Assert.Equal(8, trace.Count(a => a.Source.Name == OrderTracing.SourceName));
        // Nothing else was kept: not the first order, not the token request, not the writer's batches (new traces, ratio 0).
        Assert.DoesNotContain(Snapshot(exported), a => a.GetTagItem(OrderTracing.OrderIdTag) is long id && id == dropped);
        Assert.All(Snapshot(exported), a => Assert.Equal(traceId, a.TraceId));
    }

    [Fact]
    public async Task With_tracing_off_the_platform_has_no_tracer_provider_and_the_order_path_creates_no_activity()
    {
        using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));

        Assert.Null(platform.Services.GetService<TracerProvider>());
        var tracing = platform.Services.GetRequiredService<OrderTracing>();
        Assert.False(tracing.Enabled, "nothing listens to the order path's source");
        Assert.False(platform.Services.GetRequiredService<TracingSettings>().Enabled);

        // Even inside a request's activity, an order queues no context and the writer starts no span.
        using var request = new Activity("request").Start();
        Assert.Equal(default, tracing.Capture());
        Assert.Null(tracing.StartBatch(1));
        Assert.Same(request, Activity.Current);

        // And that costs nothing: the check the writer makes per order allocates no byte.
        _ = tracing.Capture();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var captured = 0;
        for (var i = 0; i < 1_000; i++)
        {
            captured += tracing.Capture() == default ? 0 : 1;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, captured);
    }

    [Fact]
    public void Tracing_settings_are_read_and_every_bad_value_is_named()
    {
        static TracingSettings Read(Dictionary<string, string?> values) =>
            TracingSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

        var off = Read([]);
        Assert.False(off.Enabled);
        Assert.Equal(1.0, off.SampleRatio);

        var otlp = Read(new() { ["Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:4317", ["Telemetry:Tracing:SampleRatio"] = "0.25" });
        Assert.True(otlp.Enabled);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), otlp.OtlpEndpoint);
        Assert.Equal(0.25, otlp.SampleRatio);

        var environment = Read(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318", ["Telemetry:Otlp:Protocol"] = "http/protobuf" });
        Assert.True(environment.Enabled);
        Assert.True(environment.OtlpFromEnvironment);
        Assert.Equal(OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf, environment.OtlpProtocol);

        var bad = Assert.Throws<InvalidOperationException>(() => Read(new()
        {
            ["Telemetry:Otlp:Endpoint"] = "collector:4317", ["Telemetry:Otlp:Protocol"] = "udp",
            ["Telemetry:Tracing:SampleRatio"] = "1.5", ["Telemetry:Tracing:Enabled"] = "yes",
        }));
        Assert.Contains("Telemetry:Otlp:Endpoint: 'collector:4317'", bad.Message, StringComparison.Ordinal);
        Assert.Contains("Telemetry:Otlp:Protocol: 'udp'", bad.Message, StringComparison.Ordinal);
        Assert.Contains("Telemetry:Tracing:SampleRatio: '1.5'", bad.Message, StringComparison.Ordinal);
        Assert.Contains("Telemetry:Tracing:Enabled: 'yes'", bad.Message, StringComparison.Ordinal);
    }
}

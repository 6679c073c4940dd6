using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Streaming;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Observability;

/// <summary>
/// The OpenTelemetry meters listen by meter name across the whole test process, so another host's orders would show in this
/// host's scrape: these tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (alone)";
}

/// <summary>
/// <c>/metrics</c> (src/Web/Observability): orders sent through the REST API show up in the platform's counters and histograms
/// with exactly their numbers, next to ASP.NET Core's and the runtime's; the endpoint answers loopback (or the configured
/// networks) only, and never a request that came through a proxy.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    private static readonly string[] PerOrderStages = ["validate", "risk", "rules", "workflow", "match"];

    /// <summary>A platform whose requests can name their peer address (first in the pipeline, before /metrics is decided).</summary>
    internal static PlatformFactory Platform(Dictionary<string, string>? settings = null) => new()
    {
        Settings = settings ?? [],
        TestServices = services => services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter, ClientAddress>()),
    };

    private static async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(PlatformFactory platform, string? from,
        string? forwardedFor = null)
    {
        var http = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (from is not null)
        {
            request.Headers.Add(ClientAddress.Header, from);
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static async Task<Scrape> ScrapeFromLoopbackAsync(PlatformFactory platform)
    {
        var (status, body) = await ScrapeAsync(platform, "127.0.0.1");
        Assert.True(status == HttpStatusCode.OK, $"/metrics from loopback: {(int)status} {body}");
        return new Scrape(body);
    }

    [Fact]
    public async Task Orders_sent_through_the_API_are_counted_and_timed_per_stage_with_exactly_their_numbers()
    {
        using var platform = Platform();
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var before = await ScrapeFromLoopbackAsync(platform);

        // A market order with nothing to trade against (rejected by the engine), then a sell and a buy that cross: one trade.
        var market = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", null, 10, type: "Market")).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", market.Str("status"));
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Equal("Filled", (await trader2.SubmitAsync(2001, "FAB.INT", "Buy", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));

        var after = await ScrapeFromLoopbackAsync(platform);
        double Delta(string series, params string[] labels) => after.Sum(series, labels) - before.Sum(series, labels);

        Assert.Equal(3, Delta("tradsys_orders_received_total"));
        Assert.Equal(1, Delta("tradsys_orders_rejected_total", "reason=\"NoLiquidity\""));
        Assert.Equal(1, Delta("tradsys_orders_rejected_total"));
        Assert.Equal(1, Delta("tradsys_trades_total"));
        foreach (var stage in PerOrderStages)
        {
            Assert.Equal(3, Delta("tradsys_order_path_stage_duration_seconds_count", $"stage=\"{stage}\""));
            // Every measurement falls in some bucket: the +Inf bucket holds them all.
            Assert.Equal(3, Delta("tradsys_order_path_stage_duration_seconds_bucket", $"stage=\"{stage}\"", "le=\"+Inf\""));
            Assert.True(Delta("tradsys_order_path_stage_duration_seconds_sum", $"stage=\"{stage}\"") > 0, $"stage {stage} took no time");
        }
        Assert.Equal(3, Delta("tradsys_order_path_duration_seconds_count"));
        Assert.True(Delta("tradsys_order_path_duration_seconds_sum") > 0);

        // Per batch: the three orders were answered one after the other, so at least three batches (timers may add their own).
        var batches = Delta("tradsys_writer_batch_size_count");
        Assert.True(batches >= 3, $"batches: {batches}");
        Assert.True(Delta("tradsys_writer_batch_size_sum") >= 3);
        Assert.Equal(batches, Delta("tradsys_writer_commit_duration_seconds_count"));
        Assert.Equal(batches, Delta("tradsys_order_path_stage_duration_seconds_count", "stage=\"commit\""));
        Assert.Equal(batches, Delta("tradsys_order_path_stage_duration_seconds_count", "stage=\"publish\""));
        Assert.Equal(0, after.Sum("tradsys_writer_queue_depth"));
        Assert.True(after.Has("tradsys_writer_queue_depth"), "the writer's queue depth is exported");

        // The libraries' own instrumentation: ASP.NET Core's requests by route, the runtime's GC and thread pool.
        Assert.Equal(3, Delta("http_server_request_duration_seconds_count", "http_route=\"/api/v1/orders/\"", "http_request_method=\"POST\""));
        Assert.True(after.Has("dotnet_gc_collections_total"), "the runtime's GC metrics are exported");
        Assert.True(after.Has("dotnet_thread_pool_thread_count"), "the runtime's thread pool metrics are exported");
    }

    [Fact]
    public async Task A_refusal_before_validation_is_counted_with_its_outcome_as_the_reason()
    {
        using var platform = Platform();
        var trader2 = await platform.ClientForAsync("trader2");
        var before = await ScrapeFromLoopbackAsync(platform);

        // trader2 names trader1's account: the writer refuses it (not the caller's), nothing is written.
        var refused = await trader2.SubmitAsync(1001, "COMI.INT", "Buy", 75m, 10);
        Assert.NotEqual(HttpStatusCode.Created, refused.Status);

        var after = await ScrapeFromLoopbackAsync(platform);
        Assert.Equal(1, after.Sum("tradsys_orders_rejected_total", "reason=\"NotYourAccount\"") -
            before.Sum("tradsys_orders_rejected_total", "reason=\"NotYourAccount\""));
        Assert.Equal(1, after.Sum("tradsys_orders_received_total") - before.Sum("tradsys_orders_received_total"));
        Assert.Equal(0, after.Sum("tradsys_trades_total") - before.Sum("tradsys_trades_total"));
        // Refused before validation: no stage measured it.
        Assert.Equal(0, after.Sum("tradsys_order_path_stage_duration_seconds_count", "stage=\"validate\"") -
            before.Sum("tradsys_order_path_stage_duration_seconds_count", "stage=\"validate\""));
    }

    [Fact]
    public async Task Every_rule_that_fires_on_an_order_is_counted_with_its_pack_rule_and_outcome_and_a_check_is_not()
    {
        using var platform = Platform();
        var trader2 = await platform.ClientForAsync("trader2");
        var before = await ScrapeFromLoopbackAsync(platform);

        // 2002 has US indicia (a US phone number) and neither a W-9 nor a W-8BEN: FATCA blocks it.
        var blocked = (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        // The same order only checked (the ticket's "check"): the packs answer, nothing is an order, nothing is counted.
        (await trader2.PostJsonAsync("/api/v1/orders/check",
            new { accountId = 2002, clientOrderId = Guid.NewGuid().ToString("N"), symbol = "COMI.INT", side = "Buy", price = 80m, quantity = 10 }))
            .Expect(HttpStatusCode.OK);

        var after = await ScrapeFromLoopbackAsync(platform);
        var fired = blocked.Json["decision"]!["explanation"]!.AsArray();
        Assert.Contains(fired, r => r!["ruleId"]!.GetValue<string>() == "FATCA.INDICIA_UNCURED");
        foreach (var rule in fired)
        {
            string[] labels =
            [
                $"pack=\"{rule!["packId"]!.GetValue<string>()}\"", $"rule=\"{rule["ruleId"]!.GetValue<string>()}\"",
                $"outcome=\"{rule["outcome"]!.GetValue<string>()}\"",
            ];
            Assert.Equal(1, after.Sum("tradsys_rules_hits_total", labels) - before.Sum("tradsys_rules_hits_total", labels));
        }
        Assert.Equal(1, after.Sum("tradsys_rules_hits_total", "pack=\"fatca\"", "rule=\"FATCA.INDICIA_UNCURED\"", "outcome=\"Block\"") -
            before.Sum("tradsys_rules_hits_total", "pack=\"fatca\"", "rule=\"FATCA.INDICIA_UNCURED\"", "outcome=\"Block\""));
        Assert.Equal(fired.Count, after.Sum("tradsys_rules_hits_total") - before.Sum("tradsys_rules_hits_total"));
    }

    [Fact]
    public async Task Outbox_lag_is_what_the_writer_committed_and_the_outbox_has_not_published_and_drains_to_zero()
    {
        using var platform = Platform();
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        Assert.True((await ScrapeFromLoopbackAsync(platform)).Has("tradsys_outbox_lag"), "the outbox lag is exported");

        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Equal("Filled", (await trader2.SubmitAsync(2001, "FAB.INT", "Buy", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));

        // The outbox publishes after the commit, on its own: its lag reaches 0 (bounded wait), and the scrape agrees with the
        // admin health report's figures (the same two sequences).
        var writer = platform.Services.GetRequiredService<TradSys.Web.Ordering.OrderWriter>();
        var outbox = platform.Services.GetRequiredService<TradSys.Web.Messaging.OutboxPublisher>();
        Assert.True(writer.CommittedSequence > 0, "the writer committed journal entries");
        var lag = double.NaN;
        for (var attempt = 0; attempt < 100 && lag != 0; attempt++)
        {
            lag = (await ScrapeFromLoopbackAsync(platform)).Sum("tradsys_outbox_lag");
            if (lag != 0)
            {
                await Task.Delay(50);
            }
        }
        Assert.Equal(0, lag);
        Assert.Equal(writer.CommittedSequence, outbox.PublishedSequence);
        Assert.Equal(3, TradSys.Web.Messaging.OutboxPublisher.LagOf(10, 7));
        Assert.Equal(10, TradSys.Web.Messaging.OutboxPublisher.LagOf(10, -1));
    }

    [Fact]
    public async Task FIX_sessions_are_counted_by_state_as_they_arrive_and_end()
    {
        using var platform = Platform();
        var sessions = platform.Services.GetRequiredService<TradSys.Web.Fix.FixSessionTracker>();
        var before = await ScrapeFromLoopbackAsync(platform);
        // Every state is reported before the first session, at 0.
        foreach (var state in Enum.GetValues<TradSys.Engine.Fix.FixSessionState>())
        {
            Assert.True(before.HasSample("tradsys_fix_sessions", $"state=\"{state}\""), $"state {state} is exported");
        }
        Assert.Equal(0, before.Sum("tradsys_fix_sessions"));

        // An initiator connects to a venue (this test, on loopback) and sends its Logon: one session waiting for the answer.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        var settings = new TradSys.Engine.Fix.FixSessionSettings
        {
            SenderCompId = "BROKER1", TargetCompId = "EXEC", Role = TradSys.Engine.Fix.FixSessionRole.Initiator, ResetOnLogon = true,
        };
        var session = await TradSys.Web.Fix.FixInitiator.ConnectAsync(listener.LocalEndpoint, settings, new TradSys.Engine.Fix.InMemoryFixSessionStore(),
            _ => { }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None, sessions);
        using var peer = await accepted.WaitAsync(TimeSpan.FromSeconds(20));
        var connected = await ScrapeFromLoopbackAsync(platform);
        Assert.Equal(1, connected.Sum("tradsys_fix_sessions", "state=\"LogonSent\""));
        Assert.Equal(1, connected.Sum("tradsys_fix_sessions"));

        // The venue hangs up: the connection ends and the session is no longer counted.
        peer.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        peer.Close();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        var ended = 1.0;
        for (var attempt = 0; attempt < 100 && ended != 0; attempt++)
        {
            ended = (await ScrapeFromLoopbackAsync(platform)).Sum("tradsys_fix_sessions");
            if (ended != 0)
            {
                await Task.Delay(50);
            }
        }
        Assert.Equal(0, ended);
        Assert.Equal(0, sessions.Count);
    }

    [Fact]
    public async Task Counting_rule_hits_allocates_nothing_after_a_rules_first_hit()
    {
        using var platform = Platform();
        var metrics = platform.Services.GetRequiredService<TradSys.Web.Observability.PlatformMetrics>();
        var evaluator = platform.Services.GetRequiredService<TradSys.Rules.Evaluation.RuleEvaluator>();
        var before = await ScrapeFromLoopbackAsync(platform);

        // The shipped packs on an order whose account has uncured US indicia: FATCA's rule fires (others may too).
        var context = new TradSys.Rules.Context.OrderContext();
        context.Account.UsIndicia = TradSys.Rules.Context.UsIndicia.UsPhone;
        context.Market.TradeDate = new DateOnly(2026, 11, 23);
        var decision = new TradSys.Rules.Evaluation.RuleDecision();
        evaluator.Evaluate(context, decision);
        Assert.True(decision.HasFired("FATCA.INDICIA_UNCURED"), "FATCA.INDICIA_UNCURED fired");

        metrics.RuleHits(decision);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            metrics.RuleHits(decision);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);

        var after = await ScrapeFromLoopbackAsync(platform);
        string[] fatca = ["pack=\"fatca\"", "rule=\"FATCA.INDICIA_UNCURED\"", "outcome=\"Block\""];
        Assert.Equal(1_001, after.Sum("tradsys_rules_hits_total", fatca) - before.Sum("tradsys_rules_hits_total", fatca));
    }

    [Fact]
    public async Task Recording_on_the_writers_path_allocates_nothing_while_Prometheus_listens()
    {
        using var platform = Platform();
        var metrics = platform.Services.GetRequiredService<TradSys.Web.Observability.PlatformMetrics>();
        var stages = Enum.GetValues<TradSys.Web.Observability.OrderStage>();
        void Record()
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var stage in stages)
            {
                started = metrics.Stage(stage, started);
            }
            metrics.Rejected(TradSys.Engine.RejectCode.NoLiquidity);
            metrics.Refused(TradSys.Web.Ordering.SequencerOutcome.NotYourAccount);
            metrics.BatchCommitted(8, TimeSpan.FromMilliseconds(1), 5, 2);
            metrics.OrderAnswered(started);
        }
        // The first measurement of each series sets it up; after that, none may allocate.
        Record();
        await ScrapeFromLoopbackAsync(platform);
        Record();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Record();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_002, (await ScrapeFromLoopbackAsync(platform)).Sum("tradsys_orders_rejected_total", "reason=\"NoLiquidity\""));
    }

    [Fact]
    public async Task Open_WebSocket_connections_are_counted_up_and_down()
    {
        using var platform = Platform();
        Assert.Equal(0, (await ScrapeFromLoopbackAsync(platform)).Sum("tradsys_websocket_connections"));
        var stream = await StreamClient.ConnectAsync(platform, "trader1");
        await stream.SendAsync(new { op = "ping", id = "p1" });
        await stream.NextAsync("pong");
        Assert.Equal(1, (await ScrapeFromLoopbackAsync(platform)).Sum("tradsys_websocket_connections"));

        await stream.DisposeAsync();
        // The server ends its side after the close handshake: wait for it (bounded), then the count is back to zero.
        var open = 1.0;
        for (var attempt = 0; attempt < 100 && open != 0; attempt++)
        {
            await Task.Delay(50);
            open = (await ScrapeFromLoopbackAsync(platform)).Sum("tradsys_websocket_connections");
        }
        Assert.Equal(0, open);
    }

    [Fact]
    public async Task By_default_only_loopback_peers_may_scrape_and_never_through_a_proxy()
    {
        using var platform = Platform();
        Assert.Equal(HttpStatusCode.OK, (await ScrapeAsync(platform, "127.0.0.1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ScrapeAsync(platform, "::1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ScrapeAsync(platform, "::ffff:127.0.0.1")).Status);

        var remote = await ScrapeAsync(platform, "10.1.2.3");
        Assert.Equal(HttpStatusCode.Forbidden, remote.Status);
        Assert.Contains("10.1.2.3 is not in them", remote.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("tradsys_", remote.Body, StringComparison.Ordinal);

        var noPeer = await ScrapeAsync(platform, null);
        Assert.Equal(HttpStatusCode.Forbidden, noPeer.Status);
        Assert.Contains("no peer address", noPeer.Body, StringComparison.Ordinal);

        // A reverse proxy on the same machine connects from loopback: what it forwards is refused.
        var proxied = await ScrapeAsync(platform, "127.0.0.1", forwardedFor: "203.0.113.9");
        Assert.Equal(HttpStatusCode.Forbidden, proxied.Status);
        Assert.Contains("X-Forwarded-For", proxied.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("tradsys_", proxied.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_networks_replace_loopback()
    {
        using var platform = Platform(new() { ["Metrics:AllowedNetworks:0"] = "10.1.0.0/16" });
        var inside = await ScrapeAsync(platform, "10.1.2.3");
        Assert.Equal(HttpStatusCode.OK, inside.Status);
        Assert.Contains("tradsys_writer_queue_depth", inside.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await ScrapeAsync(platform, "10.2.0.1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ScrapeAsync(platform, "127.0.0.1")).Status);
    }

    [Fact]
    public void A_network_that_is_not_CIDR_stops_the_start_naming_the_setting()
    {
        using var platform = Platform(new() { ["Metrics:AllowedNetworks:0"] = "10.1.0.0/99" });
        var failure = Record.Exception(() => platform.CreateClient());
        Assert.NotNull(failure);
        Assert.Contains("Metrics:AllowedNetworks:0: '10.1.0.0/99' is not a network in CIDR notation", failure.ToString(), StringComparison.Ordinal);
    }

    /// <summary>One scrape in Prometheus's text format: sample lines <c>name{labels} value [timestamp]</c>.</summary>
    internal sealed class Scrape(string text)
    {
        private readonly string[] _lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>The sum of every sample of <paramref name="name"/> carrying all of <paramref name="labels"/> (0 when none).</summary>
        public double Sum(string name, params string[] labels)
        {
            var sum = 0.0;
            foreach (var line in Samples(name, labels))
            {
                var close = line.LastIndexOf('}');
                var rest = line[(close < 0 ? name.Length : close + 1)..].Trim().Split(' ')[0];
                sum += double.Parse(rest, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            return sum;
        }

        public bool Has(string name) => Samples(name, []).Any();

        /// <summary>Whether some sample of <paramref name="name"/> carries all of <paramref name="labels"/>.</summary>
        public bool HasSample(string name, params string[] labels) => Samples(name, labels).Any();

        /// <summary>Whether some sample of <paramref name="name"/> carries a label named <paramref name="label"/>.</summary>
        public bool HasLabel(string name, string label) => Samples(name, []).Any(line => line.Contains($"{{{label}=\"", StringComparison.Ordinal) || line.Contains($",{label}=\"", StringComparison.Ordinal));

        private IEnumerable<string> Samples(string name, string[] labels) => _lines.Where(line =>
            !line.StartsWith('#') &&
            (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)) &&
            labels.All(label => line.Contains(label, StringComparison.Ordinal)));
    }
}

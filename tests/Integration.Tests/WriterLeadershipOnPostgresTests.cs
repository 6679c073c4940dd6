using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using TradSys.Web.Tests.Streaming;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// Two nodes of a cluster on one PostgreSQL database (issue 18): one writes the books, the other stands by and refuses
/// commands with 503 (nothing done); the standby takes over when the leader stops; and a leader whose lease was taken from it
/// while it was not looking commits nothing, because every commit checks the lease's epoch in its own transaction.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class WriterLeadershipOnPostgresTests : IAsyncLifetime
{
    private readonly ClusterNodes _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ProductionPlatformFactory Node(string name, int leaseSeconds) => _cluster.Node(name, leaseSeconds);

    [Fact]
    public async Task The_standby_refuses_commands_until_the_leader_stops_then_takes_over_with_its_books()
    {
        var a = Node("node-a", leaseSeconds: 2);
        var onA = await a.ClientForAsync("trader1");
        var resting = (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 100, clientOrderId: "lead-a-1")).Expect(HttpStatusCode.Created);

        var b = Node("node-b", leaseSeconds: 2);
        var onB = await b.ClientForAsync("trader1");
        var refused = await onB.SubmitAsync(1001, "COMI.INT", "Buy", 79.10m, 100, clientOrderId: "lead-b-1");
        refused.Expect(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(refused.RetryAfter);
        Assert.Contains("standby", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("node-a", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(0, await CountOrdersAsync(a, "lead-b-1"));

        var health = await LeadershipAsync(b);
        Assert.Equal("standby", health["data"]!["role"]!.GetValue<string>());
        Assert.Equal("node-a", health["data"]!["leader"]!.GetValue<string>());
        // The standby publishes nothing, so its outbox is not behind: the leader's is the one that counts.
        var outbox = await CheckAsync(b, "outbox");
        Assert.Equal(("Healthy", "a standby: the node that writes the books publishes the journal"),
            (outbox["status"]!.GetValue<string>(), outbox["description"]!.GetValue<string>()));
        Assert.Equal("leader", (await LeadershipAsync(a))["data"]!["role"]!.GetValue<string>());
        // Its gateway streams what the leader commits (the next test), except the portfolio channel: cash and buying power are the writer's.
        await using (var stream = await StreamClient.ConnectAsync(b.Server, onB.Http.DefaultRequestHeaders.Authorization!.Parameter))
        {
            await stream.SendAsync(new { op = "subscribe", channel = "portfolio", accountId = 1001, id = "p" });
            var refusedStream = await stream.NextAsync("error");
            Assert.Equal("not_on_this_node", refusedStream["code"]!.GetValue<string>());
        }

        // A clean stop lets the lease go at once: node B takes over on its next try and rebuilds the books node A wrote.
        await a.DisposeAsync();
        var (accepted, sinceStop) = await SubmitUntilTakenAsync(onB, 79.10m, "lead-b-1", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        accepted.Expect(HttpStatusCode.Created);
        Assert.True(sinceStop < TimeSpan.FromSeconds(5), $"node B took {sinceStop.TotalSeconds:F1} s to take orders after node A stopped");
        // The order node A acknowledged is in node B's book: it cancels there.
        (await onB.DeleteAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("leader", (await LeadershipAsync(b))["data"]!["role"]!.GetValue<string>());
        var verify = (await (await b.ClientForAsync("regulator1")).GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json;
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task A_leader_whose_lease_was_taken_commits_nothing_and_leads_again_only_under_a_new_epoch()
    {
        // A long lease: the leader renews every 20 s, so only the commit's own check can notice the takeover below.
        var a = Node("node-a", leaseSeconds: 30);
        var trader = await a.ClientForAsync("trader1");
        (await trader.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 100, clientOrderId: "fence-1")).Expect(HttpStatusCode.Created);
        var before = await LeaseAsync(a);
        Assert.Equal("node-a", before.Holder);

        // Another node takes the lease (as if node A had been paused past its lease), holding it for two seconds.
        await using (var connection = new NpgsqlConnection(a.ConnectionString))
        {
            await connection.OpenAsync();
            await using var takeOver = new NpgsqlCommand(
                "UPDATE writer_leases SET \"Epoch\" = \"Epoch\" + 1, \"Holder\" = 'node-x', \"ExpiresAt\" = now() + interval '2 seconds'", connection);
            Assert.Equal(1, await takeOver.ExecuteNonQueryAsync());
        }

        var fenced = await trader.SubmitAsync(1001, "COMI.INT", "Buy", 79.20m, 100, clientOrderId: "fence-2");
        fenced.Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0, await CountOrdersAsync(a, "fence-2"));
        Assert.Equal(before.Batches, (await LeaseAsync(a)).Batches);

        // Once node X's lease has expired, node A takes it again (a new epoch) and rebuilds its books first.
        var (accepted, _) = await SubmitUntilTakenAsync(trader, 79.20m, "fence-2", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        accepted.Expect(HttpStatusCode.Created);
        var after = await LeaseAsync(a);
        Assert.Equal(("node-a", before.Epoch + 2), (after.Holder, after.Epoch));
        Assert.Equal(1, await CountOrdersAsync(a, "fence-1"));
        Assert.Equal(1, await CountOrdersAsync(a, "fence-2"));
    }

    [Fact]
    public async Task A_rule_pack_published_on_the_standby_decides_the_leaders_next_order()
    {
        var a = Node("node-a", leaseSeconds: 30);
        var trader = await a.ClientForAsync("trader1");
        (await trader.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 10, clientOrderId: "packs-1")).Expect(HttpStatusCode.Created);
        var b = Node("node-b", leaseSeconds: 30);
        Assert.Equal("standby", (await LeadershipAsync(b))["data"]!["role"]!.GetValue<string>());

        // On the standby, compliance publishes SCA 1.0.1 through maker-checker: the internal venue (previous close 80.00) comes
        // under an upper price limit of 5 %, so 85 is blocked. Node B's own evaluator is not the one that decides orders.
        var sca = RulePackSamples.Edited("sca", p =>
        {
            p["version"] = "1.0.1";
            p["parameters"]!["Venues"]!["value"]!.AsArray().Add("XOFF");
            p["parameters"]!["UpperLimitPct"]!["value"] = 5m;
        });
        var maker = await b.ClientForAsync("compliance1");
        var submitted = (await maker.PostRawAsync("/api/v1/rulepacks/sca/publish", sca)).Expect(HttpStatusCode.Accepted);
        var checker = await b.ClientForAsync("compliance2");
        (await checker.PostJsonAsync($"/api/v1/tasks/{submitted.Json["task"]!["taskId"]!.GetValue<string>()}/approve", new { comment = "checked" }))
            .Expect(HttpStatusCode.OK);

        // The leader's very next order is decided by it.
        var blocked = (await trader.SubmitAsync(1001, "COMI.INT", "Buy", 85m, 10, clientOrderId: "packs-2")).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        var reason = Assert.Single(blocked.Json["decision"]!["reasons"]!.AsArray())!;
        Assert.Equal(("SCA.PRICE_UPPER", "1.0.1"), (reason["rule"]!.GetValue<string>(), reason["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_client_of_the_standby_follows_the_book_the_tape_and_its_orders_as_the_leader_commits_them()
    {
        var a = Node("node-a", leaseSeconds: 5);
        var onA = await a.ClientForAsync("trader1");
        var trader2 = await a.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.00m, 100, clientOrderId: "fan-ask")).Expect(HttpStatusCode.Created);

        var b = Node("node-b", leaseSeconds: 5);
        var onB = await b.ClientForAsync("trader1");
        Assert.Equal("standby", (await LeadershipAsync(b))["data"]!["role"]!.GetValue<string>());
        await using var stream = await StreamClient.ConnectAsync(b.Server, onB.Http.DefaultRequestHeaders.Authorization!.Parameter);
        await stream.SendAsync(new { op = "subscribe", channel = "order_updates", accountId = 1001 });
        await stream.NextAsync("ack");
        await stream.SendAsync(new { op = "subscribe", channel = "trades", symbol = "COMI.INT" });
        await stream.NextAsync("ack");
        await stream.SendAsync(new { op = "subscribe", channel = "market_data", symbol = "COMI.INT" });
        await stream.NextAsync("ack");
        // The standby's view of the book starts from the leader's snapshot, which it asks for at start: the first snapshot may come
        // before that (empty, sequence 0), and a new one follows unasked as soon as the view starts.
        var snapshot = await stream.FirstAsync(m => m["type"]!.GetValue<string>() == "snapshot" && m["asks"]!.AsArray().Count > 0);
        var ask = Assert.Single(snapshot["asks"]!.AsArray())!;
        Assert.Equal((80.00m, 100L), (ask["price"]!.GetValue<decimal>(), ask["quantity"]!.GetValue<long>()));
        var sequence = snapshot["sequence"]!.GetValue<long>();
        Assert.True(sequence > 0, "the leader's market-data sequence, not the standby's own");

        var bought = (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 80.00m, 100, clientOrderId: "fan-buy")).Expect(HttpStatusCode.Created);
        var orderId = bought.OrderId;
        var messages = new List<JsonNode>();
        JsonNode? trade = null, update = null, filled = null;
        while (trade is null || update is null || filled is null)
        {
            var message = await stream.ReceiveAsync();
            messages.Add(message);
            switch (message["type"]!.GetValue<string>())
            {
                case "trade":
                    trade = message;
                    break;
                case "update" when message["asks"]!.AsArray().Count > 0:
                    update = message;
                    break;
                case "update":
                    Assert.Equal(++sequence, message["sequence"]!.GetValue<long>()); // a quote-only update (a phase) may come first
                    break;
                case "order_update" when message["status"]!.GetValue<string>() == "Filled":
                    filled = message;
                    break;
            }
        }
        Assert.Equal((80.00m, 100L), (trade["price"]!.GetValue<decimal>(), trade["quantity"]!.GetValue<long>()));
        Assert.Equal(sequence + 1, update["sequence"]!.GetValue<long>());
        var gone = Assert.Single(update["asks"]!.AsArray())!;
        Assert.Equal((80.00m, 0L), (gone["price"]!.GetValue<decimal>(), gone["quantity"]!.GetValue<long>()));
        Assert.Equal(orderId, filled["orderId"]!.GetValue<long>());
        Assert.Equal("fan-buy", filled["clientOrderId"]!.GetValue<string>());
        // Each journal entry once, in journal order, though the standby hears the journal from the bus.
        var sequences = messages.Where(m => m["type"]!.GetValue<string>() == "order_update").Select(m => m["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.Order().Distinct(), sequences);

        // The leader stops; the standby takes over and rebuilds the books, and its client, still connected, gets a new snapshot (the
        // new writer's sequences start from its own) and then the new writer's updates in sequence.
        await a.DisposeAsync();
        var (resting, _) = await SubmitUntilTakenAsync(onB, 79.50m, "fan-after", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        resting.Expect(HttpStatusCode.Created);
        var after = await stream.FirstAsync(m => m["type"]!.GetValue<string>() == "snapshot");
        var next = after["sequence"]!.GetValue<long>();
        var bid = await stream.FirstAsync(m => m["type"]!.GetValue<string>() is "update" or "snapshot" && m["bids"]!.AsArray().Count > 0);
        if (bid["type"]!.GetValue<string>() == "update")
        {
            Assert.True(bid["sequence"]!.GetValue<long>() > next, "an update after the new snapshot");
        }
        Assert.Contains(bid["bids"]!.AsArray(), l => l!["price"]!.GetValue<decimal>() == 79.50m && l["quantity"]!.GetValue<long>() == 100);
        Assert.Equal("Accepted", (await stream.FirstAsync(m => m["type"]!.GetValue<string>() == "order_update" &&
            m["clientOrderId"]!.GetValue<string>() == "fan-after"))["kind"]!.GetValue<string>());
    }

    /// <summary>
    /// Sends the same buy of COMI.INT (account 1001, 100 shares) while the node answers 503 "not carried out" (no node writes
    /// yet), pausing <paramref name="pause"/> between tries, for at most <paramref name="within"/>: the last answer and how long it took.
    /// </summary>
    private static async Task<(Reply Reply, TimeSpan Took)> SubmitUntilTakenAsync(ApiClient client, decimal price, string clientOrderId,
        TimeSpan within, TimeSpan pause)
    {
        var since = Stopwatch.StartNew();
        Reply reply;
        while ((reply = await client.SubmitAsync(1001, "COMI.INT", "Buy", price, 100, clientOrderId: clientOrderId)).Status == HttpStatusCode.ServiceUnavailable
               && since.Elapsed < within)
        {
            await Task.Delay(pause);
        }
        return (reply, since.Elapsed);
    }

    private static Task<JsonNode> LeadershipAsync(ProductionPlatformFactory node) => CheckAsync(node, "writer-leadership");

    private static async Task<JsonNode> CheckAsync(ProductionPlatformFactory node, string name)
    {
        var admin = await node.ClientForAsync("admin");
        var report = (await admin.GetAsync("/api/v1/admin/health")).Expect(HttpStatusCode.OK);
        return report.Json["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
    }

    private static async Task<long> CountOrdersAsync(ProductionPlatformFactory node, string clientOrderId)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orders WHERE \"ClientOrderId\" = @id", connection);
        count.Parameters.AddWithValue("id", clientOrderId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<(string Holder, long Epoch, long Batches)> LeaseAsync(ProductionPlatformFactory node)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT \"Holder\", \"Epoch\", \"CommittedBatches\" FROM writer_leases WHERE \"Shard\" = 'main'", connection);
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), "no lease row for shard main");
        return (row.GetString(0), row.GetInt64(1), row.GetInt64(2));
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace TradSys.Integration.Tests;

/// <summary>
/// What a standby of a cluster on one PostgreSQL database serves without the writer (issue 18): the depth of a book and its level-1
/// quote from its followed view of the leader's market data, marked as such with the leader's epoch and sequence (the quote equal to
/// the leader's own, figure for figure); what the leader
/// protected with Data Protection (the portal's cookies), read through the key ring both keep in the database; and an instrument the
/// leader lists, within the standby's follow interval (issue 14).
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class StandbyReadsOnPostgresTests : IAsyncLifetime
{
    private readonly ClusterNodes _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ProductionPlatformFactory Node(string name) => _cluster.Node(name, leaseSeconds: 5);

    [Fact]
    public async Task The_standby_answers_depth_from_the_leaders_market_data_and_says_it_is_the_followed_view()
    {
        var a = Node("node-a");
        var seller = await a.ClientForAsync("trader2");
        (await seller.SubmitAsync(2001, "COMI.INT", "Sell", 80.00m, 100, clientOrderId: "depth-ask")).Expect(HttpStatusCode.Created);
        var b = Node("node-b");
        var onB = await b.ClientForAsync("trader1");

        // The standby's view starts from the leader's snapshot, which it asks for at start: until then it has no view, and the depth
        // goes to its writer, which refuses (503, a standby).
        var since = Stopwatch.StartNew();
        HttpResponseMessage depth;
        JsonNode? body = null;
        while (true)
        {
            depth = await onB.Http.GetAsync("/api/v1/instruments/COMI.INT/depth");
            if (depth.StatusCode == HttpStatusCode.OK)
            {
                body = JsonNode.Parse(await depth.Content.ReadAsStringAsync())!;
                if (body["asks"]!.AsArray().Count > 0)
                {
                    break;
                }
            }
            else
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, depth.StatusCode);
            }
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(20), $"the standby served no depth with the leader's ask within 20 s (last: {(int)depth.StatusCode})");
            await Task.Delay(100);
        }
        var ask = Assert.Single(body["asks"]!.AsArray())!;
        Assert.Equal((80.00m, 100L, 1), (ask["price"]!.GetValue<decimal>(), ask["quantity"]!.GetValue<long>(), ask["orders"]!.GetValue<int>()));
        Assert.Empty(body["bids"]!.AsArray());
        Assert.Equal("followed", depth.Headers.GetValues("X-Market-Data-View").Single());
        var (holder, epoch) = await LeaseAsync(a);
        Assert.Equal("node-a", holder);
        Assert.Equal(epoch, long.Parse(depth.Headers.GetValues("X-Market-Data-Epoch").Single(), System.Globalization.CultureInfo.InvariantCulture));
        var sequence = long.Parse(depth.Headers.GetValues("X-Market-Data-Sequence").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sequence > 0, "the leader's market-data sequence");

        // The leader answers from its own books, without the marks.
        var onA = await a.ClientForAsync("trader1");
        var fromBooks = await onA.Http.GetAsync("/api/v1/instruments/COMI.INT/depth");
        Assert.Equal(HttpStatusCode.OK, fromBooks.StatusCode);
        Assert.False(fromBooks.Headers.Contains("X-Market-Data-View"));
        var leaderAsk = Assert.Single(JsonNode.Parse(await fromBooks.Content.ReadAsStringAsync())!["asks"]!.AsArray())!;
        Assert.Equal((80.00m, 100L), (leaderAsk["price"]!.GetValue<decimal>(), leaderAsk["quantity"]!.GetValue<long>()));

        // A trade on the leader reaches the standby's answer: the level is gone, at a later sequence.
        (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 80.00m, 100, clientOrderId: "depth-buy")).Expect(HttpStatusCode.Created);
        since.Restart();
        while (true)
        {
            depth = await onB.Http.GetAsync("/api/v1/instruments/COMI.INT/depth");
            Assert.Equal(HttpStatusCode.OK, depth.StatusCode);
            if (JsonNode.Parse(await depth.Content.ReadAsStringAsync())!["asks"]!.AsArray().Count == 0)
            {
                break;
            }
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(10), "the standby's depth still showed the ask 10 s after it traded");
            await Task.Delay(50);
        }
        Assert.True(long.Parse(depth.Headers.GetValues("X-Market-Data-Sequence").Single(), System.Globalization.CultureInfo.InvariantCulture) > sequence);
    }

    [Fact]
    public async Task The_standby_answers_the_quote_from_the_leaders_market_data_with_the_leaders_figures()
    {
        var a = Node("node-a");
        var onA = await a.ClientForAsync("trader1");
        var sellerOnA = await a.ClientForAsync("trader2");
        (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 80.50m, 60, clientOrderId: "quote-bid-1")).Expect(HttpStatusCode.Created);
        (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 80.40m, 100, clientOrderId: "quote-bid-2")).Expect(HttpStatusCode.Created);
        (await sellerOnA.SubmitAsync(2001, "COMI.INT", "Sell", 80.40m, 100, clientOrderId: "quote-sell-1")).Expect(HttpStatusCode.Created); // 60 @ 80.50, 40 @ 80.40
        (await sellerOnA.SubmitAsync(2001, "COMI.INT", "Sell", 81.00m, 30, clientOrderId: "quote-ask")).Expect(HttpStatusCode.Created);
        var b = Node("node-b");
        var onB = await b.ClientForAsync("viewer1");

        // Before the standby's view has the leader's snapshot its writer refuses, as a standby: 503, "not carried out".
        var (standby, body) = await SameQuoteAsync(onA, onB, TimeSpan.FromSeconds(20), refusalsAllowed: true);
        Assert.Equal((80.50m, 80.50m, 80.40m, 80.40m, 8046m, 100L, 2L), Figures(body)); // 60 x 80.50 + 40 x 80.40
        Assert.Equal((80.40m, 60L, 81.00m, 30L), (body["bid"]!.GetValue<decimal>(), body["bidQuantity"]!.GetValue<long>(),
            body["ask"]!.GetValue<decimal>(), body["askQuantity"]!.GetValue<long>()));
        Assert.Equal("followed", standby.Headers.GetValues("X-Market-Data-View").Single());
        var (_, epoch) = await LeaseAsync(a);
        Assert.Equal(epoch, long.Parse(standby.Headers.GetValues("X-Market-Data-Epoch").Single(), System.Globalization.CultureInfo.InvariantCulture));
        var sequence = long.Parse(standby.Headers.GetValues("X-Market-Data-Sequence").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var leader = await onA.Http.GetAsync("/api/v1/instruments/COMI.INT/quote");
        Assert.False(leader.Headers.Contains("X-Market-Data-View"));

        // A trade on the leader moves the standby's quote with it: a new high and last, the volume and the turnover.
        (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 81.00m, 10, clientOrderId: "quote-lift")).Expect(HttpStatusCode.Created);
        (standby, body) = await SameQuoteAsync(onA, onB, TimeSpan.FromSeconds(10), refusalsAllowed: false);
        Assert.Equal((80.50m, 81.00m, 80.40m, 81.00m, 8856m, 110L, 3L), Figures(body));
        Assert.Equal(20L, body["askQuantity"]!.GetValue<long>());
        Assert.True(long.Parse(standby.Headers.GetValues("X-Market-Data-Sequence").Single(), System.Globalization.CultureInfo.InvariantCulture) > sequence);
    }

    /// <summary>
    /// Reads the quote of COMI.INT from the standby until it is the leader's own answer, whole (figures, phase, time); the standby's
    /// answer and its body.
    /// </summary>
    private static async Task<(HttpResponseMessage Standby, JsonNode Body)> SameQuoteAsync(Web.Tests.Support.ApiClient leader,
        Web.Tests.Support.ApiClient standby, TimeSpan within, bool refusalsAllowed)
    {
        var since = Stopwatch.StartNew();
        while (true)
        {
            var fromLeader = (await leader.GetAsync("/api/v1/instruments/COMI.INT/quote")).Expect(HttpStatusCode.OK).Json;
            var reply = await standby.Http.GetAsync("/api/v1/instruments/COMI.INT/quote");
            var text = await reply.Content.ReadAsStringAsync();
            if (reply.StatusCode == HttpStatusCode.OK)
            {
                var body = JsonNode.Parse(text)!;
                if (JsonNode.DeepEquals(fromLeader, body))
                {
                    return (reply, body);
                }
                Assert.True(since.Elapsed < within, $"the standby's quote {text} was not the leader's {fromLeader.ToJsonString()} within {within.TotalSeconds} s");
            }
            else
            {
                Assert.True(refusalsAllowed, $"the standby refused the quote after its view had started: {(int)reply.StatusCode} {text}");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.StatusCode);
                Assert.Contains("this node is a standby of the order writer", JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.True(since.Elapsed < within, $"the standby answered no quote within {within.TotalSeconds} s (last: {text})");
            }
            await Task.Delay(100);
        }
    }

    private static (decimal Open, decimal High, decimal Low, decimal Last, decimal Turnover, long Volume, long Trades) Figures(JsonNode q) =>
        (q["open"]!.GetValue<decimal>(), q["high"]!.GetValue<decimal>(), q["low"]!.GetValue<decimal>(), q["last"]!.GetValue<decimal>(),
            q["turnover"]!.GetValue<decimal>(), q["volume"]!.GetValue<long>(), q["trades"]!.GetValue<long>());

    [Fact]
    public async Task What_the_leader_protects_the_standby_reads_through_the_key_ring_in_the_database()
    {
        var a = Node("node-a");
        var payload = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("TradSys.Tests.Cluster").Protect("from node-a");
        var b = Node("node-b");
        Assert.Equal("from node-a", b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("TradSys.Tests.Cluster").Unprotect(payload));

        await using var connection = new NpgsqlConnection(a.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys WHERE \"Xml\" LIKE '%<encryptedSecret%'", connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task An_instrument_listed_through_the_leader_is_answered_by_the_standby_within_its_follow_interval()
    {
        var a = Node("node-a");
        var ops = await a.ClientForAsync("ops1");
        var b = Node("node-b");
        var onB = await b.ClientForAsync("trader1");
        (await onB.GetAsync("/api/v1/instruments/ORAS")).Expect(HttpStatusCode.NotFound);
        Assert.Equal("node-a", (await LeaseAsync(a)).Holder);

        (await ops.PostJsonAsync("/api/v1/instruments", new Dictionary<string, object?>
        {
            ["symbol"] = "ORAS", ["isin"] = "EGS95001C011", ["name"] = "Orascom Construction", ["venue"] = "EGX", ["currency"] = "EGP",
            ["sector"] = "20103010", ["lotSize"] = 1, ["referencePrice"] = 250.00m, ["issuedShares"] = 110_000_000, ["averageDailyVolume"] = 300_000,
            ["foreignOwnershipLimitPct"] = 49m, ["reason"] = "new listing: EGX notice 2026/114",
        })).Expect(HttpStatusCode.Created);

        // The standby runs no batch: its follower reads the instruments' counter every Cluster:ReferenceFollowSeconds (2 s by default).
        var since = Stopwatch.StartNew();
        Web.Tests.Support.Reply read;
        while ((read = await onB.GetAsync("/api/v1/instruments/ORAS")).Status != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.NotFound, read.Status);
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(8), "the standby did not answer the leader's listing within 8 s (interval 2 s)");
            await Task.Delay(100);
        }
        Assert.Equal(("EGX", 250m, "Trading"), (read.Str("venue"), read.Json["referencePrice"]!.GetValue<decimal>(), read.Str("status")));
        Assert.Contains("ORAS", (await onB.GetAsync("/api/v1/instruments")).Expect(HttpStatusCode.OK).Json.AsArray().Select(i => i!["symbol"]!.GetValue<string>()));
    }

    private static async Task<(string Holder, long Epoch)> LeaseAsync(ProductionPlatformFactory node)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT \"Holder\", \"Epoch\" FROM writer_leases WHERE \"Shard\" = 'main'", connection);
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), "no lease row for shard main");
        return (row.GetString(0), row.GetInt64(1));
    }
}

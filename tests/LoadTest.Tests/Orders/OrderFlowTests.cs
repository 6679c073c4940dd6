using System.Text;
using System.Text.Json;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Load;
using TradSys.LoadTest.Orders;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Tests.Orders;

public class OrderFlowTests
{
    private static readonly InstrumentInfo Comi = InstrumentInfo.FloorDefault("COMI.INT");

    [Fact]
    public void The_band_is_on_tick_inside_the_limits_and_around_the_reference()
    {
        Assert.Equal([79.97m, 79.98m, 79.99m, 80.00m, 80.01m, 80.02m, 80.03m], Comi.Band);
        var egx = new InstrumentInfo("X", 1.0m, 0.9m, 1.1m, 1, [new TickBand(0m, 0.001m), new TickBand(1m, 0.01m)]);
        // Below 1.00 the tick is 0.001, from 1.00 up 0.01.
        Assert.Equal([0.997m, 0.998m, 0.999m, 1.00m, 1.01m, 1.02m, 1.03m], egx.Band);
        var capped = new InstrumentInfo("Y", 10.00m, 9.99m, 10.01m, 1, [new TickBand(0m, 0.01m)]);
        Assert.Equal([9.99m, 10.00m, 10.01m], capped.Band);
        Assert.Throws<ArgumentException>(() => new InstrumentInfo("Z", 10.00m, 10.00m, 10.00m, 1, [new TickBand(0m, 0.01m)]));
    }

    [Fact]
    public void The_same_seed_and_answers_give_the_same_requests()
    {
        Assert.Equal(Requests(seed: 5), Requests(seed: 5));
        Assert.NotEqual(Requests(seed: 5), Requests(seed: 6));
    }

    [Fact]
    public void New_orders_are_valid_limit_orders_with_unique_client_order_ids()
    {
        var ids = new HashSet<string>();
        var sides = new Dictionary<string, int>();
        foreach (var (verb, path, body) in Requests(seed: 9, count: 2000, mix: new OrderMix(100, 0, 0)))
        {
            Assert.Equal((HttpVerb.Post, "/api/v1/orders"), (verb, path));
            using var doc = JsonDocument.Parse(body);
            var order = doc.RootElement;
            Assert.Equal(1001, order.GetProperty("accountId").GetInt64());
            Assert.True(ids.Add(order.GetProperty("clientOrderId").GetString()!));
            Assert.StartsWith("run7-3-", order.GetProperty("clientOrderId").GetString()!, StringComparison.Ordinal);
            Assert.Equal("COMI.INT", order.GetProperty("symbol").GetString());
            Assert.Equal("Limit", order.GetProperty("type").GetString());
            var side = order.GetProperty("side").GetString()!;
            var price = order.GetProperty("price").GetDecimal();
            var quantity = order.GetProperty("quantity").GetInt64();
            Assert.Contains(price, Comi.Band);
            Assert.True(Comi.IsValidPrice(price));
            // Buys never at the top of the band, sells never at the bottom, so both sides rest as well as cross.
            Assert.NotEqual(side == "Buy" ? Comi.Band[^1] : Comi.Band[0], price);
            Assert.InRange(quantity, 10, 100);
            Assert.Equal(0, quantity % 10);
            sides[side] = sides.GetValueOrDefault(side) + 1;
        }
        Assert.InRange(sides["Buy"], 800, 1200);
        Assert.InRange(sides["Sell"], 800, 1200);
    }

    [Fact]
    public void New_orders_alternate_accounts_and_amends_and_cancels_go_with_their_orders_token()
    {
        TradingAccount[] accounts = [new(1001, "trader1", "token-1"), new(2001, "trader2", "token-2")];
        var flow = new OrderFlow(0, accounts, [Comi], OrderMix.Default, 4, "run7", null);
        var request = new LoadRequest();
        var stats = new SessionStats();
        var tokenOf = new Dictionary<long, string>();
        var newAccounts = new List<long>();
        long id = 1;
        for (var i = 0; i < 400; i++)
        {
            var kind = flow.Next(request);
            if (kind == RequestKind.NewOrder)
            {
                using var doc = JsonDocument.Parse(request.Body.WrittenMemory);
                var o = doc.RootElement;
                var account = o.GetProperty("accountId").GetInt64();
                newAccounts.Add(account);
                Assert.Equal(account == 1001 ? "token-1" : "token-2", request.BearerToken);
                tokenOf[id] = request.BearerToken!;
                flow.OnAnswer(kind, 201, Reply(id++, o.GetProperty("clientOrderId").GetString()!, o.GetProperty("side").GetString() == "Buy",
                    o.GetProperty("price").GetDecimal(), o.GetProperty("quantity").GetInt64(), "Accepted", account), stats);
            }
            else
            {
                var target = long.Parse(request.Path["/api/v1/orders/".Length..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(tokenOf[target], request.BearerToken);
                flow.OnAnswer(kind, 409, "{\"detail\":\"order 1 is Filled; only working orders can be amended\"}"u8.ToArray(), stats);
            }
        }
        Assert.Equal(0, stats.BadReplies);
        Assert.Equal([1001L, 2001L, 1001L, 2001L], newAccounts.Take(4));
        Assert.InRange(newAccounts.Count(a => a == 1001) - newAccounts.Count(a => a == 2001), 0, 1);
    }

    [Fact]
    public void A_reply_about_another_order_is_a_bad_reply_and_changes_nothing()
    {
        var flow = new OrderFlow(3, [new TradingAccount(1001, "trader1", "tok")], [Comi], new OrderMix(100, 0, 0), 1, "run7", null);
        var request = new LoadRequest();
        var stats = new SessionStats();
        var kind = flow.Next(request);
        using var doc = JsonDocument.Parse(request.Body.WrittenMemory);
        flow.OnAnswer(kind, 201, Reply(1, "someone-else", doc.RootElement.GetProperty("side").GetString() == "Buy",
            doc.RootElement.GetProperty("price").GetDecimal(), 10, "Accepted"), stats);
        Assert.Equal(1, stats.BadReplies);
        Assert.Equal(0, flow.WorkingCount);
    }

    [Fact]
    public void A_proxys_bad_gateway_is_an_unknown_outcome_recorded_as_sent_without_an_answer()
    {
        var path = Path.Combine(Path.GetTempPath(), $"acks-502-{Guid.NewGuid():N}.jsonl");
        try
        {
            string clientOrderId;
            using (var file = new AcksFile(path, new RunHeader("run", "run7", "http://127.0.0.1:1/", DateTime.UtcNow, ["COMI.INT"], [1001])))
            {
                var flow = new OrderFlow(3, [new TradingAccount(1001, "trader1", "tok")], [Comi], new OrderMix(100, 0, 0), 1, "run7", new AcksBuffer(file));
                var request = new LoadRequest();
                var stats = new SessionStats();
                // nginx lost the node after passing the order on (the node may have committed it): 502, an HTML page.
                var kind = flow.Next(request);
                using (var doc = JsonDocument.Parse(request.Body.WrittenMemory))
                {
                    clientOrderId = doc.RootElement.GetProperty("clientOrderId").GetString()!;
                }
                flow.OnAnswer(kind, 502, "<html><head><title>502 Bad Gateway</title></head></html>"u8, stats);
                // A node's own 503 "not carried out" is a refusal: nothing was done, nothing is recorded.
                flow.OnAnswer(flow.Next(request), 503, "{\"title\":\"Not carried out\",\"status\":503}"u8, stats);
                // A standby's 503 "Outcome unknown" (the leader it forwarded to did not answer in time) is an unknown outcome too.
                kind = flow.Next(request);
                string unknownId;
                using (var doc = JsonDocument.Parse(request.Body.WrittenMemory))
                {
                    unknownId = doc.RootElement.GetProperty("clientOrderId").GetString()!;
                }
                flow.OnAnswer(kind, 503, "{\"title\":\"Outcome unknown\",\"status\":503,\"detail\":\"no answer from the leader\"}"u8, stats);
                flow.Flush();
                Assert.Equal(0, flow.WorkingCount);
                Assert.Equal([clientOrderId, unknownId], AcksLog.Read(path).LostNew.Select(l => l.ClientOrderId));
            }
            var lost = AcksLog.Read(path).LostNew[0];
            Assert.Equal((clientOrderId, 1001L, "COMI.INT"), (lost.ClientOrderId, lost.AccountId, lost.Symbol));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_409_that_states_the_order_is_no_longer_working_is_recorded_and_the_order_forgotten()
    {
        var path = Path.Combine(Path.GetTempPath(), $"acks-409-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var file = new AcksFile(path, new RunHeader("run", "run7", "http://127.0.0.1:1/", DateTime.UtcNow, ["COMI.INT"], [1001])))
            {
                var flow = new OrderFlow(3, [new TradingAccount(1001, "trader1", "tok")], [Comi], new OrderMix(0, 0, 100), 1, "run7", new AcksBuffer(file));
                var request = new LoadRequest();
                var stats = new SessionStats();
                // With no working order known the first draw is a new order; it rests.
                var kind = flow.Next(request);
                Assert.Equal(RequestKind.NewOrder, kind);
                using (var doc = JsonDocument.Parse(request.Body.WrittenMemory))
                {
                    var o = doc.RootElement;
                    flow.OnAnswer(kind, 201, Reply(41, o.GetProperty("clientOrderId").GetString()!, o.GetProperty("side").GetString() == "Buy",
                        o.GetProperty("price").GetDecimal(), o.GetProperty("quantity").GetInt64(), "Accepted"), stats);
                }
                Assert.Equal(1, flow.WorkingCount);
                // Its cancel, resent by a balancer after the node that carried it out died, is refused with the order's state.
                kind = flow.Next(request);
                Assert.Equal((RequestKind.Cancel, "/api/v1/orders/41"), (kind, request.Path));
                flow.OnAnswer(kind, 409, """
                    {"title":"Conflict","status":409,"detail":"order 41 is Canceled; only working or held (PendingReview) orders can be canceled",
                     "orderId":41,"orderStatus":"Canceled","filledQuantity":0}
                    """u8, stats);
                flow.Flush();
                Assert.Equal(0, flow.WorkingCount);
            }
            var order = AcksLog.Read(path).Orders[41];
            Assert.Equal(("Canceled", 0L, "cancel refusal (409)"), (order.Status, order.Filled, order.LastOperation));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_amend_refused_as_changing_nothing_is_recorded_as_the_order_having_its_terms()
    {
        var path = Path.Combine(Path.GetTempPath(), $"acks-400-{Guid.NewGuid():N}.jsonl");
        try
        {
            decimal? price = null;
            long? quantity = null;
            using (var file = new AcksFile(path, new RunHeader("run", "run7", "http://127.0.0.1:1/", DateTime.UtcNow, ["COMI.INT"], [1001])))
            {
                var flow = new OrderFlow(3, [new TradingAccount(1001, "trader1", "tok")], [Comi], new OrderMix(0, 100, 0), 1, "run7", new AcksBuffer(file));
                var request = new LoadRequest();
                var stats = new SessionStats();
                var kind = flow.Next(request);
                using (var doc = JsonDocument.Parse(request.Body.WrittenMemory))
                {
                    var o = doc.RootElement;
                    flow.OnAnswer(kind, 201, Reply(41, o.GetProperty("clientOrderId").GetString()!, o.GetProperty("side").GetString() == "Buy",
                        o.GetProperty("price").GetDecimal(), o.GetProperty("quantity").GetInt64(), "Accepted"), stats);
                }
                // Its amend, resent after the node that carried it out died: the platform says it changes nothing.
                kind = flow.Next(request);
                Assert.Equal((RequestKind.Amend, "/api/v1/orders/41"), (kind, request.Path));
                using (var doc = JsonDocument.Parse(request.Body.WrittenMemory))
                {
                    price = doc.RootElement.TryGetProperty("price", out var p) ? p.GetDecimal() : null;
                    quantity = doc.RootElement.TryGetProperty("quantity", out var q) ? q.GetInt64() : null;
                }
                flow.OnAnswer(kind, 400, """
                    {"title":"The request is not valid","status":400,"detail":"body: the amend changes neither price nor quantity"}
                    """u8, stats);
                flow.Flush();
                Assert.Equal(1, flow.WorkingCount);
            }
            var order = AcksLog.Read(path).Orders[41];
            Assert.True(price is not null || quantity is not null);
            Assert.Equal("amend refusal (400, it changes nothing)", order.LastOperation);
            if (price is { } p2)
            {
                Assert.Equal(p2, order.Price);
            }
            if (quantity is { } q2)
            {
                Assert.Equal(q2, order.Quantity);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Amends_and_cancels_go_to_working_orders_only_and_follow_the_mix()
    {
        var flow = new OrderFlow(3, [new TradingAccount(1001, "trader1", "tok")], [Comi], OrderMix.Default, 11, "run7", null);
        var request = new LoadRequest();
        var stats = new SessionStats();
        var working = new Dictionary<long, (bool Buy, decimal Price, string ClientOrderId)>();
        var kinds = new Dictionary<RequestKind, int>();
        var amendKeys = new HashSet<string>(StringComparer.Ordinal);
        long nextId = 1;
        for (var i = 0; i < 3000; i++)
        {
            var kind = flow.Next(request);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var body = Encoding.UTF8.GetString(request.Body.WrittenSpan);
            switch (kind)
            {
                case RequestKind.NewOrder:
                {
                    using var doc = JsonDocument.Parse(body);
                    var id = nextId++;
                    var buy = doc.RootElement.GetProperty("side").GetString() == "Buy";
                    var price = doc.RootElement.GetProperty("price").GetDecimal();
                    var clientOrderId = doc.RootElement.GetProperty("clientOrderId").GetString()!;
                    // Every third order fills at once; the others rest.
                    var filled = id % 3 == 0;
                    flow.OnAnswer(kind, 201, Reply(id, clientOrderId, buy, price, doc.RootElement.GetProperty("quantity").GetInt64(),
                        filled ? "Filled" : "Accepted"), stats);
                    if (!filled)
                    {
                        working[id] = (buy, price, clientOrderId);
                    }
                    break;
                }
                case RequestKind.Amend:
                {
                    var id = long.Parse(request.Path["/api/v1/orders/".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(HttpVerb.Patch, request.Verb);
                    Assert.True(working.ContainsKey(id), $"amend of order {id}, which is not working");
                    // Each amendment has a key of its own, so a balancer's resend of it is answered as carried out, not refused.
                    Assert.True(amendKeys.Add(Assert.IsType<string>(request.IdempotencyKey)), $"amend key {request.IdempotencyKey} sent twice");
                    using var doc = JsonDocument.Parse(body);
                    if (doc.RootElement.TryGetProperty("price", out var p))
                    {
                        Assert.NotEqual(working[id].Price, p.GetDecimal());
                        Assert.Contains(p.GetDecimal(), Comi.Band);
                    }
                    // The platform says it traded meanwhile: the connection must forget it.
                    flow.OnAnswer(kind, 409, Encoding.UTF8.GetBytes(
                        $"{{\"title\":\"Conflict\",\"status\":409,\"detail\":\"order {id} is Filled; only working orders can be amended\"}}"), stats);
                    working.Remove(id);
                    break;
                }
                case RequestKind.Cancel:
                {
                    var id = long.Parse(request.Path["/api/v1/orders/".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(HttpVerb.Delete, request.Verb);
                    Assert.True(working.ContainsKey(id), $"cancel of order {id}, which is not working");
                    flow.OnAnswer(kind, 200, Reply(id, working[id].ClientOrderId, working[id].Buy, working[id].Price, 10, "Canceled"), stats);
                    working.Remove(id);
                    break;
                }
            }
            Assert.Equal(working.Count, flow.WorkingCount);
        }
        Assert.InRange(kinds[RequestKind.NewOrder], 2200, 2600);
        Assert.InRange(kinds[RequestKind.Amend], 200, 400);
        Assert.InRange(kinds[RequestKind.Cancel], 200, 400);
        Assert.Equal(kinds[RequestKind.Amend], stats.ExpectedRefusals.Values.Sum());
        Assert.Equal(0, stats.BadReplies);
    }

    private static byte[] Reply(long id, string clientOrderId, bool buy, decimal price, long quantity, string status, long accountId = 1001) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            orderId = id, clientOrderId, accountId, symbol = "COMI.INT", side = buy ? "Buy" : "Sell", price, quantity,
            filledQuantity = status == "Filled" ? quantity : 0, leavesQuantity = status == "Accepted" ? quantity : 0, status, trades = Array.Empty<object>(),
        });

    /// <summary>The requests of one flow whose every new order is answered Accepted (ids 1, 2, ...).</summary>
    private static List<(HttpVerb, string, string)> Requests(int seed, int count = 300, OrderMix? mix = null)
    {
        var flow = new OrderFlow(3, [new TradingAccount(1001, "trader1", "tok")], [Comi], mix ?? OrderMix.Default, seed, "run7", null);
        var request = new LoadRequest();
        var stats = new SessionStats();
        var list = new List<(HttpVerb, string, string)>();
        long id = 1;
        for (var i = 0; i < count; i++)
        {
            var kind = flow.Next(request);
            var body = Encoding.UTF8.GetString(request.Body.WrittenSpan);
            list.Add((request.Verb, request.Path, body));
            if (kind == RequestKind.NewOrder)
            {
                using var doc = JsonDocument.Parse(body);
                var o = doc.RootElement;
                flow.OnAnswer(kind, 201, Reply(id++, o.GetProperty("clientOrderId").GetString()!, o.GetProperty("side").GetString() == "Buy",
                    o.GetProperty("price").GetDecimal(), o.GetProperty("quantity").GetInt64(), "Accepted"), stats);
            }
            else
            {
                flow.OnAnswer(kind, 409, "{\"title\":\"Conflict\",\"detail\":\"order 9 is Filled; only working orders can be amended\"}"u8.ToArray(), stats);
            }
        }
        return list;
    }
}

public class OrderReplyTests
{
    // A reply as the platform sends it (trimmed decision), with a trade seen from the seller's side.
    private const string Platform = """
        {"orderId":2,"clientOrderId":"p-s1","accountId":2001,"symbol":"COMI.INT","side":"Sell","type":"Limit","timeInForce":"Gtc","price":80,"quantity":60,
         "filledQuantity":60,"leavesQuantity":0,"averagePrice":80.5,"status":"Filled","rejectCode":null,"rejectReason":null,
         "createdAt":"2026-12-04T18:28:22.501157Z","updatedAt":"2026-12-04T18:28:22.501157Z",
         "trades":[{"tradeId":1,"symbol":"COMI.INT","price":80.5,"quantity":60,"currency":"EGP","buyOrderId":null,"sellOrderId":2,"buyAccountId":null,
                    "sellAccountId":2001,"aggressorSide":"Sell","executedAt":"2026-12-04T18:28:22.501157Z"}],
         "stopPrice":null,"ruleOutcome":"Pass","decision":{"outcome":"Pass","reasons":[],"packs":[{"packId":"adgm","version":"1.0.0"}],"explanation":[],"fault":null},"review":null}
        """;

    [Fact]
    public void A_platform_reply_is_read_with_its_trades()
    {
        var reply = new OrderReply();
        Assert.True(reply.TryParse(Encoding.UTF8.GetBytes(Platform), "p-s1", "COMI.INT", "Sell"));
        Assert.True(reply.EchoMatches);
        Assert.Equal(2, reply.OrderId);
        Assert.Equal(2001, reply.AccountId);
        Assert.Equal(80m, reply.Price);
        Assert.Equal(60, reply.Quantity);
        Assert.Equal(60, reply.FilledQuantity);
        Assert.Equal(ReplyStatus.Filled, reply.Status);
        Assert.Null(reply.RejectCode);
        var trade = Assert.Single(reply.Trades);
        Assert.Equal(new ReplyTrade(1, 80.5m, 60, null, 2, "Sell"), trade);
    }

    [Fact]
    public void Another_order_echoed_back_is_noticed()
    {
        var reply = new OrderReply();
        Assert.True(reply.TryParse(Encoding.UTF8.GetBytes(Platform), "p-s2", "COMI.INT", "Sell"));
        Assert.False(reply.EchoMatches);
        Assert.True(reply.TryParse(Encoding.UTF8.GetBytes(Platform), "p-s1", "COMI.INT", "Buy"));
        Assert.False(reply.EchoMatches);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"title\":\"Conflict\"}")]
    [InlineData("{\"orderId\":\"x\"}")]
    [InlineData("{\"orderId\":1,")]
    public void Anything_but_an_order_is_not_read_as_one(string text)
    {
        Assert.False(new OrderReply().TryParse(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Problem_texts_are_described_and_folded()
    {
        var text = ProblemText.Describe("{\"type\":\"x\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"order 123 is Filled\"}"u8);
        Assert.Equal("Conflict: order 123 is Filled", text);
        Assert.Equal("Conflict: order N is Filled", ProblemText.Normalize(text));
        Assert.Equal("(empty body)", ProblemText.Describe([]));
        Assert.Equal("not json", ProblemText.Describe("not json"u8));
    }

    [Theory]
    [InlineData("new=80,amend=10,cancel=10", 80, 10, 10)]
    [InlineData("cancel=5, new=95", 95, 0, 5)]
    [InlineData("new=100", 100, 0, 0)]
    public void Mixes_parse(string text, int n, int a, int c) => Assert.Equal(new OrderMix(n, a, c), OrderMix.Parse(text));

    [Theory]
    [InlineData("new=80,amend=10")]
    [InlineData("new=80,amend=10,cancel=20")]
    [InlineData("amend=50,cancel=50")]
    [InlineData("new=80,modify=20")]
    [InlineData("new:100")]
    public void Bad_mixes_are_refused(string text) => Assert.Throws<ArgumentException>(() => OrderMix.Parse(text));
}

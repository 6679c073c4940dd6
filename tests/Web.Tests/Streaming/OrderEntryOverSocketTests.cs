using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// Order entry over /ws (issue 17 item 5): order.new, order.amend and order.cancel go through REST's own pipeline and are answered
/// with REST's status and body; bad messages are refused before anything runs, bad orders exactly as REST refuses them.
/// </summary>
public sealed class OrderEntryOverSocketTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task A_trader_enters_amends_and_cancels_an_order_and_follows_it_on_order_updates()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");
        await stream.SendAsync(new { op = "subscribe", channel = "order_updates", accountId = 1001 });
        await stream.NextAsync("ack");

        await stream.SendAsync(new
        {
            op = "order.new", id = "n1",
            order = new { accountId = 1001, clientOrderId = "ws-1", symbol = "COMI.INT", side = "Buy", type = "Limit", price = 79.00m, quantity = 100 },
        });
        var created = await Result(stream, "n1");
        Assert.Equal(("order.new", 201), (created["op"]!.GetValue<string>(), created["status"]!.GetValue<int>()));
        var order = created["body"]!;
        var orderId = order["orderId"]!.GetValue<long>();
        Assert.Equal(("Accepted", "ws-1"), (order["status"]!.GetValue<string>(), order["clientOrderId"]!.GetValue<string>()));
        Assert.NotNull(order["decision"]);
        var accepted = await Next(stream, m => m["type"]!.GetValue<string>() == "order_update" && m["orderId"]!.GetValue<long>() == orderId);
        Assert.Equal("Accepted", accepted["kind"]!.GetValue<string>());

        // The same as REST: the order is there, with the socket's request's answer.
        var trader1 = await _platform.ClientForAsync("trader1");
        var viaRest = (await trader1.SendAsync(HttpMethod.Get, $"/api/v1/orders/{orderId}", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(100, viaRest.Json["quantity"]!.GetValue<long>());

        await stream.SendAsync(new { op = "order.amend", id = 2, orderId, amend = new { quantity = 60 } });
        var amended = await Result(stream, 2);
        Assert.Equal(200, amended["status"]!.GetValue<int>());
        Assert.Equal(60, amended["body"]!["quantity"]!.GetValue<long>());

        await stream.SendAsync(new { op = "order.cancel", id = 3, orderId });
        var canceled = await Result(stream, 3);
        Assert.Equal(200, canceled["status"]!.GetValue<int>());
        Assert.Equal("Canceled", canceled["body"]!["status"]!.GetValue<string>());
        await Next(stream, m => m["type"]!.GetValue<string>() == "order_update" && m["orderId"]!.GetValue<long>() == orderId &&
                                m["status"]!.GetValue<string>() == "Canceled");

        // Sent again: REST's idempotency answers with the order (200); other terms under the same clientOrderId: 409.
        await stream.SendAsync(new
        {
            op = "order.new", id = "n1-again",
            order = new { accountId = 1001, clientOrderId = "ws-1", symbol = "COMI.INT", side = "Buy", type = "Limit", price = 79.00m, quantity = 100 },
        });
        var again = await Result(stream, "n1-again");
        Assert.Equal((200, orderId), (again["status"]!.GetValue<int>(), again["body"]!["orderId"]!.GetValue<long>()));
        await stream.SendAsync(new
        {
            op = "order.new", id = "n1-other",
            order = new { accountId = 1001, clientOrderId = "ws-1", symbol = "COMI.INT", side = "Buy", type = "Limit", price = 78.00m, quantity = 100 },
        });
        Assert.Equal(409, (await Result(stream, "n1-other"))["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bad_order_gets_RESTs_problem_details_and_nothing_is_written()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");
        await stream.SendAsync(new
        {
            op = "order.new", id = "bad",
            order = new { accountId = 1001, clientOrderId = "ws-bad", symbol = "NOPE", side = "Sideways", type = "Limit", quantity = -5 },
        });
        var refused = await Result(stream, "bad");
        Assert.Equal(400, refused["status"]!.GetValue<int>());
        var errors = refused["body"]!["errors"]!.AsObject();
        Assert.Contains("symbol", errors.Select(e => e.Key));
        Assert.Contains("side", errors.Select(e => e.Key));
        Assert.Contains("quantity", errors.Select(e => e.Key));

        var rest = await (await _platform.ClientForAsync("trader1")).SendAsync(HttpMethod.Post, "/api/v1/orders",
            """{"accountId":1001,"clientOrderId":"ws-bad","symbol":"NOPE","side":"Sideways","type":"Limit","quantity":-5}""");
        // Byte for byte REST's answer, but for the trace id: each request is its own trace.
        Assert.Equal(WithoutTraceId(refused["body"]!), WithoutTraceId(rest.Expect(HttpStatusCode.BadRequest).Json));

        var list = (await (await _platform.ClientForAsync("trader1")).SendAsync(HttpMethod.Get, "/api/v1/orders?accountId=1001", null))
            .Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(list.Json["items"]!.AsArray(), o => o!["clientOrderId"]!.GetValue<string>() == "ws-bad");

        // Someone else's order, and someone else's account: 404 and 403 as on REST.
        await stream.SendAsync(new { op = "order.cancel", id = "gone", orderId = 987654 });
        Assert.Equal(404, (await Result(stream, "gone"))["status"]!.GetValue<int>());
        await stream.SendAsync(new
        {
            op = "order.new", id = "theirs",
            order = new { accountId = 2001, clientOrderId = "ws-theirs", symbol = "COMI.INT", side = "Buy", type = "Limit", price = 79.00m, quantity = 10 },
        });
        var theirs = await Result(stream, "theirs");
        Assert.True(theirs["status"]!.GetValue<int>() == 403, theirs.ToJsonString());
    }

    [Fact]
    public async Task An_amend_sent_again_with_its_idempotency_key_after_a_lost_connection_is_answered_as_carried_out()
    {
        long orderId;
        await using (var first = await StreamClient.ConnectAsync(_platform, "trader1"))
        {
            await first.SendAsync(new
            {
                op = "order.new", id = "k1",
                order = new { accountId = 1001, clientOrderId = "ws-key-1", symbol = "COMI.INT", side = "Buy", type = "Limit", price = 78.50m, quantity = 100 },
            });
            orderId = (await Result(first, "k1"))["body"]!["orderId"]!.GetValue<long>();
            await first.SendAsync(new { op = "order.amend", id = "a1", orderId, amend = new { quantity = 70 }, idempotencyKey = "ws-amend-1" });
            var amended = await Result(first, "a1");
            Assert.Equal(200, amended["status"]!.GetValue<int>());
            Assert.Null(amended["replayed"]);
        }

        // A new connection (the first one's answer taken as lost) sends the same amendment again.
        await using var second = await StreamClient.ConnectAsync(_platform, "trader1");
        await second.SendAsync(new { op = "order.amend", id = "a1-again", orderId, amend = new { quantity = 70 }, idempotencyKey = "ws-amend-1" });
        var again = await Result(second, "a1-again");
        Assert.Equal((200, true, 70L), (again["status"]!.GetValue<int>(), again["replayed"]!.GetValue<bool>(), again["body"]!["quantity"]!.GetValue<long>()));
        var events = (await (await _platform.ClientForAsync("trader1")).GetAsync($"/api/v1/orders/{orderId}/events")).Json.AsArray();
        Assert.Single(events, e => e!["kind"]!.GetValue<string>() == "Modified");

        // The key belongs to amendments only; REST checks its form.
        await second.SendAsync(new { op = "order.cancel", id = "c", orderId, idempotencyKey = "ws-cancel-1" });
        Assert.Equal("idempotencyKey", Assert.Single((await second.NextAsync("error"))["errors"]!.AsArray())!["field"]!.GetValue<string>());
        await second.SendAsync(new { op = "order.amend", id = "bad-key", orderId, amend = new { quantity = 60 }, idempotencyKey = "two words" });
        var badKey = await Result(second, "bad-key");
        Assert.Equal(400, badKey["status"]!.GetValue<int>());
        Assert.NotNull(badKey["body"]!["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task A_viewer_may_stream_but_not_trade()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "viewer1");
        await stream.SendAsync(new
        {
            op = "order.new", id = "v",
            order = new { accountId = 1001, clientOrderId = "ws-viewer", symbol = "COMI.INT", side = "Buy", type = "Limit", price = 79.00m, quantity = 10 },
        });
        Assert.Equal(403, (await Result(stream, "v"))["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_malformed_order_message_is_an_error_naming_each_field_and_runs_nothing()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");
        await stream.SendTextAsync("""{"op":"order.new","id":1,"symbol":"COMI.INT"}""");
        var error = await stream.NextAsync("error");
        Assert.Equal("invalid_message", error["code"]!.GetValue<string>());
        var fields = error["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["symbol", "order"], fields);

        await stream.SendTextAsync("""{"op":"order.amend","orderId":-3,"amend":[1]}""");
        fields = (await stream.NextAsync("error"))["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["orderId", "amend"], fields);

        await stream.SendTextAsync("""{"op":"order.cancel","orderId":5,"order":{}}""");
        Assert.Equal("order", Assert.Single((await stream.NextAsync("error"))["errors"]!.AsArray())!["field"]!.GetValue<string>());

        await stream.SendTextAsync("""{"op":"subscribe","channel":"trades","symbol":"COMI.INT","orderId":5}""");
        Assert.Equal("orderId", Assert.Single((await stream.NextAsync("error"))["errors"]!.AsArray())!["field"]!.GetValue<string>());

        // The connection is still open and usable.
        await stream.SendAsync(new { op = "ping", id = "still" });
        Assert.Equal("still", (await stream.NextAsync("pong"))["id"]!.GetValue<string>());
    }

    /// <summary>Messages read while looking for another (an order update can come before its order's result).</summary>
    private readonly List<JsonNode> _seen = [];

    private Task<JsonNode> Result(StreamClient stream, object id) =>
        Next(stream, m => m["type"]!.GetValue<string>() == "order_result" && m["id"]!.ToJsonString() == System.Text.Json.JsonSerializer.Serialize(id));

    private async Task<JsonNode> Next(StreamClient stream, Func<JsonNode, bool> match)
    {
        var earlier = _seen.FirstOrDefault(match);
        if (earlier is not null)
        {
            _seen.Remove(earlier);
            return earlier;
        }
        while (true)
        {
            var message = await stream.ReceiveAsync();
            if (match(message))
            {
                return message;
            }
            _seen.Add(message);
        }
    }

    private static string WithoutTraceId(JsonNode problem)
    {
        var copy = problem.DeepClone().AsObject();
        copy.Remove("traceId");
        return copy.ToJsonString();
    }
}

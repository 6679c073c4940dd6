using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>/ws end to end on the whole platform (in-memory test server): authentication, channels, ownership, bad messages.</summary>
public sealed class GatewayTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task An_upgrade_without_a_valid_token_is_refused_with_401()
    {
        var anonymous = await Assert.ThrowsAnyAsync<Exception>(() => StreamClient.ConnectAsync(_platform, null, inQuery: false));
        Assert.Contains("401", anonymous.Message, StringComparison.Ordinal);
        var forged = await Assert.ThrowsAnyAsync<Exception>(() => StreamClient.ConnectAsync(_platform, "not-a-token", inQuery: false));
        Assert.Contains("401", forged.Message, StringComparison.Ordinal);
        var forgedInQuery = await Assert.ThrowsAnyAsync<Exception>(() => StreamClient.ConnectAsync(_platform, "not-a-token", inQuery: true));
        Assert.Contains("401", forgedInQuery.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_connects_with_the_token_in_the_query_string_and_the_API_still_refuses_tokens_there()
    {
        var token = await StreamClient.TokenAsync(_platform, "trader1");
        await using var stream = await StreamClient.ConnectAsync(_platform, token, inQuery: true);
        await stream.SendAsync(new { op = "ping", id = "p1" });
        Assert.Equal("p1", (await stream.NextAsync("pong"))["id"]!.GetValue<string>());

        var api = _platform.Anonymous();
        var refused = await api.GetAsync("/api/v1/orders?access_token=" + token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task A_plain_request_to_ws_is_told_it_takes_websocket_upgrades_only()
    {
        var trader = await _platform.ClientForAsync("trader1");
        var reply = (await trader.GetAsync("/ws")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("WebSocket", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Market_data_starts_with_a_snapshot_then_sends_each_change_with_the_next_sequence()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "viewer1");
        await stream.SendAsync(new { op = "subscribe", channel = "market_data", symbol = "comi.int", id = 7 });
        var ack = await stream.NextAsync("ack");
        Assert.Equal(7, ack["id"]!.GetValue<int>());
        Assert.Equal("COMI.INT", ack["symbol"]!.GetValue<string>());
        var snapshot = await stream.NextAsync("snapshot");
        Assert.Equal("market_data", snapshot["channel"]!.GetValue<string>());
        Assert.False(snapshot["conflated"]!.GetValue<bool>());
        Assert.Empty(snapshot["bids"]!.AsArray());
        var sequence = snapshot["sequence"]!.GetValue<long>();

        var trader1 = await _platform.ClientForAsync("trader1");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.50m, 60)).Expect(HttpStatusCode.Created);
        // Each update has the next sequence. A quote-only update may come first (seen once under a loaded suite: the platform's own
        // start-up work on the symbol, such as its session phase, published just after the subscription): it has no level changes.
        var update = await stream.NextAsync("update");
        while (update["bids"]!.AsArray().Count == 0 && update["asks"]!.AsArray().Count == 0)
        {
            Assert.Equal(++sequence, update["sequence"]!.GetValue<long>());
            update = await stream.NextAsync("update");
        }
        Assert.Equal("COMI.INT", update["symbol"]!.GetValue<string>());
        Assert.Equal(sequence + 1, update["sequence"]!.GetValue<long>());
        var bid = Assert.Single(update["bids"]!.AsArray())!;
        Assert.Equal(80.50m, bid["price"]!.GetValue<decimal>());
        Assert.Equal(60, bid["quantity"]!.GetValue<long>());
        Assert.Equal(1, bid["orders"]!.GetValue<int>());
        Assert.Equal(80.50m, update["quote"]!["bid"]!.GetValue<decimal>());

        // Subscribing again gives a new snapshot that already holds the change.
        await stream.SendAsync(new { op = "subscribe", channel = "market_data", symbol = "COMI.INT" });
        await stream.NextAsync("ack");
        var again = await stream.NextAsync("snapshot");
        Assert.Equal(sequence + 1, again["sequence"]!.GetValue<long>());
        var level = Assert.Single(again["bids"]!.AsArray())!;
        Assert.Equal(60, level["quantity"]!.GetValue<long>());
        Assert.Equal(60, again["quote"]!["bidQuantity"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_tape_shows_a_cross_without_accounts_or_orders()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");
        await stream.SendAsync(new { op = "subscribe", channel = "trades", symbol = "FAB.INT" });
        Assert.Equal("trades", (await stream.NextAsync("ack"))["channel"]!.GetValue<string>());

        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 15.50m, 40)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 20)).Expect(HttpStatusCode.Created);

        var trade = await stream.NextAsync("trade");
        Assert.Equal("FAB.INT", trade["symbol"]!.GetValue<string>());
        Assert.Equal(15.50m, trade["price"]!.GetValue<decimal>());
        Assert.Equal(20, trade["quantity"]!.GetValue<long>());
        Assert.Equal("Sell", trade["aggressorSide"]!.GetValue<string>());
        Assert.True(trade["tradeId"]!.GetValue<long>() > 0);
        Assert.Null(trade["buyAccountId"]);
        Assert.Null(trade["accountId"]);
        Assert.Null(trade["buyOrderId"]);
    }

    [Fact]
    public async Task Order_updates_reach_only_the_owner_of_the_account_in_journal_order()
    {
        await using var stream1 = await StreamClient.ConnectAsync(_platform, "trader1");
        await using var stream2 = await StreamClient.ConnectAsync(_platform, "trader2");

        await stream1.SendAsync(new { op = "subscribe", channel = "order_updates", accountId = 2001, id = "theirs" });
        var refused = await stream1.NextAsync("error");
        Assert.Equal("account_not_yours", refused["code"]!.GetValue<string>());
        Assert.Equal("theirs", refused["id"]!.GetValue<string>());
        Assert.Contains("2001", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await stream1.SendAsync(new { op = "subscribe", channel = "order_updates" });
        var ack = await stream1.NextAsync("ack");
        Assert.Contains(1001, ack["accounts"]!.AsArray().Select(a => a!.GetValue<long>()));
        Assert.DoesNotContain(2001, ack["accounts"]!.AsArray().Select(a => a!.GetValue<long>()));
        await stream2.SendAsync(new { op = "subscribe", channel = "order_updates", accountId = 2001 });
        await stream2.NextAsync("ack");

        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        var theirs = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 81.00m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var mine = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 81.00m, 10)).Expect(HttpStatusCode.Created).OrderId;

        // trader1 sees its own order's updates (accepted, then the fill), never trader2's, which came earlier in the journal.
        var received = new List<JsonNode>();
        while (received.Count == 0 || received[^1]["status"]!.GetValue<string>() != "Filled")
        {
            var update = await stream1.NextAsync("order_update");
            Assert.Equal(1001, update["accountId"]!.GetValue<long>());
            Assert.Equal(mine, update["orderId"]!.GetValue<long>());
            received.Add(update);
        }
        Assert.True(received.Count >= 2, "an acceptance and a fill");
        var sequences = received.Select(u => u["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(10, received[^1]["fillQuantity"]!.GetValue<long>());

        var first2 = await stream2.NextAsync("order_update");
        Assert.Equal(theirs, first2["orderId"]!.GetValue<long>());
        Assert.True(first2["sequence"]!.GetValue<long>() < sequences[0]);
    }

    [Fact]
    public async Task A_client_that_resumes_from_a_journal_sequence_gets_every_update_it_missed_then_live_ones_without_duplicates()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        var seen = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 10)).Expect(HttpStatusCode.Created).OrderId;
        var lastSeen = (await trader1.GetAsync($"/api/v1/orders/{seen}/events")).Json.AsArray().Max(e => e!["sequence"]!.GetValue<long>());
        // While the client was away: an order of its own, an order of someone else's, and a cross that fills its own.
        var missed = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 10)).Expect(HttpStatusCode.Created).OrderId;
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 81.50m, 10)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 79.50m, 10)).Expect(HttpStatusCode.Created);
        var missedEvents = (await trader1.GetAsync($"/api/v1/orders/{missed}/events")).Json.AsArray().Select(e => e!["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(2, missedEvents.Count); // accepted, filled

        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");
        await stream.SendAsync(new { op = "subscribe", channel = "order_updates", fromSequence = lastSeen });
        await stream.NextAsync("ack");
        var live = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78.00m, 10)).Expect(HttpStatusCode.Created).OrderId;

        var received = new List<JsonNode>();
        while (received.Count == 0 || received[^1]["orderId"]!.GetValue<long>() != live)
        {
            received.Add(await stream.NextAsync("order_update"));
        }
        Assert.All(received, u => Assert.Equal(1001, u["accountId"]!.GetValue<long>()));
        Assert.Equal([missed, missed, live], received.Select(u => u["orderId"]!.GetValue<long>()));
        Assert.Equal(missedEvents, received.Take(2).Select(u => u["sequence"]!.GetValue<long>()));
        Assert.Equal(["Accepted", "Filled"], received.Take(2).Select(u => u["kind"]!.GetValue<string>()));
        await stream.SendAsync(new { op = "ping" });
        await stream.NextAsync("pong"); // nothing else came: no duplicates
    }

    [Fact]
    public async Task A_firm_wide_reader_may_follow_any_account()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "viewer1");
        await stream.SendAsync(new { op = "subscribe", channel = "order_updates", accountId = 2001 });
        Assert.Equal(2001, (await stream.NextAsync("ack"))["accountId"]!.GetValue<long>());
        var trader2 = await _platform.ClientForAsync("trader2");
        var order = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 82.00m, 10)).Expect(HttpStatusCode.Created).OrderId;
        Assert.Equal(order, (await stream.NextAsync("order_update"))["orderId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Each_bad_message_gets_an_error_saying_what_is_wrong_and_the_connection_stays()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");

        await stream.SendTextAsync("""{"op":"subscribe", "channel": }""");
        var malformed = await stream.NextAsync("error");
        Assert.Equal("malformed_json", malformed["code"]!.GetValue<string>());
        Assert.Contains("line 1, byte", malformed["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await stream.SendAsync(new { op = "subscribe", channel = "news", symbol = "COMI.INT", id = 2 });
        var channel = await stream.NextAsync("error");
        Assert.Equal("unknown_channel", channel["code"]!.GetValue<string>());
        Assert.Equal(2, channel["id"]!.GetValue<int>());
        Assert.Contains("market_data", channel["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await stream.SendAsync(new { op = "subscribe", channel = "market_data", symbol = "NOPE.INT" });
        var symbol = await stream.NextAsync("error");
        Assert.Equal("unknown_symbol", symbol["code"]!.GetValue<string>());
        Assert.Equal("symbol", symbol["errors"]![0]!["field"]!.GetValue<string>());

        await stream.SendAsync(new { op = "buy", channel = "trades" });
        Assert.Equal("unknown_op", (await stream.NextAsync("error"))["code"]!.GetValue<string>());

        // Every field's problem at once.
        await stream.SendAsync(new { op = "subscribe", channel = "trades", accountId = -4, colour = "red" });
        var several = await stream.NextAsync("error");
        Assert.Equal("invalid_message", several["code"]!.GetValue<string>());
        Assert.Equal(["accountId", "colour", "symbol"], several["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).Order());

        await stream.SendTextAsync(new string('x', 5000));
        Assert.Equal("message_too_large", (await stream.NextAsync("error"))["code"]!.GetValue<string>());

        await stream.SendAsync(new { op = "unsubscribe", channel = "trades", symbol = "COMI.INT" });
        Assert.Equal("not_subscribed", (await stream.NextAsync("error"))["code"]!.GetValue<string>());

        await stream.SendAsync(new { op = "ping", id = "still-here" });
        Assert.Equal("still-here", (await stream.NextAsync("pong"))["id"]!.GetValue<string>());
        Assert.Equal(WebSocketState.Open, stream.Socket.State);
    }

    [Fact]
    public async Task A_revoked_token_is_told_and_closed_with_policy_violation()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader2");
        var admin = await _platform.ClientForAsync("admin");
        (await admin.PatchJsonAsync("/api/v1/users/3", new { isActive = false })).Expect(HttpStatusCode.OK);

        var (status, reason, before) = await stream.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("token revoked", reason);
        Assert.Contains(before, m => m["type"]!.GetValue<string>() == "error" && m["code"]!.GetValue<string>() == "token_revoked");
    }

    [Fact]
    public async Task When_the_token_expires_the_client_is_told_and_the_connection_closed_with_policy_violation()
    {
        // Access tokens of three seconds.
        await using var platform = new PlatformFactory { Settings = { ["Auth:AccessTokenLifetimeMinutes"] = "0.05" } };
        await using var stream = await StreamClient.ConnectAsync(platform, "trader1");
        var (status, reason, before) = await stream.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("token expired", reason);
        var notice = Assert.Single(before, m => m["type"]!.GetValue<string>() == "error");
        Assert.Equal("token_expired", notice["code"]!.GetValue<string>());
        Assert.Contains("/connect/token", notice["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_stops_tells_its_clients_and_closes_with_going_away()
    {
        var platform = new PlatformFactory();
        await using var stream = await StreamClient.ConnectAsync(platform, "viewer1");
        var stopping = platform.DisposeAsync().AsTask();
        var (status, reason, before) = await stream.ClosedAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("server shutting down", reason);
        Assert.Contains(before, m => m["type"]!.GetValue<string>() == "error" && m["code"]!.GetValue<string>() == "server_shutdown");
        await stream.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await stopping;
    }

    [Fact]
    public async Task Heartbeats_come_at_the_configured_interval()
    {
        await using var platform = new PlatformFactory { Settings = { ["Streaming:HeartbeatSeconds"] = "1" } };
        await using var stream = await StreamClient.ConnectAsync(platform, "viewer1");
        var heartbeat = await stream.NextAsync("heartbeat");
        Assert.True(heartbeat["time"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task The_AsyncAPI_document_names_every_channel_and_every_message_the_server_sends()
    {
        var reply = (await _platform.Anonymous().GetAsync("/asyncapi/v1.json")).Expect(HttpStatusCode.OK);
        var document = reply.Json;
        Assert.Equal("3.0.0", document["asyncapi"]!.GetValue<string>());
        var channels = document["channels"]!.AsObject();
        foreach (var channel in TradSys.Web.Streaming.StreamMessages.Channels)
        {
            Assert.True(channels.ContainsKey(channel), $"channel {channel}");
        }
        var messages = document["components"]!["messages"]!.AsObject();
        foreach (var type in TradSys.Web.Streaming.StreamMessages.ServerTypes)
        {
            Assert.True(messages.ContainsKey(type), $"message {type}");
            Assert.Equal(type, messages[type]!["payload"]!["properties"]!["type"]!["const"]!.GetValue<string>());
        }
        // Every $ref resolves.
        foreach (var reference in References(document))
        {
            JsonNode? target = document;
            foreach (var part in reference.TrimStart('#', '/').Split('/'))
            {
                target = target?[part];
            }
            Assert.True(target is not null, $"unresolved {reference}");
        }
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}

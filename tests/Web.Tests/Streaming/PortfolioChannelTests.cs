using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// The portfolio channel of /ws: one account's positions with P&amp;L, cash and buying power, sent whole when the subscription starts
/// and again after each change (a trade, an order that reserves buying power, a deposit), with the same figures REST answers; an
/// account is the subscriber's own (or any, for the firm-wide readers) and must be named.
/// </summary>
public sealed class PortfolioChannelTests : IAsyncDisposable
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 13:00 in Abu Dhabi, continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly PlatformFactory _platform = new();

    public PortfolioChannelTests() => _platform.Clock.Fixed = Monday;

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    [Fact]
    public async Task The_first_state_then_each_change_arrive_with_the_figures_REST_gives()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");
        var trader1 = await _platform.ClientForAsync("trader1");

        await stream.SendAsync(new { op = "subscribe", channel = "portfolio", accountId = 1001, id = "p" });
        var ack = await stream.NextAsync("ack");
        Assert.Equal("portfolio", ack["channel"]!.GetValue<string>());
        Assert.Equal(1001, ack["accountId"]!.GetValue<long>());
        var first = await stream.NextAsync("portfolio");
        Assert.Equal("portfolio", first["channel"]!.GetValue<string>());
        Assert.Equal(1001, first["accountId"]!.GetValue<long>());
        await AssertAsRestAsync(trader1, first);
        var fabBefore = Quantity(first, "FAB");
        var buyingPowerBefore = first["cash"]!["buyingPower"]!.GetValue<decimal>();

        // A resting buy reserves buying power: a new state, with the order's reserve counted and no position change.
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.40m, 100)).Expect(HttpStatusCode.Created);
        var reserved = await NextStateAsync(stream, m => m["cash"]!["reservingOrders"]!.GetValue<int>() == 1);
        Assert.True(reserved["cash"]!["buyingPower"]!.GetValue<decimal>() < buyingPowerBefore,
            $"a resting buy of 100 FAB reduces buying power: {reserved.ToJsonString()}");
        Assert.Equal(fabBefore, Quantity(reserved, "FAB"));
        Assert.True(reserved["journalSequence"]!.GetValue<long>() > first["journalSequence"]!.GetValue<long>());

        // trader2 sells into it: the fill moves the position to +100 FAB at 15.40, valued at the day's last price.
        (await (await _platform.ClientForAsync("trader2")).SubmitAsync(2001, "FAB", "Sell", 15.40m, 100)).Expect(HttpStatusCode.Created);
        var filled = await NextStateAsync(stream, m => Quantity(m, "FAB") == fabBefore + 100 && m["cash"]!["reservingOrders"]!.GetValue<int>() == 0);
        var fab = Position(filled, "FAB")!;
        Assert.Equal("Last", fab["priceSource"]!.GetValue<string>());
        Assert.Equal(15.40m, fab["price"]!.GetValue<decimal>());
        await AssertAsRestAsync(trader1, filled);

        // A deposit (the back office) raises cash and buying power by its amount: the next state says so.
        var cashBefore = filled["cash"]!["buyingPower"]!.GetValue<decimal>();
        var aedBefore = Available(filled, "AED");
        (await (await _platform.ClientForAsync("ops1")).PostJsonAsync("/api/v1/accounts/1001/cash/deposits",
            new { currency = "AED", amount = 1000m, reference = "WS-1", reason = "wire" })).Expect(HttpStatusCode.Created);
        var deposited = await NextStateAsync(stream, m => Available(m, "AED") == aedBefore + 1000m);
        Assert.True(deposited["cash"]!["buyingPower"]!.GetValue<decimal>() > cashBefore);
        await AssertAsRestAsync(trader1, deposited);

        await stream.SendAsync(new { op = "unsubscribe", channel = "portfolio", accountId = 1001 });
        Assert.Equal("unsubscribe", (await stream.NextAsync("ack"))["op"]!.GetValue<string>());
        // No more states once unsubscribed: the next message is the answer to a ping sent after another change.
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.30m, 10)).Expect(HttpStatusCode.Created);
        await stream.SendAsync(new { op = "ping", id = "after" });
        Assert.Equal("after", (await stream.NextAsync("pong"))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_subscription_names_one_account_the_caller_may_read()
    {
        await using var stream = await StreamClient.ConnectAsync(_platform, "trader1");

        await stream.SendAsync(new { op = "subscribe", channel = "portfolio", id = 1 });
        var noAccount = await stream.NextAsync("error");
        Assert.Equal("invalid_message", noAccount["code"]!.GetValue<string>());
        Assert.Equal("accountId", noAccount["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("required for portfolio", noAccount["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await stream.SendAsync(new { op = "subscribe", channel = "portfolio", accountId = 1001, symbol = "FAB" });
        var bySymbol = await stream.NextAsync("error");
        Assert.Equal("symbol", bySymbol["errors"]![0]!["field"]!.GetValue<string>());

        await stream.SendAsync(new { op = "subscribe", channel = "portfolio", accountId = 2001 });
        Assert.Equal("account_not_yours", (await stream.NextAsync("error"))["code"]!.GetValue<string>());

        await stream.SendAsync(new { op = "unsubscribe", channel = "portfolio", accountId = 1001 });
        Assert.Equal("not_subscribed", (await stream.NextAsync("error"))["code"]!.GetValue<string>());

        // A firm-wide reader may follow any account, but it has to exist.
        await using var risk = await StreamClient.ConnectAsync(_platform, "risk1");
        await risk.SendAsync(new { op = "subscribe", channel = "portfolio", accountId = 999999 });
        var unknown = await risk.NextAsync("error");
        Assert.Equal("unknown_account", unknown["code"]!.GetValue<string>());
        Assert.Contains("999999", unknown["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await risk.SendAsync(new { op = "subscribe", channel = "portfolio", accountId = 2001 });
        await risk.NextAsync("ack");
        Assert.Equal(2001, (await risk.NextAsync("portfolio"))["accountId"]!.GetValue<long>());
    }

    /// <summary>The portfolio states until one matches (each replaces the last; a change may be conflated with the next).</summary>
    private static async Task<JsonNode> NextStateAsync(StreamClient stream, Func<JsonNode, bool> done)
    {
        while (true)
        {
            var state = await stream.NextAsync("portfolio");
            Assert.Equal(1001, state["accountId"]!.GetValue<long>());
            if (done(state))
            {
                return state;
            }
        }
    }

    /// <summary>
    /// The state's positions and cash are what REST answers now (nothing has changed since it was sent); the stream omits absent
    /// fields where REST writes null.
    /// </summary>
    private static async Task AssertAsRestAsync(ApiClient client, JsonNode state)
    {
        var positions = WithoutNulls((await client.GetAsync("/api/v1/positions?accountId=1001")).Expect(HttpStatusCode.OK).Json);
        Assert.True(JsonNode.DeepEquals(positions, state["positions"]), $"positions: REST {positions.ToJsonString()} against {state["positions"]!.ToJsonString()}");
        var cash = WithoutNulls((await client.GetAsync("/api/v1/accounts/1001/cash")).Expect(HttpStatusCode.OK).Json);
        Assert.True(JsonNode.DeepEquals(cash, state["cash"]), $"cash: REST {cash.ToJsonString()} against {state["cash"]!.ToJsonString()}");
    }

    private static JsonNode WithoutNulls(JsonNode node)
    {
        var copy = node.DeepClone();
        Strip(copy);
        return copy;

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
                    {
                        o.Remove(key);
                    }
                    foreach (var (_, value) in o)
                    {
                        Strip(value);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Strip(item);
                    }
                    break;
            }
        }
    }

    private static JsonNode? Position(JsonNode state, string symbol) =>
        state["positions"]!.AsArray().FirstOrDefault(p => p!["symbol"]!.GetValue<string>() == symbol);

    private static long Quantity(JsonNode state, string symbol) => Position(state, symbol)?["quantity"]!.GetValue<long>() ?? 0;

    private static decimal Available(JsonNode state, string currency) =>
        state["cash"]!["currencies"]!.AsArray().FirstOrDefault(c => c!["currency"]!.GetValue<string>() == currency)?["available"]!.GetValue<decimal>() ?? 0m;
}

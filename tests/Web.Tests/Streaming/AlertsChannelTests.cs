using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// The alerts channel of /ws: a risk alert raised by the monitor reaches, through the bus, the connections that follow its account
/// (the account's trader, the risk officer), never another trader's; the same alert as the REST list, by id.
/// </summary>
public sealed class AlertsChannelTests : IAsyncDisposable
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 13:00 in Abu Dhabi, continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly PlatformFactory _platform = new() { Settings = new() { ["Risk:AlertIntervalSeconds"] = "0" } };

    public AlertsChannelTests() => _platform.Clock.Fixed = Monday;

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    [Fact]
    public async Task A_raised_alert_reaches_the_accounts_trader_and_the_risk_officer_and_no_other_trader()
    {
        await using var trader1Stream = await StreamClient.ConnectAsync(_platform, "trader1");
        await using var trader2Stream = await StreamClient.ConnectAsync(_platform, "trader2");
        await using var riskStream = await StreamClient.ConnectAsync(_platform, "risk1");

        await trader1Stream.SendAsync(new { op = "subscribe", channel = "alerts", accountId = 2001, id = "theirs" });
        var refused = await trader1Stream.NextAsync("error");
        Assert.Equal("account_not_yours", refused["code"]!.GetValue<string>());
        Assert.Equal("accountId", refused["errors"]![0]!["field"]!.GetValue<string>());
        await trader1Stream.SendAsync(new { op = "subscribe", channel = "alerts", symbol = "FAB" });
        var bySymbol = await trader1Stream.NextAsync("error");
        Assert.Equal("invalid_message", bySymbol["code"]!.GetValue<string>());
        Assert.Contains("alerts is per account", bySymbol["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await trader1Stream.SendAsync(new { op = "subscribe", channel = "alerts", id = 1 });
        var ack = await trader1Stream.NextAsync("ack");
        Assert.Equal("alerts", ack["channel"]!.GetValue<string>());
        Assert.Contains(1001, ack["accounts"]!.AsArray().Select(a => a!.GetValue<long>()));
        await trader2Stream.SendAsync(new { op = "subscribe", channel = "alerts" });
        await trader2Stream.NextAsync("ack");
        await riskStream.SendAsync(new { op = "subscribe", channel = "alerts", accountId = 1001 });
        await riskStream.NextAsync("ack");

        // A position limit on FAB that account 1001 comes near: 300 of 350 shares.
        var risk = await _platform.ClientForAsync("risk1");
        (await MakerChecker.SetLimitsAsync(_platform, risk, "instrument", "FAB",
            new { currency = "AED", maxLongPosition = 350, reason = "concentration", version = 0 })).Expect(HttpStatusCode.OK);
        (await (await _platform.ClientForAsync("trader2")).SubmitAsync(2001, "FAB", "Sell", 15.50m, 400)).Expect(HttpStatusCode.Created);
        (await (await _platform.ClientForAsync("trader1")).SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        var raised = Assert.Single(await _platform.Services.GetRequiredService<RiskAlertMonitor>().CheckAsync(CancellationToken.None));

        var mine = await trader1Stream.NextAsync("alert");
        Assert.Equal("alerts", mine["channel"]!.GetValue<string>());
        Assert.Equal(raised.Id, mine["alertId"]!.GetValue<long>());
        Assert.Equal(1001, mine["accountId"]!.GetValue<long>());
        Assert.Equal("Near", mine["level"]!.GetValue<string>());
        Assert.Equal("FAB", mine["symbol"]!.GetValue<string>());
        Assert.Equal(350m, mine["limitValue"]!.GetValue<decimal>());
        Assert.Equal(300m, mine["used"]!.GetValue<decimal>());
        Assert.Equal(raised.Message, mine["message"]!.GetValue<string>());
        var officers = await riskStream.NextAsync("alert");
        Assert.Equal(raised.Id, officers["alertId"]!.GetValue<long>());
        // The same alert in the REST list, where it is acknowledged.
        var listed = (await risk.GetAsync("/api/v1/risk/alerts?accountId=1001")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(raised.Id, Assert.Single(listed)!["id"]!.GetValue<long>());

        // trader2 follows only its own accounts: the next thing it gets is the answer to its ping, not the alert.
        await trader2Stream.SendAsync(new { op = "ping", id = "after" });
        Assert.Equal("after", (await trader2Stream.NextAsync("pong"))["id"]!.GetValue<string>());

        await trader1Stream.SendAsync(new { op = "unsubscribe", channel = "alerts" });
        Assert.Equal("unsubscribe", (await trader1Stream.NextAsync("ack"))["op"]!.GetValue<string>());
        await trader1Stream.SendAsync(new { op = "unsubscribe", channel = "alerts" });
        Assert.Equal("not_subscribed", (await trader1Stream.NextAsync("error"))["code"]!.GetValue<string>());
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// Risk alerts: raised once per crossing of 80% and of 100% of a limit and when it no longer applies, stored, shown to the risk officer
/// and to the account's trader only, and acknowledged once (audited). The monitor's timer is off; each test runs its check directly.
/// </summary>
public sealed class RiskAlertTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 13:00 in Abu Dhabi, continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_position_limit_alerts_once_when_near_once_when_breached_and_once_when_it_no_longer_applies()
    {
        await using var platform = new PlatformFactory { Settings = new() { ["Risk:AlertIntervalSeconds"] = "0" } };
        platform.Clock.Fixed = Monday;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var risk = await platform.ClientForAsync("risk1");
        var monitor = platform.Services.GetRequiredService<RiskAlertMonitor>();
        Task<Reply> Limit(object body) => MakerChecker.SetLimitsAsync(platform, risk, "instrument", "FAB", body);

        (await Limit(new { currency = "AED", maxLongPosition = 350, reason = "concentration", version = 0 })).Expect(HttpStatusCode.OK);
        Assert.Empty(await monitor.CheckAsync(CancellationToken.None));
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 400)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);

        var near = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal("account 1001: MaxLongPosition FAB set for instrument FAB is 80% used or more: 300 of 350 shares (85.71%)", near.Message);
        Assert.Empty(await monitor.CheckAsync(CancellationToken.None)); // once per crossing, not once per check

        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 50)).Expect(HttpStatusCode.Created);
        var breached = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal(TradSys.Web.Persistence.Entities.RiskAlertLevel.Breached, breached.Level);
        Assert.Equal(100m, breached.UtilisationPct);

        // The risk officer sees both and acknowledges the breach once; the trader sees their account's; the other trader none of them.
        var alerts = (await risk.GetAsync("/api/v1/risk/alerts?accountId=1001")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Breached", "Near"], alerts.Select(a => a!["level"]!.GetValue<string>()));
        var id = alerts[0]!["id"]!.GetValue<long>();
        var acknowledged = (await risk.PostJsonAsync($"/api/v1/risk/alerts/{id}/acknowledge", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("risk1", acknowledged["acknowledgedBy"]!.GetValue<string>());
        (await risk.PostJsonAsync($"/api/v1/risk/alerts/{id}/acknowledge", new { })).Expect(HttpStatusCode.Conflict);
        (await risk.PostJsonAsync("/api/v1/risk/alerts/999999/acknowledge", new { })).Expect(HttpStatusCode.NotFound);
        Assert.Single((await risk.GetAsync("/api/v1/risk/alerts?accountId=1001&unacknowledged=true")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Equal(2, (await trader1.GetAsync("/api/v1/risk/alerts")).Expect(HttpStatusCode.OK).Json.AsArray().Count);
        Assert.Empty((await trader2.GetAsync("/api/v1/risk/alerts")).Expect(HttpStatusCode.OK).Json.AsArray());
        (await trader2.GetAsync("/api/v1/risk/alerts?accountId=1001")).Expect(HttpStatusCode.Forbidden);
        (await trader1.PostJsonAsync($"/api/v1/risk/alerts/{id}/acknowledge", new { })).Expect(HttpStatusCode.Forbidden);
        Assert.Single((await risk.GetAsync("/api/v1/risk/alerts?level=Nonsense")).Expect(HttpStatusCode.BadRequest).Errors("level"));

        // The limit is lifted: what was alerted on it is cleared, once.
        (await Limit(new { currency = "AED", reason = "limit lifted", version = 1 })).Expect(HttpStatusCode.OK);
        var cleared = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal(TradSys.Web.Persistence.Entities.RiskAlertLevel.Cleared, cleared.Level);
        Assert.Contains("no longer applies", cleared.Message, StringComparison.Ordinal);
        Assert.Empty(await monitor.CheckAsync(CancellationToken.None));
    }
}

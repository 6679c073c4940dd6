using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// The VaR limit (maxVar): set through the limits API and its maker-checker approval, checked by the risk alert monitor against the
/// account's VaR as GET /api/v1/risk/var computes it (historical, 1 day, 99%), never per order; alerts once when 80% used, once when
/// exceeded and once when lifted, on the same alert feed as the other limits.
/// </summary>
public sealed class VarLimitTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 13:00 in Abu Dhabi, continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_accounts_VaR_above_its_limit_raises_an_alert_from_the_monitor_while_orders_are_not_checked_against_it()
    {
        await using var platform = new PlatformFactory
        {
            Settings = new() { ["Risk:AlertIntervalSeconds"] = "0", ["Risk:VarAlertIntervalSeconds"] = "0" },
        };
        platform.Clock.Fixed = Monday;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var risk = await platform.ClientForAsync("risk1");
        var monitor = platform.Services.GetRequiredService<RiskAlertMonitor>();
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 400)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        async Task<decimal> VarAsync() => (await risk.GetAsync("/api/v1/risk/var?accountId=1001&method=historical&horizon=1&confidence=0.99&currency=AED"))
            .Expect(HttpStatusCode.OK).Json["valueAtRisk"]!.GetValue<decimal>();
        var before = await VarAsync();
        Assert.True(before > 0);

        // Every problem at once: a VaR limit is an account's, not an instrument's, and must be positive.
        var wrong = (await risk.SendAsync(HttpMethod.Put, "/api/v1/risk/limits/instrument/FAB",
            """{"currency":"AED","maxVar":1000,"reason":"var","version":0}""")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["is a limit of an account's VaR: set it for the firm, a client category or an account, not an instrument"], wrong.Errors("maxVar"));
        var negative = (await risk.SendAsync(HttpMethod.Put, "/api/v1/risk/limits/account/1001",
            """{"currency":"AED","maxVar":-5,"reason":"var","version":0}""")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["must be positive (leave it out or null for no limit at this scope)"], negative.Errors("maxVar"));

        // The limit, through maker-checker: the VaR is 80% of it or more, under it.
        var limit = decimal.Round(before * 1.1m, 2);
        var set = (await MakerChecker.SetLimitsAsync(platform, risk, "account", "1001", new { currency = "AED", maxVar = limit, reason = "VaR budget", version = 0 }))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(limit, set["maxVar"]!.GetValue<decimal>());
        var near = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal((VarLimitCheck.Limit, RiskAlertLevel.Near, limit, before, "AED"), (near.Limit, near.Level, near.LimitValue, near.Used, near.Unit));
        Assert.StartsWith("account 1001: MaxVar set for account 1001 is 80% used or more", near.Message, StringComparison.Ordinal);
        Assert.Empty(await monitor.CheckAsync(CancellationToken.None));

        // An order that takes the VaR over the limit is not refused (VaR is not a pre-trade check); the monitor alerts.
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 100)).Expect(HttpStatusCode.Created).Str("status"));
        var after = await VarAsync();
        Assert.True(after > limit, $"VaR {after} should exceed {limit}");
        var breached = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal((RiskAlertLevel.Breached, after), (breached.Level, breached.Used));
        Assert.Equal(decimal.Round(after / limit * 100m, 2), decimal.Round(breached.UtilisationPct!.Value, 2));

        // On the alert feed the trader and the risk officer read.
        var alerts = (await trader1.GetAsync("/api/v1/risk/alerts?accountId=1001")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal([("MaxVar", "Breached"), ("MaxVar", "Near")], alerts.Select(a => (a!["limit"]!.GetValue<string>(), a["level"]!.GetValue<string>())));

        // Lifted: cleared, once.
        (await MakerChecker.SetLimitsAsync(platform, risk, "account", "1001", new { currency = "AED", reason = "VaR budget lifted", version = 1 }))
            .Expect(HttpStatusCode.OK);
        var cleared = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal((VarLimitCheck.Limit, RiskAlertLevel.Cleared), (cleared.Limit, cleared.Level));
        Assert.Empty(await monitor.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_exposure_shows_the_VaR_limit_next_to_the_others_with_the_VaR_the_monitor_last_computed_its_time_and_method()
    {
        await using var platform = new PlatformFactory
        {
            Settings = new() { ["Risk:AlertIntervalSeconds"] = "0", ["Risk:VarAlertIntervalSeconds"] = "0" },
        };
        platform.Clock.Fixed = Monday;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var risk = await platform.ClientForAsync("risk1");
        var monitor = platform.Services.GetRequiredService<RiskAlertMonitor>();
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 400)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        var var = (await risk.GetAsync("/api/v1/risk/var?accountId=1001&method=historical&horizon=1&confidence=0.99&currency=AED"))
            .Expect(HttpStatusCode.OK).Json["valueAtRisk"]!.GetValue<decimal>();
        Assert.True(var > 0);
        var limit = decimal.Round(var * 2m, 2);
        (await MakerChecker.SetLimitsAsync(platform, risk, "account", "1001", new { currency = "AED", maxVar = limit, reason = "VaR budget", version = 0 }))
            .Expect(HttpStatusCode.OK);

        // Before the monitor has computed it: no made-up figure, the limit is named in the problems.
        var early = (await risk.GetAsync("/api/v1/risk/exposure?accountId=1001")).Expect(HttpStatusCode.OK).Json;
        Assert.DoesNotContain(early["utilisation"]!.AsArray(), r => r!["limit"]!.GetValue<string>() == "MaxVar");
        Assert.Contains(early["problems"]!.AsArray(), p => p!.GetValue<string>().StartsWith("account 1001, MaxVar set for account 1001 (version ",
            StringComparison.Ordinal) && p.GetValue<string>().EndsWith("): the risk alert monitor has not computed its VaR against this limit yet", StringComparison.Ordinal));

        // After a check: the limit beside the other limits, the VaR the API computes, 50% used, as of the check, by its method.
        await monitor.CheckAsync(CancellationToken.None);
        foreach (var path in new[] { "/api/v1/risk/exposure?accountId=1001", "/api/v1/risk/exposure" })
        {
            var utilisation = (await risk.GetAsync(path)).Expect(HttpStatusCode.OK).Json["utilisation"]!.AsArray();
            var row = Assert.Single(utilisation, r => r!["limit"]!.GetValue<string>() == "MaxVar")!;
            Assert.Equal((1001L, "account 1001", limit, var, "AED", 50m, false, false),
                (row["accountId"]!.GetValue<long>(), row["scope"]!.GetValue<string>(), row["limitValue"]!.GetValue<decimal>(), row["used"]!.GetValue<decimal>(),
                 row["unit"]!.GetValue<string>(), row["utilisationPct"]!.GetValue<decimal>(), row["breached"]!.GetValue<bool>(), row["near"]!.GetValue<bool>()));
            Assert.Equal(Monday.UtcDateTime, row["asOf"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal(VarLimitCheck.Method, row["method"]!.GetValue<string>());
            Assert.Contains(utilisation, r => r!["limit"]!.GetValue<string>() == "BuyingPower" && r["accountId"]!.GetValue<long>() == 1001);
            Assert.All(utilisation.Where(r => r!["limit"]!.GetValue<string>() != "MaxVar"), r => Assert.Null(r!["asOf"]));
        }
        // A trader reads their own account's VaR limit the same way; another account's limit rows are not theirs to see.
        var own = (await trader1.GetAsync("/api/v1/risk/exposure")).Expect(HttpStatusCode.OK).Json["utilisation"]!.AsArray();
        Assert.Equal(var, Assert.Single(own, r => r!["limit"]!.GetValue<string>() == "MaxVar")!["used"]!.GetValue<decimal>());
        var other = (await trader2.GetAsync("/api/v1/risk/exposure")).Expect(HttpStatusCode.OK).Json["utilisation"]!.AsArray();
        Assert.DoesNotContain(other, r => r!["limit"]!.GetValue<string>() == "MaxVar");
    }
}

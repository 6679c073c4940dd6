using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// The volume collar through POST /api/v1/orders: an order's quantity as a percentage of the instrument's average daily volume (the
/// larger of the platform's trades over the last 20 trading days and the venue's figure in the reference data), refusing an order just
/// above it and taking one at it, with the risk reason code, the message and the explanation's figures.
/// </summary>
public sealed class VolumeCollarTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_volume_collar_refuses_an_order_just_above_it_takes_one_at_it_and_counts_the_platform_trades_of_earlier_days()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        // Monday: 1,000 COMI.INT trade on the platform.
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80m, 1_000)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 1_000)).Expect(HttpStatusCode.Created).Str("status"));
        platform.Clock.Fixed = Monday.AddDays(1);

        // 0.01% of the reference data's 4,000,000 shares a day (larger than the platform's 1,000 / 20 days = 50) is 400 shares.
        (await MakerChecker.SetLimitsAsync(platform, risk, "instrument", "COMI.INT", new { maxAdvPct = 0.01m, reason = "market impact" }))
            .Expect(HttpStatusCode.OK);
        var above = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 410)).Expect(HttpStatusCode.Created);
        Assert.Equal(2012, above.Long("rejectCode"));
        Assert.Contains("the order's quantity 410 is 0.01025% of the average daily volume of COMI.INT, 4,000,000 shares (the venue's figure in " +
                        "the reference data), above the volume collar 0.01% set for instrument COMI.INT", above.Str("rejectReason"), StringComparison.Ordinal);
        var rule = above.Json["decision"]!["explanation"]!.AsArray().Single()!;
        Assert.Equal("RISK.ADV_COLLAR", rule["ruleId"]!.GetValue<string>());
        var inputs = rule["inputs"]!;
        Assert.Equal((4_000_000L, 50L, 20), (inputs["Market.AverageDailyVolume"]!.GetValue<long>(),
            inputs["Market.PlatformAverageDailyVolume"]!.GetValue<long>(), inputs["Market.AdvDays"]!.GetValue<int>()));

        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 400)).Expect(HttpStatusCode.Created).Str("status"));
        // A sell is collared too: moving the market either way is the risk.
        Assert.Equal(2012, (await trader1.SubmitAsync(1001, "COMI.INT", "Sell", 81m, 410)).Expect(HttpStatusCode.Created).Long("rejectCode"));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// Live exposure and limit utilisation through the API: positions from real trades, marked at the last trade, broken down gross and
/// net by instrument, issuer, currency and venue, and each limit's use, nearest first; a trader sees only their own accounts.
/// </summary>
public sealed class ExposureApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo and 13:00 in Abu Dhabi, both in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static JsonNode Row(JsonNode exposure, string breakdown, string key) =>
        exposure[breakdown]!.AsArray().Single(r => r!["key"]!.GetValue<string>() == key)!;

    private static (decimal Long, decimal Short, decimal Gross, decimal Net) Figures(JsonNode row) =>
        (row["long"]!.GetValue<decimal>(), row["short"]!.GetValue<decimal>(), row["gross"]!.GetValue<decimal>(), row["net"]!.GetValue<decimal>());

    [Fact]
    public async Task The_firm_sees_gross_and_net_exposure_by_each_breakdown_and_the_limits_nearest_their_use_first()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var risk = await platform.ClientForAsync("risk1");
        // 2001 sells FAB it has borrowed to 1001; 2001 sells ETEL short to 1002.
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created).Str("status"));
        (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 50)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1002, "ETEL", "Buy", 38.00m, 50)).Expect(HttpStatusCode.Created).Str("status"));
        (await MakerChecker.SetLimitsAsync(platform, risk, "instrument", "FAB",
            new { currency = "AED", maxLongPosition = 350, reason = "concentration" })).Expect(HttpStatusCode.OK);

        var own = (await trader1.GetAsync("/api/v1/risk/exposure?accountId=1001&currency=AED")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("AED", own["currency"]!.GetValue<string>());
        Assert.Equal((4_650m, 0m, 4_650m, 4_650m), Figures(own["total"]!));
        var position = own["positions"]!.AsArray().Single()!;
        Assert.Equal(("FAB", 300L, 15.5m, "Last"), (position["symbol"]!.GetValue<string>(), position["quantity"]!.GetValue<long>(),
            position["price"]!.GetValue<decimal>(), position["priceSource"]!.GetValue<string>()));
        var nearest = own["utilisation"]!.AsArray()[0]!;
        Assert.Equal(("MaxLongPosition", "instrument FAB", 350m, 300m, 85.71m, true, false),
            (nearest["limit"]!.GetValue<string>(), nearest["scope"]!.GetValue<string>(), nearest["limitValue"]!.GetValue<decimal>(),
             nearest["used"]!.GetValue<decimal>(), nearest["utilisationPct"]!.GetValue<decimal>(), nearest["near"]!.GetValue<bool>(),
             nearest["breached"]!.GetValue<bool>()));
        Assert.Contains(own["utilisation"]!.AsArray(), u => u!["limit"]!.GetValue<string>() == "BuyingPower");

        // The firm: FAB is long at 1001 and short at 2001 (gross 9,300, net 0); the ETEL sale is short at 2001 and long at 1002.
        var firm = (await risk.GetAsync("/api/v1/risk/exposure?currency=AED")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((4_650m, 4_650m, 9_300m, 0m), Figures(Row(firm, "byInstrument", "FAB")));
        Assert.Equal((4_650m, 4_650m, 9_300m, 0m), Figures(Row(firm, "byVenue", "ADX")));
        Assert.Equal((4_650m, 4_650m, 9_300m, 0m), Figures(Row(firm, "byIssuer", "AEN000101016")));
        var egp = Row(firm, "byCurrency", "EGP");
        Assert.Equal(0m, Figures(egp).Net);
        Assert.True(Figures(egp).Gross > 0);
        Assert.Equal(["FAB", "ETEL"], firm["byInstrument"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()).Take(2));
        Assert.Equal(4, firm["positions"]!.AsArray().Count);

        // A trader's firm view is their own accounts; another trader's account is refused; bad input is named.
        var mine = (await trader1.GetAsync("/api/v1/risk/exposure?currency=AED")).Expect(HttpStatusCode.OK).Json;
        Assert.All(mine["positions"]!.AsArray(), p => Assert.True(p!["accountId"]!.GetValue<long>() < 2000));
        (await trader1.GetAsync("/api/v1/risk/exposure?accountId=2001")).Expect(HttpStatusCode.Forbidden);
        var bad = (await risk.GetAsync("/api/v1/risk/exposure?currency=XYZ&accountId=-3")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("'XYZ' has no platform FX rate", bad.Errors("currency").Single(), StringComparison.Ordinal);
        Assert.Single(bad.Errors("accountId"));
        (await risk.GetAsync("/api/v1/risk/exposure?accountId=999999")).Expect(HttpStatusCode.NotFound);
    }
}

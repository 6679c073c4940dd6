using System.Net;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// The compliance report labels each block with the limit of the rule version that fired: an officer's change of the SCA
/// upper limit (maker-checker) gives the next block the new figure, and a block decided before the change keeps the old one.
/// </summary>
public sealed class ComplianceLabelTests
{
    [Fact]
    public async Task A_block_under_a_changed_limit_is_labelled_with_the_new_limit_and_an_earlier_block_with_the_old_one()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");

        // 1.0.1 puts the internal venue (previous close 80.00, daily limits 72-88) under an upper limit of 5%: 85 is blocked.
        await MakerChecker.PublishAsync(platform, "sca", ScaOnTheInternalVenue("1.0.1", 5));
        var before = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 85m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", before.Str("status"));
        Assert.Equal("SCA price limits (+5%)", Article(before, "1.0.1"));

        // 1.0.2 narrows it to 2%: 83 is blocked under the new version.
        await MakerChecker.PublishAsync(platform, "sca", ScaOnTheInternalVenue("1.0.2", 2));
        var after = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 83m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", after.Str("status"));
        Assert.Equal("SCA price limits (+2%)", Article(after, "1.0.2"));
        // The earlier decision is explained as it was decided.
        var reread = (await trader1.GetAsync($"/api/v1/orders/{before.Json["orderId"]!.GetValue<long>()}")).Expect(HttpStatusCode.OK);
        Assert.Equal("SCA price limits (+5%)", Article(reread, "1.0.1"));

        var regulator = await platform.ClientForAsync("regulator1");
        var run = (await RunAsync(regulator, "compliance-decisions", new { date = Day })).Json["id"]!.GetValue<long>();
        await WaitAsync(regulator, run);
        var text = Text(await DownloadAsync(regulator, run));
        // Each block's rule cell: outcome and code, pack and version, rule, then the label of that version.
        Assert.Contains(Squash("Block SCA-3002 sca 1.0.1, SCA.PRICE_UPPER SCA price limits (+5%)"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Block SCA-3002 sca 1.0.2, SCA.PRICE_UPPER SCA price limits (+2%)"), text, StringComparison.Ordinal);
        // The summary has a row per label, each counting its own block, not one row under the first label found.
        Assert.Contains(Squash("SCA-3002 SCA price limits (+5%) 1"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("SCA-3002 SCA price limits (+2%) 1"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Squash("(+15%)"), text, StringComparison.Ordinal);
    }

    /// <summary>The shipped SCA pack with the internal venue among its venues and the upper limit at <paramref name="upperLimitPct"/>.</summary>
    private static string ScaOnTheInternalVenue(string version, decimal upperLimitPct) => RulePackSamples.Edited("sca", p =>
    {
        p["version"] = version;
        p["parameters"]!["Venues"]!["value"]!.AsArray().Add("XOFF");
        p["parameters"]!["UpperLimitPct"]!["value"] = upperLimitPct;
    });

    /// <summary>The article of the order's one blocking reason, which must come from SCA.PRICE_UPPER of <paramref name="version"/>.</summary>
    private static string Article(Reply order, string version)
    {
        var reason = Assert.Single(order.Json["decision"]!["reasons"]!.AsArray())!;
        Assert.Equal("SCA.PRICE_UPPER", reason["rule"]!.GetValue<string>());
        Assert.Equal(version, reason["version"]!.GetValue<string>());
        return reason["article"]!.GetValue<string>();
    }
}

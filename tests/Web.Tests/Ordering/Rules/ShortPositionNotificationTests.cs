using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>
/// The register of notified net short positions (SSR Art 5): an order is tagged for notification only when it takes the
/// position across a 0.1% step above the level last notified; the register survives a restart, and a position that came
/// down is notified again when it crosses a step on the way back up.
/// </summary>
public sealed class ShortPositionNotificationTests
{
    private static readonly Dictionary<string, object?> Short = new() { ["shortMarking"] = "Short", ["locateId"] = "LOC-1" };

    private static async Task<bool> ShortSellTaggedAsync(ApiClient trader, long account, decimal quantity)
    {
        var reply = (await trader.SubmitAsync(account, "COMI.INT", "Sell", 80m, quantity, extra: Short)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", reply.Str("status"));
        return reply.Json["decision"]!["reportTags"]!.AsArray().Any(t => t!.GetValue<string>() == "MIFID.SSR_NOTIFY");
    }

    [Fact]
    public async Task Only_a_crossing_above_the_level_last_notified_is_tagged_and_the_register_survives_a_restart()
    {
        string path;
        long seller;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            var run = new RuleCaseRun(before, await before.ClientForAsync("trader1"));
            // 100,000 issued shares: every 100 shares short is 0.1% of the issued capital.
            await run.EditInstrumentAsync("COMI.INT", i => i.IssuedShares = 100_000);
            seller = await run.NewAccountAsync(RuleCaseTemplates.Eu, null);
            await run.RestAsync("COMI.INT", "Buy", 80m, 10_000);

            Assert.True(await ShortSellTaggedAsync(run.Trader, seller, 100));   // 0.10%: the first threshold
            Assert.False(await ShortSellTaggedAsync(run.Trader, seller, 50));   // 0.15%: same step, already notified
            Assert.True(await ShortSellTaggedAsync(run.Trader, seller, 50));    // 0.20%: the next step
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        var trader1 = await after.ClientForAsync("trader1");
        Assert.False(await ShortSellTaggedAsync(trader1, seller, 50));          // 0.25%: notified at 0.20% before the restart
        Assert.True(await ShortSellTaggedAsync(trader1, seller, 50));           // 0.30%
    }

    [Fact]
    public async Task A_position_that_came_down_is_notified_again_on_the_way_back_up()
    {
        await using var platform = new PlatformFactory();
        var run = new RuleCaseRun(platform, await platform.ClientForAsync("trader1"));
        await run.EditInstrumentAsync("COMI.INT", i => i.IssuedShares = 100_000);
        var seller = await run.NewAccountAsync(RuleCaseTemplates.Eu, null);
        await run.RestAsync("COMI.INT", "Buy", 80m, 10_000);
        Assert.True(await ShortSellTaggedAsync(run.Trader, seller, 200));       // 0.20%

        // Buy 200 back from a counterparty: flat again.
        await run.RestAsync("COMI.INT", "Sell", 80.5m, 200);
        var cover = (await run.Trader.SubmitAsync(seller, "COMI.INT", "Buy", 80.5m, 200)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", cover.Str("status"));

        Assert.True(await ShortSellTaggedAsync(run.Trader, seller, 100));       // 0.10% again: crossed upwards again
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>The compliance report names who decided a held order: the approver its review task recorded.</summary>
public sealed class ComplianceReviewerTests
{
    [Fact]
    public async Task A_held_order_approved_in_the_inbox_shows_its_approver_in_the_compliance_report()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = MarketTime;
        // A pre-existing account over USD 1m without FATCA's enhanced review: every order is held (FATCA.ENHANCED_REVIEW).
        await platform.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == 1002);
            account.IsPreexisting = true;
            account.BalanceUsd = 2_000_000m;
            account.EnhancedReviewDone = false;
            await db.SaveChangesAsync();
        });
        var trader1 = await platform.ClientForAsync("trader1");
        var held = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", held.Str("status"));
        var waiting = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", waiting.Str("status"));
        var task = held.Json["review"]!["openTask"]!["taskId"]!.GetValue<string>();

        var compliance1 = await platform.ClientForAsync("compliance1");
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { comment = "documentation checked" })).Expect(HttpStatusCode.OK);

        var regulator = await platform.ClientForAsync("regulator1");
        var run = (await RunAsync(regulator, "compliance-decisions", new { date = Day })).Json["id"]!.GetValue<long>();
        await WaitAsync(regulator, run);
        var text = Text(await DownloadAsync(regulator, run));
        Assert.Contains(Squash("approved by compliance1"), text, StringComparison.Ordinal);
        // The other held order has no review yet, and the report says so rather than inventing one.
        Assert.Equal(2, CountOf(text, Squash("not reviewed yet"))); // the waiting order, and the column's explanation
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}

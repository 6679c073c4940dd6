using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Ordering.Rules;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Workflows;

/// <summary>Orders the shipped definitions hold, and helpers over the task inbox.</summary>
internal static class WorkflowScenarios
{
    /// <summary>
    /// Account 1002 (Egyptian retail individual) made a pre-existing high-value account without FATCA's enhanced review: every
    /// order on it gets a Review outcome (FATCA.ENHANCED_REVIEW), small enough for the compliance review (not four-eyes).
    /// </summary>
    public static Task NeedsEnhancedReviewAsync(PlatformFactory platform) => platform.WithDbAsync(async db =>
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == 1002);
        account.IsPreexisting = true;
        account.BalanceUsd = 1_000_001m;
        account.EnhancedReviewDone = false;
        await db.SaveChangesAsync();
    });

    /// <summary>A buy of 10 COMI.INT at 80 on 1002, held for the compliance review.</summary>
    public static async Task<Reply> HeldForReviewAsync(PlatformFactory platform, ApiClient trader1)
    {
        await NeedsEnhancedReviewAsync(platform);
        var held = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", held.Str("status"));
        return held;
    }

    /// <summary>2,000,000 FAB at 15.50 on 1001 (professional, about USD 8.4m): the SCA holds it and four-eyes applies.</summary>
    public static async Task<Reply> LargeOrderAsync(ApiClient trader1)
    {
        var held = (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 2_000_000)).Expect(HttpStatusCode.Created);
        Assert.Equal("PendingReview", held.Str("status"));
        return held;
    }

    public static JsonNode Review(Reply order) => order.Json["review"]!;

    public static string TaskOf(Reply order) => Review(order)["openTask"]!["taskId"]!.GetValue<string>();

    public static async Task<string> TaskOfOrderAsync(ApiClient client, long orderId) =>
        (await client.GetAsync($"/api/v1/orders/{orderId}")).Expect(HttpStatusCode.OK).Json["review"]!["openTask"]!["taskId"]!.GetValue<string>();

    public static Task<Reply> ApproveAsync(ApiClient officer, string taskId, object? body = null) =>
        officer.PostJsonAsync($"/api/v1/tasks/{taskId}/approve", body ?? new { comment = "checked" });

    public static DateTimeOffset MarketTime => RuleCaseRun.MarketTime;
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of the review inbox: an order the FATCA pack holds for the compliance review reaches compliance1 with its
/// SLA deadline and the figures the rule read; compliance1 opens the order's journal, claims the task and reassigns it to
/// compliance2, after which compliance1 is no longer offered a decision; compliance2 approves it and the order trades on; the
/// account's audit link opens the audit page on that account, and the audit trail downloads as CSV with its header.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ReviewInboxJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_held_order_is_claimed_and_reassigned_by_one_officer_and_approved_by_another()
    {
        _host.StartServer();
        // Account 1002 went to trader2 and came back to trader1 (the admin's account assignment): two records in its audit trail.
        using (var admin = await _host.ApiClientAsync("admin"))
        {
            foreach (var user in new[] { 3, 2 })
            {
                using var assigned = await admin.PutAsync($"/api/v1/users/{user}/accounts/1002", null);
                Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync());
            }
        }
        var orderId = await _host.HoldForReviewAsync("inbox-held");
        using var officer = await _host.ApiClientAsync("compliance1");
        var tasks = (await officer.GetFromJsonAsync<JsonArray>("/api/v1/tasks"))!;
        var held = tasks.Single(t => t!["orderId"]?.GetValue<long>() == orderId)!;
        var taskId = held["taskId"]!.GetValue<string>();
        var due = held["slaDueAt"]!.GetValue<DateTime>();
        using var trader = await _host.ApiClientAsync("trader1");
        var order = (await trader.GetFromJsonAsync<JsonObject>($"/api/v1/orders/{orderId}"))!;
        var read = order["decision"]!["explanation"]!.AsArray().Single(r => r!["outcome"]!.GetValue<string>() == "Review")!;
        Assert.Equal("FATCA.ENHANCED_REVIEW", read["ruleId"]!.GetValue<string>());
        var inputs = read["inputs"]!.AsObject().Select(i => i.Key).Order(StringComparer.Ordinal).ToList();

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var first = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await first.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(page, _host.Origin, "/portal/inbox", "compliance1");

        // The task: the order, when its SLA runs out and to whom it escalates, what the holding rule read.
        var task = page.Locator($".inbox-task[data-task='{taskId}']");
        await Assertions.Expect(task).ToContainTextAsync($"Order {orderId} held for review");
        await Assertions.Expect(task.Locator(".task-order")).ToContainTextAsync(new Regex(@"Buy 10 COMI\.INT at 80(\.00?)?, account 1002"));
        await Assertions.Expect(task.Locator(".task-sla")).ToContainTextAsync(
            $"escalates to senior_compliance at {due.ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture)} UTC (in ");
        await Assertions.Expect(task.Locator(".task-inputs")).ToContainTextAsync("FATCA.ENHANCED_REVIEW");
        await Assertions.Expect(task.Locator(".task-input-table th")).ToHaveTextAsync([.. inputs]);
        var balance = task.Locator(".task-input-table tr").Filter(new() { Has = page.Locator("th", new() { HasTextString = "Account.BalanceUsd" }) });
        // The balance set on the account above, as the rule read it.
        await Assertions.Expect(balance.Locator("td")).ToHaveTextAsync(new Regex(@"^1000001(\.0+)?$"));

        // The order's journal inline: held for review.
        await task.Locator(".task-order-detail").ClickAsync();
        await Assertions.Expect(task.Locator("#order-detail .order-journal-entry").First).ToHaveAttributeAsync("data-kind", "HeldForReview");
        await Assertions.Expect(task.Locator("#order-detail-rules")).ToContainTextAsync("Review");

        // Claimed: only compliance1 may decide it now.
        await task.Locator(".task-claim-button").ClickAsync();
        await Assertions.Expect(page.Locator("#inbox-notice")).ToContainTextAsync("claimed: only you decide it now");
        await Assertions.Expect(task.Locator(".task-claim")).ToContainTextAsync("you: only they decide it until it is reassigned");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("inbox-claimed"), FullPage = true });

        // Reassigned to compliance2 with a comment: compliance1 sees who holds it and is offered no decision on it.
        await task.Locator(".task-reassign summary").ClickAsync();
        await task.Locator(".task-comment").FillAsync("over to you: the client's file is with you");
        await task.Locator(".task-reassign-user").FillAsync("compliance2");
        await task.Locator(".task-reassign-button").ClickAsync();
        await Assertions.Expect(page.Locator("#inbox-notice")).ToContainTextAsync("reassigned to compliance2");
        await Assertions.Expect(task.Locator(".task-claim")).ToContainTextAsync("compliance2: only they decide it until it is reassigned");
        await Assertions.Expect(task.Locator(".task-approve")).ToHaveCountAsync(0);
        await Assertions.Expect(task.Locator(".task-reject")).ToHaveCountAsync(0);
        await Assertions.Expect(task.Locator(".task-own")).ToContainTextAsync("compliance2 holds it: only they decide it until it is reassigned.");

        // The account's profile, opened from its link in a second tab: the client's data as the API gives it, no change recorded yet.
        Assert.Equal("/portal/accounts/1002", await task.Locator(".task-account-profile").GetAttributeAsync("href"));
        var profile = await page.Context.NewPageAsync();
        await profile.GotoAsync(_host.Origin + "/portal/accounts/1002");
        await Browser.WaitForInteractiveAsync(profile);
        await Assertions.Expect(profile.Locator("#account-title")).ToContainTextAsync("Client account 1002: ");
        await Assertions.Expect(profile.Locator(".account-kind")).ToHaveTextAsync("individual");
        await Assertions.Expect(profile.Locator("#account-history-none")).ToBeVisibleAsync();
        await profile.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("account-profile"), FullPage = true });
        await profile.CloseAsync();

        // The account's audit link: the audit page on account 1002's records, the two owner changes and the held order's own.
        await task.Locator(".task-account-audit").ClickAsync();
        await page.WaitForURLAsync(_host.Origin + "/portal/audit?account=1002");
        await Browser.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#audit-account")).ToHaveValueAsync("1002");
        await Assertions.Expect(page.Locator("#audit-count")).ToContainTextAsync("newest first");
        var subjects = await page.Locator(".audit-subject").AllTextContentsAsync();
        Assert.All(subjects, s => Assert.True(s == "account/1002" || s.StartsWith("order/", StringComparison.Ordinal), s));
        Assert.Contains($"order/{orderId}", subjects);
        var actions = await page.Locator(".audit-action").AllTextContentsAsync();
        Assert.Equal(2, actions.Count(a => a == "account.owner_changed"));
        Assert.Contains("order.submitted", actions);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("audit-account-from-inbox"), FullPage = true });

        // The whole trail as CSV: the header row, then the records, the held order's submission among them.
        await page.ClickAsync("#audit-clear");
        await Assertions.Expect(page.Locator("#audit-account")).ToHaveValueAsync("");
        var export = page.Locator("#audit-export");
        await Assertions.Expect(export).ToContainTextAsync("Download CSV");
        var download = await page.RunAndWaitForDownloadAsync(() => export.ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal(TradSys.Web.Apis.AuditApi.CsvHeader, csv[0]);
        Assert.Contains(csv, line => line.Contains($",order.submitted,order/{orderId},", StringComparison.Ordinal));
        Assert.Equal(2, csv.Count(line => line.Contains(",account.owner_changed,account/1002,", StringComparison.Ordinal)));

        // compliance2 finds it in their inbox, held for them, and approves it.
        var second = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } })).NewPageAsync();
        second.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(second, _host.Origin, "/portal/inbox", "compliance2");
        var theirs = second.Locator($".inbox-task[data-task='{taskId}']");
        await Assertions.Expect(theirs.Locator(".task-claim")).ToContainTextAsync("you: only they decide it until it is reassigned");
        await theirs.Locator(".task-comment").FillAsync("enhanced review booked for Monday; this order may go");
        await theirs.Locator(".task-approve").ClickAsync();
        await Assertions.Expect(second.Locator("#inbox-notice")).ToContainTextAsync($"Order {orderId} held for review");
        await Assertions.Expect(theirs).ToHaveCountAsync(0);
        await second.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("inbox-approved-by-second-officer"), FullPage = true });
        var released = (await trader.GetFromJsonAsync<JsonObject>($"/api/v1/orders/{orderId}"))!;
        Assert.Equal("Accepted", released["status"]!.GetValue<string>());
        Assert.Equal("Approved", released["review"]!["state"]!.GetValue<string>());
        var history = (await officer.GetFromJsonAsync<JsonObject>($"/api/v1/workflows/instances/{order["review"]!["instanceId"]!.GetValue<string>()}"))!;
        Assert.Equal(["start", "claim", "reassign", "approve"], history["transitions"]!.AsArray().Select(t => t!["trigger"]!.GetValue<string>()));
        Assert.Equal(["compliance1", "compliance1", "compliance2"], history["transitions"]!.AsArray().Skip(1).Select(t => t!["actor"]!.GetValue<string>()));
    }
}

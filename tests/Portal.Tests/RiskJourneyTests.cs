using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of the risk officer: halt an account from the risk page (the trader's next order is refused at once), propose an
/// instrument's limits (a mistyped figure is marked under its field and nothing changes; a good one waits for a second officer, and
/// once risk2 approves it, it is version 1), lift the halt.
/// </summary>
[Collection(Browser.Collection)]
public sealed class RiskJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    private static async Task<JsonNode> SubmitAsync(HttpClient trader, string clientOrderId, decimal quantity)
    {
        var body = $$"""{"accountId":1001,"clientOrderId":"{{clientOrderId}}","symbol":"COMI.INT","side":"Buy","price":79.50,"quantity":{{quantity}}}""";
        using var response = await trader.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task A_risk_officer_halts_an_account_sets_limits_and_lifts_the_halt_from_the_risk_page()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        using var trader = await _host.ApiClientAsync("trader1");

        await Browser.SignInAsync(page, _host.Origin, "/portal/risk", "risk1");
        await Assertions.Expect(page.Locator("#no-statuses")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#status-scope", "account");
        await page.SelectOptionAsync("#status-key", "1001");
        await page.SelectOptionAsync("#status-value", "Halted");
        await page.ClickAsync("#set-status");
        await Assertions.Expect(page.Locator("#status-reason-problem")).ToContainTextAsync("reason is required");
        Assert.Equal("Accepted", (await SubmitAsync(trader, "risk-journey-1", 10))["status"]!.GetValue<string>());

        await page.FillAsync("#status-reason", "client under review");
        await page.ClickAsync("#set-status");
        await Assertions.Expect(page.Locator("#risk-notice")).ToContainTextAsync("account 1001 is now Halted");
        await Assertions.Expect(page.Locator("tr[data-status='account/1001']")).ToContainTextAsync("client under review");
        var refused = await SubmitAsync(trader, "risk-journey-2", 10);
        Assert.Equal(2001, refused["rejectCode"]!.GetValue<int>());

        await page.SelectOptionAsync("#limits-scope", "instrument");
        await page.SelectOptionAsync("#limits-key", "COMI.INT");
        await page.FillAsync("#limits-currency", "EGP");
        await page.FillAsync("#limits-maxOrderQuantity", "1,000.5");
        await page.FillAsync("#limits-reason", "fat-finger limits");
        await page.ClickAsync("#set-limits");
        await Assertions.Expect(page.Locator("#limits-maxOrderQuantity-problem")).ToContainTextAsync("whole number");
        await Assertions.Expect(page.Locator("#limits")).ToHaveCountAsync(0);
        await page.FillAsync("#limits-maxOrderQuantity", "1000");
        await page.FillAsync("#limits-priceCollarPct", "5");
        await page.ClickAsync("#set-limits");
        await Assertions.Expect(page.Locator("#risk-notice")).ToContainTextAsync("the limits for instrument COMI.INT change once another risk officer approves proposal");
        await Assertions.Expect(page.Locator("#proposals")).ToContainTextAsync("Your proposal: another risk officer must approve it.");
        await Assertions.Expect(page.Locator("#limits")).ToHaveCountAsync(0);
        // The second officer approves it (through the API here; the same page offers them Approve).
        using (var checker = await _host.ApiClientAsync("risk2"))
        {
            var pending = JsonNode.Parse(await checker.GetStringAsync("/api/v1/risk/limit-proposals"))!.AsArray();
            var id = pending.Single()!["id"]!.GetValue<long>();
            using var approved = await checker.PostAsync($"/api/v1/risk/limit-proposals/{id}/approve", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("tr[data-limits='instrument/COMI.INT']")).ToContainTextAsync("1,000");
        await Assertions.Expect(page.Locator("#no-proposals")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("risk-controls"), FullPage = true });

        await page.SelectOptionAsync("#status-scope", "account");
        await page.SelectOptionAsync("#status-key", "1001");
        await page.SelectOptionAsync("#status-value", "Active");
        await page.FillAsync("#status-reason", "review closed");
        await page.ClickAsync("#set-status");
        await Assertions.Expect(page.Locator("tr[data-status='account/1001']")).ToContainTextAsync("Active");
        var tooBig = await SubmitAsync(trader, "risk-journey-3", 1010);
        Assert.Equal(2003, tooBig["rejectCode"]!.GetValue<int>());
        Assert.Equal("Accepted", (await SubmitAsync(trader, "risk-journey-4", 1000))["status"]!.GetValue<string>());
    }
}

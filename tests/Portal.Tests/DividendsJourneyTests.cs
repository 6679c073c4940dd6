using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of the dividends page (issue 14 part 3) on the whole platform: operations opens it from the navigation; an announcement
/// with a record date before its ex-date, too many decimals and no source is refused with each problem beside its field and nothing is
/// written; corrected, it is announced, then its amount corrected (version 2, as the API serves it) and, after a confirmation that first
/// insists on a reason, canceled. A dividend whose payment date has passed is paid after a confirmation. A risk officer reads the page
/// without its forms; a trader has neither the link nor the page. The automatic payment job is switched off, so only the page pays.
/// </summary>
[Collection(Browser.Collection)]
public sealed class DividendsJourneyTests : IDisposable
{
    private readonly PortalHost _host = new(new Dictionary<string, string> { ["CorporateActions:DividendJobMinutes"] = "0" });

    public void Dispose() => _host.Dispose();

    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(IPlaywright, IBrowser, IPage)> OpenAsync()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        return (playwright, browser, page);
    }

    /// <summary>The dividends of ETEL with the given ex-date, as the API lists them.</summary>
    private async Task<List<JsonNode>> DividendsAsync(string exDate)
    {
        using var ops = await _host.ApiClientAsync("ops1");
        var list = (await ops.GetFromJsonAsync<JsonArray>($"/api/v1/dividends?symbol=ETEL&from={exDate}&to={exDate}"))!;
        return [.. list.Select(d => d!)];
    }

    private static async Task AnnounceAsync(IPage page, string exDate, string recordDate, string paymentDate, string amount, string source)
    {
        await page.FillAsync("#dividend-symbol", "ETEL");
        await page.FillAsync("#dividend-exDate", exDate);
        await page.FillAsync("#dividend-recordDate", recordDate);
        await page.FillAsync("#dividend-paymentDate", paymentDate);
        await page.FillAsync("#dividend-amountPerShare", amount);
        await page.FillAsync("#dividend-currency", "EGP");
        await page.FillAsync("#dividend-source", source);
        await page.ClickAsync("#dividend-announce");
    }

    [Fact]
    public async Task Operations_announces_after_a_refusal_corrects_cancels_with_a_reason_and_pays_a_due_dividend()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;
        var (ex, record, payment) = (Day(20), Day(21), Day(25));

        await Browser.SignInAsync(page, _host.Origin, "/portal", "ops1");
        await page.ClickAsync("#nav-dividends");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/dividends");

        // The API's problems beside their fields, and nothing written.
        await AnnounceAsync(page, ex, Day(19), payment, "1.255", "");
        await Assertions.Expect(page.Locator("#dividend-recordDate-problem")).ToContainTextAsync($"is before the ex-date {ex}");
        await Assertions.Expect(page.Locator("#dividend-amountPerShare-problem")).ToContainTextAsync("has more decimals than EGP's 2");
        await Assertions.Expect(page.Locator("#dividend-source-problem")).ToContainTextAsync("Is required");
        await Assertions.Expect(page.Locator("#dividend-error")).ToContainTextAsync("Nothing was changed");
        Assert.Empty(await DividendsAsync(ex));

        await AnnounceAsync(page, ex, record, payment, "1.25", "board resolution (journey)");
        await Assertions.Expect(page.Locator("#dividend-notice")).ToContainTextAsync($"of ETEL announced: 1.25 EGP per share, ex-date {ex}");
        var id = (await DividendsAsync(ex)).Single()["id"]!.GetValue<long>();
        var row = page.Locator($"#dividends tr[data-dividend='{id}']");
        await Assertions.Expect(row.Locator(".dividend-amount")).ToHaveTextAsync("1.25 EGP");
        await Assertions.Expect(row.Locator(".dividend-version")).ToHaveTextAsync("1");

        // Corrected: version 2, served so by the API.
        await row.Locator(".dividend-edit").ClickAsync();
        await Assertions.Expect(page.Locator("#dividend-amountPerShare")).ToHaveValueAsync("1.25");
        await page.FillAsync("#dividend-amountPerShare", "1.30");
        await page.FillAsync("#dividend-reason", "issuer's corrected notice");
        await page.ClickAsync("#dividend-save");
        await Assertions.Expect(page.Locator("#dividend-notice")).ToContainTextAsync($"Dividend {id} corrected (amountPerShare): now at version 2.");
        await Assertions.Expect(row.Locator(".dividend-amount")).ToHaveTextAsync("1.3 EGP");
        await Assertions.Expect(row.Locator(".dividend-version")).ToHaveTextAsync("2");
        var corrected = (await DividendsAsync(ex)).Single();
        Assert.Equal((1.3m, 2), (corrected["amountPerShare"]!.GetValue<decimal>(), corrected["version"]!.GetValue<int>()));

        // Canceled after a confirmation, which first insists on a reason.
        await row.Locator(".dividend-cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#dividend-confirm")).ToContainTextAsync($"Cancel dividend {id} of ETEL (ex-date {ex})?");
        await page.ClickAsync("#dividend-confirm-yes");
        await Assertions.Expect(page.Locator("#cancel-reason-problem")).ToContainTextAsync("Is required");
        Assert.Equal("Announced", (await DividendsAsync(ex)).Single()["status"]!.GetValue<string>());
        await page.FillAsync("#cancel-reason", "board resolution withdrawn");
        await page.ClickAsync("#dividend-confirm-yes");
        await Assertions.Expect(page.Locator("#dividend-notice")).ToContainTextAsync($"Dividend {id} canceled");
        await Assertions.Expect(row.Locator(".dividend-status")).ToHaveAttributeAsync("data-status", "Canceled");
        await Assertions.Expect(row.Locator(".dividend-cancel")).ToHaveCountAsync(0);
        Assert.Equal("Canceled", (await DividendsAsync(ex)).Single()["status"]!.GetValue<string>());

        // A dividend whose payment date has passed: its entitlements, then paid after a confirmation.
        var (pastEx, pastRecord, pastPayment) = (Day(-10), Day(-9), Day(-5));
        await AnnounceAsync(page, pastEx, pastRecord, pastPayment, "0.50", "board resolution (journey, past)");
        await Assertions.Expect(page.Locator("#dividend-notice")).ToContainTextAsync("announced");
        var due = (await DividendsAsync(pastEx)).Single()["id"]!.GetValue<long>();
        var dueRow = page.Locator($"#dividends tr[data-dividend='{due}']");
        await dueRow.Locator(".dividend-entitlements").ClickAsync();
        await Assertions.Expect(page.Locator("#entitlements-heading")).ToContainTextAsync($"Entitlements of dividend {due} (ETEL, ex-date {pastEx})");
        await dueRow.Locator(".dividend-pay").ClickAsync();
        await Assertions.Expect(page.Locator("#dividend-confirm")).ToContainTextAsync($"Pay dividend {due} of ETEL: 0.5 EGP per share");
        Assert.Equal("Announced", (await DividendsAsync(pastEx)).Single()["status"]!.GetValue<string>());
        await page.ClickAsync("#dividend-confirm-yes");
        await Assertions.Expect(page.Locator("#dividend-notice")).ToContainTextAsync($"Dividend {due} paid:");
        await Assertions.Expect(dueRow.Locator(".dividend-status")).ToHaveAttributeAsync("data-status", "Paid");
        Assert.Equal("Paid", (await DividendsAsync(pastEx)).Single()["status"]!.GetValue<string>());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("dividends-paid"), FullPage = true });
    }

    [Fact]
    public async Task A_risk_officer_reads_without_the_forms_and_a_trader_has_neither_the_link_nor_the_page()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;

        await Browser.SignInAsync(page, _host.Origin, "/portal", "risk1");
        await page.ClickAsync("#nav-dividends");
        await Assertions.Expect(page.Locator("#dividends-read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dividend-announce")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".dividend-pay")).ToHaveCountAsync(0);

        var context = await browser.NewContextAsync();
        var trader = await context.NewPageAsync();
        await Browser.SignInAsync(trader, _host.Origin, "/portal", "trader1");
        await Assertions.Expect(trader.Locator("#signed-in-user")).ToContainTextAsync("trader1");
        await Assertions.Expect(trader.Locator("#nav-dividends")).ToHaveCountAsync(0);
        var refused = await trader.GotoAsync(_host.Origin + "/portal/dividends");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(trader.Locator("#message")).ToContainTextAsync("may not use this page");
    }
}

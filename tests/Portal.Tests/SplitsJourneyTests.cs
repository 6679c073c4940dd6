using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of the splits page (issue 14 part 3) on the whole platform, following <see cref="DividendsJourneyTests"/>: operations opens
/// it from the navigation; an announcement of 3-for-3 with no source is refused with each problem beside its field and nothing is written;
/// corrected, it is announced, then, after a confirmation that first insists on a reason, canceled, each checked against the API. A
/// trader has neither the link nor the page. (Applying needs the effective date to have come on the venue's clock: the bUnit
/// <c>Components/SplitsPageTests</c> and the API's <c>SplitsApiTests</c> cover it.) The automatic application job is switched off.
/// </summary>
[Collection(Browser.Collection)]
public sealed class SplitsJourneyTests : IDisposable
{
    private readonly PortalHost _host = new(new Dictionary<string, string> { ["CorporateActions:SplitJobMinutes"] = "0" });

    public void Dispose() => _host.Dispose();

    /// <summary>
    /// A Tuesday three to four weeks ahead: after today and, EGX trading Sunday to Thursday, a trading day of its calendar unless a
    /// public holiday falls on it (the refusal would then name it beside the effective date).
    /// </summary>
    private static string EffectiveDay()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(21);
        while (day.DayOfWeek != DayOfWeek.Tuesday)
        {
            day = day.AddDays(1);
        }
        return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The splits of ETEL effective on the given day, as the API lists them.</summary>
    private async Task<List<JsonNode>> SplitsAsync(string effective)
    {
        using var ops = await _host.ApiClientAsync("ops1");
        var list = (await ops.GetFromJsonAsync<JsonArray>($"/api/v1/splits?symbol=ETEL&from={effective}&to={effective}"))!;
        return [.. list.Select(s => s!)];
    }

    private static async Task AnnounceAsync(IPage page, string newShares, string oldShares, string effective, string source)
    {
        await page.FillAsync("#split-symbol", "ETEL");
        await page.FillAsync("#split-newShares", newShares);
        await page.FillAsync("#split-oldShares", oldShares);
        await page.FillAsync("#split-effectiveDate", effective);
        await page.FillAsync("#split-source", source);
        await page.ClickAsync("#split-announce");
    }

    [Fact]
    public async Task Operations_announces_after_a_refusal_and_cancels_with_a_reason_and_a_trader_has_neither_the_link_nor_the_page()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        var effective = EffectiveDay();

        await Browser.SignInAsync(page, _host.Origin, "/portal", "ops1");
        await page.ClickAsync("#nav-splits");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/splits");

        // The API's problems beside their fields, and nothing written.
        await AnnounceAsync(page, "3", "3", effective, "");
        await Assertions.Expect(page.Locator("#split-newShares-problem")).ToContainTextAsync("3-for-3 changes nothing");
        await Assertions.Expect(page.Locator("#split-source-problem")).ToContainTextAsync("Is required");
        await Assertions.Expect(page.Locator("#split-error")).ToContainTextAsync("Nothing was changed");
        Assert.Empty(await SplitsAsync(effective));

        await AnnounceAsync(page, "1", "10", effective, "EGM resolution (journey)");
        await Assertions.Expect(page.Locator("#split-notice")).ToContainTextAsync($"of ETEL announced: 1-for-10, effective {effective}");
        var id = (await SplitsAsync(effective)).Single()["id"]!.GetValue<long>();
        var row = page.Locator($"#splits tr[data-split='{id}']");
        await Assertions.Expect(row.Locator(".split-ratio")).ToHaveTextAsync("1-for-10");
        await Assertions.Expect(row.Locator(".split-version")).ToHaveTextAsync("1");

        // Canceled after a confirmation, which first insists on a reason.
        await row.Locator(".split-cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#split-confirm")).ToContainTextAsync($"Cancel split {id} of ETEL (1-for-10, effective {effective})?");
        await page.ClickAsync("#split-confirm-yes");
        await Assertions.Expect(page.Locator("#cancel-reason-problem")).ToContainTextAsync("Is required");
        Assert.Equal("Announced", (await SplitsAsync(effective)).Single()["status"]!.GetValue<string>());
        await page.FillAsync("#cancel-reason", "assembly postponed");
        await page.ClickAsync("#split-confirm-yes");
        await Assertions.Expect(page.Locator("#split-notice")).ToContainTextAsync($"Split {id} canceled");
        await Assertions.Expect(row.Locator(".split-status")).ToHaveAttributeAsync("data-status", "Canceled");
        await Assertions.Expect(row.Locator(".split-cancel")).ToHaveCountAsync(0);
        var canceled = (await SplitsAsync(effective)).Single();
        Assert.Equal(("Canceled", "assembly postponed", 2), (canceled["status"]!.GetValue<string>(), canceled["cancelReason"]!.GetValue<string>(),
            canceled["version"]!.GetValue<int>()));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("splits-canceled"), FullPage = true });

        var context = await browser.NewContextAsync();
        var trader = await context.NewPageAsync();
        await Browser.SignInAsync(trader, _host.Origin, "/portal", "trader1");
        await Assertions.Expect(trader.Locator("#signed-in-user")).ToContainTextAsync("trader1");
        await Assertions.Expect(trader.Locator("#nav-splits")).ToHaveCountAsync(0);
        var refused = await trader.GotoAsync(_host.Origin + "/portal/splits");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(trader.Locator("#message")).ToContainTextAsync("may not use this page");
    }
}

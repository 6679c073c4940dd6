using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>Browser journey against the real platform: a regulator generates a report and downloads it through the portal.</summary>
[Collection(Browser.Collection)]
public sealed class RegulatorJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_regulator_logs_in_generates_a_report_and_downloads_it()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(60_000);

        await Browser.SignInAsync(page, _host.Origin, "/portal/reports", "regulator1");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("regulator1");
        await Assertions.Expect(page.Locator("#audit-result")).ToContainTextAsync("Verified");

        // The first report is per venue; the audit trail is firm-wide, so its venue field goes away.
        await Assertions.Expect(page.Locator("#generate-venue")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#generate-report", "audit-trail");
        await Assertions.Expect(page.Locator("#generate-venue")).ToHaveCountAsync(0);
        await page.FillAsync("#generate-date", "2026-11-20");
        await page.ClickAsync("#generate");
        await Assertions.Expect(page.Locator("#generate-progress")).ToContainTextAsync("is ready", new() { Timeout = 60_000 });

        // The list is reloaded once the run is ready: wait for the row to say so, so the click lands on the final link.
        var row = page.Locator("#report-runs tbody tr").Filter(new() { HasText = "audit-trail" }).First;
        await Assertions.Expect(row.Locator(".run-status")).ToHaveTextAsync("Succeeded");
        // The day and the report chosen stay chosen after the run and the reload (they once cleared after each run).
        await Assertions.Expect(page.Locator("#generate-date")).ToHaveValueAsync("2026-11-20");
        await Assertions.Expect(page.Locator("#generate-report")).ToHaveValueAsync("audit-trail");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var link = row.Locator(".download-pdf");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("regulator-report-downloaded"), FullPage = true });
    }
}

using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>Browser journey of the admin: a user created through the portal's form, the health page, the jobs dashboard.</summary>
[Collection(Browser.Collection)]
public sealed class AdminJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_admin_creates_a_user_reads_the_health_page_and_opens_the_jobs_dashboard()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };

        await Browser.SignInAsync(page, _host.Origin, "/portal/admin/users", "admin");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("admin");
        await Assertions.Expect(page.Locator("tr[data-user=trader1]")).ToBeVisibleAsync();

        // A password the API refuses: its message appears under the password field, and nothing is created.
        var problem = page.Locator("#new-password-problem");
        await page.FillAsync("#new-user-name", "ops.viewer");
        await page.FillAsync("#new-display-name", "Operations Viewer");
        await page.Locator("#new-role-viewer").SetCheckedAsync(true);
        await page.FillAsync("#new-password", "short");
        await page.ClickAsync("#create-user");
        await Assertions.Expect(problem).ToContainTextAsync("12-128 characters");
        await page.FillAsync("#new-password", "a-long-enough-passphrase");
        await page.ClickAsync("#create-user");
        await Assertions.Expect(page.Locator("#users-notice")).ToContainTextAsync("ops.viewer created");
        await Assertions.Expect(page.Locator("#create-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("tr[data-user='ops.viewer']")).ToContainTextAsync("viewer");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("admin-user-created"), FullPage = true });

        await page.ClickAsync("#nav-health");
        await Assertions.Expect(page.Locator("tr[data-check=order-writer] .badge")).ToHaveTextAsync("Healthy");
        await Assertions.Expect(page.Locator("#health-node")).ToContainTextAsync("database Sqlite");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("admin-health"), FullPage = true });

        // The dashboard's scripts run under its own policy: its live statistics poll answers.
        var stats = page.WaitForResponseAsync(r => r.Url.Contains("/hangfire/stats", StringComparison.Ordinal));
        await page.ClickAsync("#nav-jobs");
        Assert.Equal(200, (await stats).Status);
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/hangfire");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("admin-jobs-dashboard"), FullPage = true });
        Assert.Empty(cspViolations);
    }
}

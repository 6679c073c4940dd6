using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Debian's Chromium at /usr/bin/chromium driven by Playwright: no browser download (tests/infra/chromium.sh installs the
/// package; tests/run.sh runs it). A missing browser fails the test with that instruction, never skips it.
/// </summary>
public static class Browser
{
    /// <summary>
    /// The browser journeys run one class at a time: each starts a whole platform and a Chromium, and on a 2-core machine
    /// several at once starve each other's background jobs and circuits into timeouts that say nothing about the portal.
    /// </summary>
    public const string Collection = "browser";

    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run `bash tests/infra/chromium.sh` (tests/run.sh does).");
        // Expectations wait as long as actions do: a loaded CI machine answers a form in seconds, not milliseconds.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        // As root there is no user namespace sandbox for Chromium; Playwright passes --no-sandbox unless asked for one.
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--disable-dev-shm-usage", "--disable-gpu"],
        });
        return (playwright, browser);
    }

    /// <summary>artifacts/screenshots under the repository root (the folder holding TradSys.sln).</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
        {
            dir = dir.Parent;
        }
        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    /// <summary>Signs in through the portal's login form, starting from <paramref name="path"/>.</summary>
    public static async Task SignInAsync(IPage page, string origin, string path, string userName)
    {
        await page.GotoAsync(origin + path);
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", $"{userName}-demo-password");
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(origin + path, new PageWaitForURLOptions { Timeout = 30_000 });
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits until the page's Blazor circuit has attached: the layout marks itself once it renders interactively. Before
    /// that the page is prerendered HTML, and what is typed or clicked there is not bound.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator(".portal[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
}

/// <summary>The collection that keeps the browser journeys from running in parallel with each other (see <see cref="Browser.Collection"/>).</summary>
[CollectionDefinition(Browser.Collection)]
public sealed class BrowserCollection;

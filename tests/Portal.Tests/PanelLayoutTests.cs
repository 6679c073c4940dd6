using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// The ticket with its confirmation open, the blotter with an order's detail open and the review inbox with a task open, in
/// Arabic (right to left) at laptop (1366x768) and tablet (768x1024) widths: nothing makes the page scroll sideways, the
/// main buttons are inside the window, and a screenshot of each is kept.
/// </summary>
[Collection(Browser.Collection)]
public sealed class PanelLayoutTests : IClassFixture<PanelLayoutTests.Platform>
{
    /// <summary>One platform for the class, with a trade, a working order and an order held for review.</summary>
    public sealed class Platform : IAsyncLifetime, IDisposable
    {
        public PortalHost Host { get; } = new();

        public async Task InitializeAsync()
        {
            Host.StartServer();
            await OpenPanels.SeedAsync(Host);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => Host.Dispose();
    }

    private readonly PortalHost _host;

    public PanelLayoutTests(Platform platform) => _host = platform.Host;

    [Theory]
    [InlineData(1366, 768, "laptop")]
    [InlineData(768, 1024, "tablet")]
    public async Task The_open_panels_fit_the_window_in_Arabic(int width, int height, string name)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        var trader = await OpenPanels.PageAsync(browser, _host, width, height, "ar");
        await Browser.SignInAsync(trader, _host.Origin, "/portal/ticket", "trader1");
        await Assertions.Expect(trader.Locator("html")).ToHaveAttributeAsync("dir", "rtl");

        await OpenPanels.TicketWithConfirmationAsync(trader, _host.Origin);
        await Assertions.Expect(trader.Locator("#confirm-send")).ToHaveTextAsync("أرسله");
        await trader.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"ticket-confirm-{name}-ar"), FullPage = true });
        await AssertFitsAsync(trader, $"ticket, {name}", "#confirm-send", "#confirm-back");

        await OpenPanels.BlotterWithDetailAsync(trader, _host.Origin);
        await trader.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"blotter-detail-{name}-ar"), FullPage = true });
        await AssertFitsAsync(trader, $"blotter, {name}", "#order-detail-close", "#cancel-all", ".order-cancel", ".order-amend");

        var officer = await OpenPanels.PageAsync(browser, _host, width, height, "ar");
        await Browser.SignInAsync(officer, _host.Origin, "/portal/inbox", "compliance1");
        await OpenPanels.InboxWithTaskOpenAsync(officer, _host.Origin);
        await officer.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"inbox-task-{name}-ar"), FullPage = true });
        // The journal's reason (why the order is held) is read where it is, not found by scrolling the journal sideways.
        await AssertFitsAsync(officer, $"inbox, {name}", ".task-approve", ".task-reject", ".task-claim-button", ".task-reassign-button", ".task-account-audit",
            "#order-journal .order-reason");
    }

    /// <summary>No sideways scroll, and each button or text (the first of its kind) wholly inside the window's width.</summary>
    private static async Task AssertFitsAsync(IPage page, string where, params string[] buttons)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner, $"{where}: the page is {scroll} px wide in a {inner} px window");
        foreach (var selector in buttons)
        {
            var button = page.Locator(selector).First;
            await Assertions.Expect(button).ToBeVisibleAsync();
            var box = await button.BoundingBoxAsync() ?? throw new InvalidOperationException($"{where}: {selector} is not rendered");
            Assert.True(box.X >= 0 && box.X + box.Width <= inner, $"{where}: {selector} is at x {box.X}..{box.X + box.Width} in a {inner} px window");
        }
    }
}

using System.Net.Http.Json;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// The trader's pages in Arabic and at tablet width, in a real browser: the language switch, right-to-left layout, an order
/// placed in Arabic, the live depth ladder, and screenshots of the ticket and blotter at laptop and tablet widths in both
/// languages, with nothing overflowing the page horizontally.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ArabicTraderJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_trader_switches_to_Arabic_places_an_order_and_sees_it_in_the_blotter()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        page.SetDefaultTimeout(30_000);

        await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await page.ClickAsync("#lang-ar");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
        await page.WaitForURLAsync(_host.Origin + "/portal/ticket");
        await Browser.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("تذكرة الأمر");
        await Assertions.Expect(page.Locator("label[for=quantity]")).ToHaveTextAsync("الكمية");
        await Assertions.Expect(page.Locator("#nav-blotter")).ToHaveTextAsync("الأوامر");

        // A resting offer from trader2, so the ladder has a level to click.
        await RestAsync("trader2", new { accountId = 2001, clientOrderId = "ar-offer-1", symbol = "COMI.INT", side = "Sell", price = 80.60m, quantity = 50 });

        var results = page.Locator("#instrument-results li");
        await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
        await results.First.ClickAsync();
        var level = page.Locator("tr.depth-level[data-price='80.6']");
        await Assertions.Expect(level.Locator(".ask-quantity")).ToHaveTextAsync("50");

        // The ladder follows the book as it changes, without a reload: another offer appears by itself.
        await RestAsync("trader2", new { accountId = 2001, clientOrderId = "ar-offer-2", symbol = "COMI.INT", side = "Sell", price = 80.70m, quantity = 30 });
        await Assertions.Expect(page.Locator("tr.depth-level[data-price='80.7'] .ask-quantity")).ToHaveTextAsync("30");

        await page.FillAsync("#quantity", "100");
        await page.FillAsync("#price", "80.505");
        await Assertions.Expect(page.Locator("#price-problem")).ToContainTextAsync("بوحدات تغيّر قدرها 0.01");
        await level.Locator(".depth-price").ClickAsync();
        await Assertions.Expect(page.Locator("#price")).ToHaveValueAsync("80.6");
        await page.FillAsync("#price", "80.50");
        await Assertions.Expect(page.Locator("#notional")).ToContainTextAsync("8,050.00 EGP");
        await page.ClickAsync("#send");
        var result = page.Locator("#order-result");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-status", "Accepted");
        await Assertions.Expect(page.Locator("#order-status")).ToHaveTextAsync("مقبول");
        var orderId = await result.GetAttributeAsync("data-order");
        await Assertions.Expect(page.Locator("tr.depth-level[data-price='80.5'] .bid-quantity")).ToHaveTextAsync("100");

        await page.ClickAsync("#nav-blotter");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("الأوامر");
        var status = page.Locator($".order-status[data-order='{orderId}']");
        await Assertions.Expect(status).ToHaveTextAsync("مقبول");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("trader-arabic-blotter"), FullPage = true });
    }

    [Fact]
    public async Task The_ticket_and_blotter_fit_laptop_and_tablet_widths_in_English_and_Arabic()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await RestAsync("trader1", new { accountId = 1001, clientOrderId = "layout-bid-1", symbol = "COMI.INT", side = "Buy", price = 80.40m, quantity = 200 });
        await RestAsync("trader2", new { accountId = 2001, clientOrderId = "layout-offer-1", symbol = "COMI.INT", side = "Sell", price = 80.60m, quantity = 50 });

        foreach (var (width, height, name) in new[] { (1366, 768, "laptop"), (768, 1024, "tablet") })
        {
            foreach (var language in new[] { "en", "ar" })
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                await context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = _host.Origin }]);
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(30_000);
                await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");
                await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", language == "ar" ? "rtl" : "ltr");

                await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
                await page.Locator("#instrument-results li").First.ClickAsync();
                await Assertions.Expect(page.Locator("tr.depth-level")).ToHaveCountAsync(2);
                await page.FillAsync("#quantity", "100");
                await Assertions.Expect(page.Locator("#notional")).ToContainTextAsync("8,000.00 EGP");
                await AssertNoHorizontalOverflowAsync(page, $"ticket, {name}, {language}");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"ticket-{name}-{language}"), FullPage = true });

                await page.ClickAsync("#nav-blotter");
                await Assertions.Expect(page.Locator(".order-status")).ToHaveCountAsync(1);
                await AssertNoHorizontalOverflowAsync(page, $"blotter, {name}, {language}");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"blotter-{name}-{language}"), FullPage = true });
                // The status and the cancel button are in view without scrolling the table sideways.
                await AssertWithinWidthAsync(page, page.Locator(".order-status").First, $"status, {name}, {language}");
                await AssertWithinWidthAsync(page, page.Locator("#blotter button.btn-outline-danger").First, $"cancel, {name}, {language}");
            }
        }
    }

    private static async Task AssertNoHorizontalOverflowAsync(IPage page, string where)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner, $"{where}: the page is {scroll} px wide in a {inner} px window");
    }

    private static async Task AssertWithinWidthAsync(IPage page, ILocator element, string what)
    {
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException($"{what}: not rendered");
        var inner = await page.EvaluateAsync<int>("window.innerWidth");
        Assert.True(box.X >= 0 && box.X + box.Width <= inner, $"{what}: at x {box.X}..{box.X + box.Width} in a {inner} px window");
    }

    [Fact]
    public async Task A_long_rejection_reason_leaves_every_rows_Amend_and_Cancel_on_screen_in_English_and_Arabic()
    {
        _host.StartServer();
        // A working order, and an order the Sharia pack blocks (a bank on a Sharia-only account) with its long reason.
        await RestAsync("trader1", new { accountId = 1001, clientOrderId = "wrap-working", symbol = "COMI.INT", side = "Buy", price = 78.00m, quantity = 10 });
        using (var http = await _host.ApiClientAsync("trader1"))
        {
            var blocked = await http.PostAsJsonAsync("/api/v1/orders",
                new { accountId = 1003, clientOrderId = "wrap-blocked", symbol = "COMI.INT", side = "Buy", price = 78.00m, quantity = 10 });
            var body = await blocked.Content.ReadAsStringAsync();
            Assert.Contains("\"rejectReason\"", body, StringComparison.Ordinal);
        }
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        page.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(page, _host.Origin, "/portal/blotter", "trader1");

        foreach (var language in new[] { "en", "ar" })
        {
            if (language == "ar")
            {
                await page.ClickAsync("#lang-ar");
                await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
                await Browser.WaitForInteractiveAsync(page);
            }
            var reason = page.Locator(".order-reason").First;
            await Assertions.Expect(reason).ToContainTextAsync("blocked by compliance rules");
            var cancel = page.Locator(".order-cancel").First;
            await Assertions.Expect(cancel).ToBeVisibleAsync();
            // Nothing to scroll to: the buttons are inside the window, and the page is no wider than the window.
            var box = await cancel.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 1366, $"{language}: Cancel is at x={box.X}, width {box.Width}");
            var amend = await page.Locator(".order-amend").First.BoundingBoxAsync();
            Assert.True(amend!.X >= 0 && amend.X + amend.Width <= 1366, $"{language}: Amend is at x={amend.X}");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{language}: the page scrolls sideways");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"blotter-long-reason-{language}"), FullPage = true });
        }
    }

    private async Task RestAsync(string trader, object order)
    {
        using var http = await _host.ApiClientAsync(trader);
        var reply = await http.PostAsJsonAsync("/api/v1/orders", order);
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
    }
}

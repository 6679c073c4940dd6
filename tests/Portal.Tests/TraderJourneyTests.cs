using System.Net.Http.Json;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>Browser journeys against the real platform: a trader trades; a viewer cannot.</summary>
[Collection(Browser.Collection)]
public sealed class TraderJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_trader_picks_an_instrument_and_sends_an_order_with_the_keyboard_alone()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");

        // Tab from the search reaches the results; arrows move through them; Enter picks the highlighted one.
        var search = page.Locator("#instrument-search");
        await search.FocusAsync();
        await page.Keyboard.TypeAsync("COMI");
        await Assertions.Expect(page.Locator("#instrument-results li")).Not.ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#instrument-option-0")).ToBeFocusedAsync();
        await search.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(search).ToHaveAttributeAsync("aria-activedescendant", "instrument-option-0");
        var highlighted = await page.Locator("#instrument-option-0 strong").TextContentAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#instrument-selected")).ToContainTextAsync(highlighted!);

        // The search for one symbol exactly: Enter picks it.
        // "Change" empties the search and gives it the focus; typing starts once the emptied box is on the screen (typed before
        // the server's render arrives, the keystrokes would be overwritten by it: CI saw "COMI.INT" typed into a stale value).
        await page.ClickAsync("#instrument-selected button");
        await Assertions.Expect(search).ToHaveValueAsync("");
        await Assertions.Expect(search).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("COMI.INT");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#instrument-selected")).ToContainTextAsync("COMI.INT");

        // Enter in a field sends the order, once. (The price is replaced in one input, as selecting it and typing over it does:
        // clearing it and typing at once raced the clear's round trip, see the session's note.)
        await page.Locator("#quantity").FocusAsync();
        await page.Keyboard.TypeAsync("100");
        await page.Locator("#price").FillAsync("80.50");
        await page.Locator("#price").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#order-result")).ToHaveAttributeAsync("data-status", "Accepted");
        using var trader = await _host.ApiClientAsync("trader1");
        var orders = await trader.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/orders?accountId=1001&symbol=COMI.INT");
        Assert.Single(orders!["items"]!.AsArray(), o => o!["quantity"]!.GetValue<long>() == 100);
    }

    [Fact]
    public async Task A_trader_sends_a_stop_limit_good_till_a_date_after_confirming_its_summary()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");

        await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
        await page.Locator("#instrument-results li").First.ClickAsync();
        await Assertions.Expect(page.Locator("#instrument-selected")).ToContainTextAsync("COMI.INT");
        await page.SelectOptionAsync("#side", "Sell");
        await page.FillAsync("#quantity", "100");
        await page.SelectOptionAsync("#type", "StopLimit");
        await page.FillAsync("#price", "79.00");
        await page.FillAsync("#stop-price", "79.50");
        await page.SelectOptionAsync("#tif", "Gtd");
        // The browser's own date-time field, read on the venue's clock.
        var until = DateTime.UtcNow.AddDays(2).Date.AddHours(14);
        await page.FillAsync("#expire-at", until.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#expire-at-problem")).ToHaveCountAsync(0);
        await page.CheckAsync("#confirm-orders");
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("#order-confirm-summary")).ToContainTextAsync("Stop-limit: at 79.00 once a trade reaches 79.50 · GTD until");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("trader-confirm-stop-limit"), FullPage = true });
        await page.ClickAsync("#confirm-send");
        await Assertions.Expect(page.Locator("#order-result")).ToHaveAttributeAsync("data-status", "Accepted");

        var orderId = await page.Locator("#order-result").GetAttributeAsync("data-order");
        using var trader = await _host.ApiClientAsync("trader1");
        var order = await trader.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/orders/{orderId}");
        Assert.Equal("StopLimit", order!["type"]!.GetValue<string>());
        Assert.Equal(79.5m, order["stopPrice"]!.GetValue<decimal>());
        Assert.Equal("Gtd", order["timeInForce"]!.GetValue<string>());
        Assert.NotNull(order["expireAt"]);
    }

    [Fact]
    public async Task A_trader_logs_in_places_an_order_and_sees_it_fill()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("trader1");

        var results = page.Locator("#instrument-results li");
        await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
        await Assertions.Expect(results.First).ToContainTextAsync("INTERNAL");
        await results.First.ClickAsync();
        await Assertions.Expect(page.Locator("#instrument-selected")).ToContainTextAsync("COMI.INT");

        await page.FillAsync("#quantity", "100");
        await page.FillAsync("#price", "80.505");
        await Assertions.Expect(page.Locator("#price-problem")).ToContainTextAsync("ticks of 0.01");
        await page.FillAsync("#price", "80.50");
        await Assertions.Expect(page.Locator("#price-problem")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#notional")).ToContainTextAsync("8,050.00 EGP");
        await page.ClickAsync("#check");
        await Assertions.Expect(page.Locator("#check-outcome")).ToHaveTextAsync("pass");
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("#order-status")).ToHaveTextAsync("Accepted");
        var orderId = (await page.Locator("#order-result h2").InnerTextAsync()).Split(' ', ':')[1];

        await page.ClickAsync("#nav-blotter");
        var status = page.Locator($".order-status[data-order='{orderId}']");
        await Assertions.Expect(status).ToHaveTextAsync("Accepted");

        // trader2 sells through the REST API with client credentials: the blotter follows the fill as it happens.
        using var http = await _host.ApiClientAsync("trader2");
        var sell = await http.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = 2001, clientOrderId = "journey-sell-1", symbol = "COMI.INT", side = "Sell", price = 80.00m, quantity = 100,
        });
        Assert.True(sell.IsSuccessStatusCode, await sell.Content.ReadAsStringAsync());

        await Assertions.Expect(status).ToHaveTextAsync("Filled");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("trader-order-filled"), FullPage = true });

        // The order's detail: the rule packs' decision and its journal, accepted then filled.
        await page.ClickAsync($".order-open[data-order='{orderId}']");
        await Assertions.Expect(page.Locator(".order-journal-entry")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".order-journal-entry").Last).ToHaveAttributeAsync("data-kind", "Filled");
        await Assertions.Expect(page.Locator("#order-detail-rules")).ToContainTextAsync("Pass");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("trader-order-detail"), FullPage = true });
        await page.ClickAsync("#order-detail-close");

        // Two more bids rest on account 1001; the trader shows only open orders, then cancels every working one of the account.
        using var own = await _host.ApiClientAsync("trader1");
        foreach (var (id, price) in new[] { ("journey-rest-1", 75.00m), ("journey-rest-2", 75.50m) })
        {
            var rest = await own.PostAsJsonAsync("/api/v1/orders", new { accountId = 1001, clientOrderId = id, symbol = "COMI.INT", side = "Buy", price, quantity = 10 });
            Assert.True(rest.IsSuccessStatusCode, await rest.Content.ReadAsStringAsync());
        }
        await page.SelectOptionAsync("#filter-status", "open");
        await Assertions.Expect(page.Locator(".order-status")).ToHaveCountAsync(2);
        await page.SelectOptionAsync("#filter-account", "1001");
        await page.ClickAsync("#cancel-all");
        await Assertions.Expect(page.Locator("#cancel-all-confirm")).ToContainTextAsync("1001");
        await page.ClickAsync("#cancel-all-yes");
        await Assertions.Expect(page.Locator("#blotter-notice")).ToHaveTextAsync("2 orders canceled.");
        await Assertions.Expect(page.Locator(".order-status")).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#filter-status", "Canceled");
        await Assertions.Expect(page.Locator(".order-status")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_viewer_cannot_trade()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 768 } });
        page.SetDefaultTimeout(30_000);

        await Browser.SignInAsync(page, _host.Origin, "/portal", "viewer1");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("viewer1");
        await Assertions.Expect(page.Locator("#nav-blotter")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-ticket")).ToHaveCountAsync(0);

        var refused = await page.GotoAsync(_host.Origin + "/portal/ticket");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("may not use this page");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("viewer-ticket-refused"), FullPage = true });
    }
}

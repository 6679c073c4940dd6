using System.Net.Http.Json;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// The pages with their newer panels open, as a user leaves them mid-task, for the layout and axe checks: the ticket with the
/// chart drawn and the confirmation showing, the blotter filtered with an order's detail open, the review inbox with a held
/// order's journal and the reassign form open. The platform needs a trade in COMI.INT, a working order of trader1's and an
/// order held for review (<see cref="SeedAsync"/>).
/// </summary>
public static class OpenPanels
{
    /// <summary>A trade in COMI.INT (the chart has a bar), a working bid of trader1's, and an order held for review.</summary>
    public static async Task SeedAsync(PortalHost host)
    {
        await SendAsync(host, "trader2", new { accountId = 2001, clientOrderId = "panels-offer", symbol = "COMI.INT", side = "Sell", price = 80.40m, quantity = 20 });
        await SendAsync(host, "trader1", new { accountId = 1001, clientOrderId = "panels-lift", symbol = "COMI.INT", side = "Buy", price = 80.40m, quantity = 20 });
        await SendAsync(host, "trader1", new { accountId = 1001, clientOrderId = "panels-rest", symbol = "COMI.INT", side = "Buy", price = 79.20m, quantity = 30 });
        await host.HoldForReviewAsync("panels-held");
    }

    /// <summary>A browser context at the given size and language (the culture cookie the language switch sets).</summary>
    public static async Task<IPage> PageAsync(IBrowser browser, PortalHost host, int width, int height, string language)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = host.Origin }]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>The ticket on COMI.INT with its chart drawn and a limit order's confirmation showing (nothing sent).</summary>
    public static async Task TicketWithConfirmationAsync(IPage page, string origin)
    {
        await GoAsync(page, origin, "/portal/ticket");
        await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
        await page.Locator("#instrument-results li").First.ClickAsync();
        await Assertions.Expect(page.Locator("#price-chart .price-line")).ToHaveCountAsync(1);
        await page.FillAsync("#quantity", "100");
        await page.FillAsync("#display-quantity", "20");
        await page.CheckAsync("#confirm-orders");
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("#order-confirm-summary")).ToContainTextAsync("COMI.INT");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>The blotter filtered to open buy orders, with the working bid's detail (decision and journal) open.</summary>
    public static async Task BlotterWithDetailAsync(IPage page, string origin)
    {
        await GoAsync(page, origin, "/portal/blotter");
        await page.SelectOptionAsync("#filter-status", "open");
        await page.SelectOptionAsync("#filter-side", "Buy");
        var working = page.Locator(".order-status[data-status='Accepted']");
        await Assertions.Expect(working).ToHaveCountAsync(1);
        var id = await working.GetAttributeAsync("data-order");
        await page.Locator($".order-open[data-order='{id}']").ClickAsync();
        await Assertions.Expect(page.Locator("#order-detail .order-journal-entry")).Not.ToHaveCountAsync(0);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>The inbox with the held order's task open: its journal shown and the reassign form unfolded.</summary>
    public static async Task InboxWithTaskOpenAsync(IPage page, string origin)
    {
        await GoAsync(page, origin, "/portal/inbox");
        // The held order's task, whatever else is waiting (a rule-pack change has no order to open).
        var task = page.Locator(".inbox-task").Filter(new() { Has = page.Locator(".task-order-detail") }).First;
        await task.Locator(".task-order-detail").ClickAsync();
        await Assertions.Expect(task.Locator("#order-detail .order-journal-entry")).Not.ToHaveCountAsync(0);
        await task.Locator(".task-reassign summary").ClickAsync();
        await Assertions.Expect(task.Locator(".task-reassign-button")).ToBeVisibleAsync();
        await Assertions.Expect(task.Locator(".task-claim-button")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    private static async Task GoAsync(IPage page, string origin, string path)
    {
        if (page.Url != origin + path)
        {
            await page.GotoAsync(origin + path);
        }
        await Browser.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
    }

    private static async Task SendAsync(PortalHost host, string user, object order)
    {
        using var http = await host.ApiClientAsync(user);
        using var reply = await http.PostAsJsonAsync("/api/v1/orders", order);
        Assert.True(reply.IsSuccessStatusCode, $"{user}: {(int)reply.StatusCode} {await reply.Content.ReadAsStringAsync()}");
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journeys through the ticket's and blotter's newer parts, on one platform for the class: a stop-limit good till a
/// time today, confirmed from its summary, found in the blotter with its venue time and time in force, filtered, searched,
/// opened and cancelled with cancel-all; an iceberg whose book shows only its display quantity; the day's chart drawn from
/// trades sent through the REST API. The two journeys use different accounts (1001 and 1002), so either may run first.
/// </summary>
[Collection(Browser.Collection)]
public sealed class OrderPagesJourneyTests : IClassFixture<OrderPagesJourneyTests.Platform>
{
    /// <summary>One platform for the class.</summary>
    public sealed class Platform : IDisposable
    {
        public Platform() => Host.StartServer();

        public PortalHost Host { get; } = new();

        public void Dispose() => Host.Dispose();
    }

    private readonly PortalHost _host;

    public OrderPagesJourneyTests(Platform platform) => _host = platform.Host;

    [Fact]
    public async Task A_trader_confirms_a_stop_limit_good_till_today_finds_it_in_the_blotter_opens_it_and_cancels_it_with_cancel_all()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");

        // COMI.INT trades on the internal venue: its clock is the venue's time zone, as the API lists it.
        using var trader = await _host.ApiClientAsync("trader1");
        var zone = await VenueZoneAsync(trader, "INTERNAL");
        var venueNow = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone);
        // Good till 23:59 today on the venue's clock (tomorrow's 23:59 only in the last minutes of the venue's day).
        var until = DateTime.SpecifyKind(venueNow.Date.AddHours(23).AddMinutes(59), DateTimeKind.Unspecified);
        if (until - venueNow < TimeSpan.FromMinutes(10))
        {
            until = until.AddDays(1);
        }

        await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
        await page.Locator("#instrument-results li").First.ClickAsync();
        await Assertions.Expect(page.Locator("#instrument-selected")).ToContainTextAsync("COMI.INT");
        await page.SelectOptionAsync("#account", "1001");
        await page.SelectOptionAsync("#side", "Sell");
        await page.FillAsync("#quantity", "50");
        await page.SelectOptionAsync("#type", "StopLimit");
        // A stop-limit has no display quantity: only a resting limit order can be an iceberg.
        await Assertions.Expect(page.Locator("#display-quantity")).ToHaveCountAsync(0);
        await page.FillAsync("#price", "78.00");
        await page.FillAsync("#stop-price", "78.50");
        await page.SelectOptionAsync("#tif", "Gtd");
        await Assertions.Expect(page.Locator("label[for=expire-at]")).ToContainTextAsync($"(INTERNAL time, {zone.Id})");
        await page.FillAsync("#expire-at", Invariant(until, "yyyy-MM-ddTHH:mm"));
        await Assertions.Expect(page.Locator("#expire-at-problem")).ToHaveCountAsync(0);
        await page.CheckAsync("#confirm-orders");
        await page.ClickAsync("#send");

        // The whole order in one sentence before anything is sent.
        var summary = page.Locator("#order-confirm-summary");
        await Assertions.Expect(summary).ToHaveTextAsync(
            $"Sell 50 COMI.INT · Stop-limit: at 78.00 once a trade reaches 78.50 · GTD until {Invariant(until, "yyyy-MM-dd HH:mm")} ({zone.Id}) · Account 1001 · 3,900.00 EGP");
        await Assertions.Expect(page.Locator("#order-result")).ToHaveCountAsync(0);
        await page.ClickAsync("#confirm-send");
        var result = page.Locator("#order-result");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-status", "Accepted");
        var orderId = (await result.GetAttributeAsync("data-order"))!;
        var order = await trader.GetFromJsonAsync<JsonObject>($"/api/v1/orders/{orderId}");
        Assert.Equal("StopLimit", order!["type"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(until, zone.GetUtcOffset(until)), order["expireAt"]!.GetValue<DateTimeOffset>());

        // The blotter: the order's venue and time in force under its symbol and type, its time on the venue's clock.
        await page.ClickAsync("#nav-blotter");
        await Browser.WaitForInteractiveAsync(page);
        var row = page.Locator("#blotter tbody tr").Filter(new() { Has = page.Locator($".order-open[data-order='{orderId}']") });
        await Assertions.Expect(row.Locator(".order-venue")).ToHaveTextAsync("INTERNAL");
        await Assertions.Expect(row.Locator(".order-tif")).ToHaveTextAsync("GTD");
        var createdUtc = DateTime.Parse(order["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var created = TimeZoneInfo.ConvertTimeFromUtc(createdUtc, zone);
        await Assertions.Expect(row.Locator(".order-time")).ToHaveTextAsync(Invariant(created, "HH:mm:ss"));
        await Assertions.Expect(row.Locator(".order-time")).ToHaveAttributeAsync("title", $"{Invariant(created, "yyyy-MM-dd HH:mm:ss")} ({zone.Id})");

        // A filled order of the same account, so the search and the filters have something to leave out.
        await SendAsync("trader2", new { accountId = 2001, clientOrderId = "pages-offer", symbol = "COMI.INT", side = "Sell", price = 80.20m, quantity = 10 });
        var lift = await SendAsync("trader1", new { accountId = 1001, clientOrderId = "pages-lift", symbol = "COMI.INT", side = "Buy", price = 80.20m, quantity = 10 });
        var lifted = page.Locator($".order-status[data-order='{lift}']");
        await Assertions.Expect(lifted).ToHaveAttributeAsync("data-status", "Filled");

        // The search by order id keeps the order and leaves the filled one out; emptied, both are back.
        await page.FillAsync("#filter-search", orderId);
        await Assertions.Expect(lifted).ToHaveCountAsync(0);
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await page.FillAsync("#filter-search", "");
        await Assertions.Expect(lifted).ToHaveCountAsync(1);

        // Open orders of account 1001 only: the filled one goes, the stop-limit stays.
        await page.SelectOptionAsync("#filter-status", "open");
        await page.SelectOptionAsync("#filter-account", "1001");
        await Assertions.Expect(lifted).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".order-status[data-status='Filled']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($".order-status[data-order='{orderId}']")).ToHaveTextAsync("Accepted");

        // Its detail: terms with the stop and the end on the venue's clock, the rule packs' decision, the journal.
        await row.Locator(".order-open").ClickAsync();
        var detail = page.Locator("#order-detail");
        await Assertions.Expect(detail.Locator("#order-detail-title")).ToHaveTextAsync($"Order {orderId}");
        await Assertions.Expect(detail.Locator("#order-detail-terms")).ToContainTextAsync(new Regex(@"Sell 50 COMI\.INT, Stop limit, GTD @ 78(\.00?)?, Stop price 78\.50?"));
        await Assertions.Expect(detail.Locator("#order-detail-terms")).ToContainTextAsync($"until {Invariant(until, "yyyy-MM-dd HH:mm")}:00");
        await Assertions.Expect(detail.Locator("#order-detail-rules")).ToContainTextAsync("Passed (");
        var journal = (await trader.GetFromJsonAsync<JsonArray>($"/api/v1/orders/{orderId}/events"))!;
        await Assertions.Expect(detail.Locator(".order-journal-entry")).ToHaveCountAsync(journal.Count);
        await Assertions.Expect(detail.Locator(".order-journal-entry").First).ToHaveAttributeAsync("data-kind", journal[0]!["kind"]!.GetValue<string>());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("blotter-stop-limit-detail"), FullPage = true });

        // Cancel-all for account 1001 asks first, names the account and how many are shown, and then cancels it.
        await page.ClickAsync("#cancel-all");
        await Assertions.Expect(page.Locator("#cancel-all-confirm")).ToContainTextAsync("account 1001 (1 shown here)");
        await page.ClickAsync("#cancel-all-yes");
        await Assertions.Expect(page.Locator("#blotter-notice")).ToHaveTextAsync("1 order canceled.");
        await Assertions.Expect(page.Locator(".order-status")).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#filter-status", "");
        await Assertions.Expect(page.Locator($".order-status[data-order='{orderId}']")).ToHaveAttributeAsync("data-status", "Canceled");
        // The detail, still open, follows the order to its cancel.
        await Assertions.Expect(detail.Locator(".order-journal-entry").Last).ToHaveAttributeAsync("data-kind", "Canceled");
        var after = await trader.GetFromJsonAsync<JsonObject>($"/api/v1/orders/{orderId}");
        Assert.Equal("Canceled", after!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_iceberg_shows_only_its_display_quantity_and_the_chart_draws_the_days_trades()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(page, _host.Origin, "/portal/ticket", "trader1");

        await page.Locator("#instrument-search").PressSequentiallyAsync("COMI.INT");
        await page.Locator("#instrument-results li").First.ClickAsync();
        await Assertions.Expect(page.Locator("#price-chart")).ToHaveAttributeAsync("data-symbol", "COMI.INT");

        // An iceberg: 1,000 bid at 79.10 on account 1002, 100 shown at a time.
        await page.SelectOptionAsync("#account", "1002");
        await page.FillAsync("#quantity", "1000");
        await page.FillAsync("#price", "79.10");
        await page.FillAsync("#display-quantity", "1000");
        await Assertions.Expect(page.Locator("#display-quantity-problem")).ToContainTextAsync("less than the quantity");
        await Assertions.Expect(page.Locator("#send")).ToBeDisabledAsync();
        await page.FillAsync("#display-quantity", "100");
        await Assertions.Expect(page.Locator("#display-quantity-problem")).ToHaveCountAsync(0);
        await page.ClickAsync("#send");
        var result = page.Locator("#order-result");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-status", "Accepted");
        var orderId = await result.GetAttributeAsync("data-order");
        // The book shows the displayed slice, not the whole order.
        await Assertions.Expect(page.Locator("tr.depth-level[data-price='79.1'] .bid-quantity")).ToHaveTextAsync("100");
        using var trader = await _host.ApiClientAsync("trader1");
        var order = await trader.GetFromJsonAsync<JsonObject>($"/api/v1/orders/{orderId}");
        Assert.Equal(1000, order!["quantity"]!.GetValue<long>());
        Assert.Equal(100, order["displayQuantity"]!.GetValue<long>());

        // The day's trades, sent through the REST API by trader2 and trader1: the chart draws them without a reload.
        foreach (var (n, price, quantity) in new[] { (1, 80.30m, 20), (2, 80.90m, 30), (3, 80.60m, 10) })
        {
            await SendAsync("trader2", new { accountId = 2001, clientOrderId = $"chart-offer-{n}", symbol = "COMI.INT", side = "Sell", price, quantity });
            await SendAsync("trader1", new { accountId = 1002, clientOrderId = $"chart-lift-{n}", symbol = "COMI.INT", side = "Buy", price, quantity });
        }
        using var bars = await trader.GetAsync("/api/v1/instruments/COMI.INT/bars?interval=5m");
        var day = JsonNode.Parse(await bars.Content.ReadAsStringAsync())!["bars"]!.AsArray();
        var high = day.Max(b => b!["high"]!.GetValue<decimal>());
        var low = day.Min(b => b!["low"]!.GetValue<decimal>());
        var volume = day.Sum(b => b!["volume"]!.GetValue<long>());
        Assert.True(volume >= 60, $"the bars hold {volume} traded");
        var chart = page.Locator("#price-chart");
        await Assertions.Expect(chart.Locator(".price-line")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator(".volume-bar")).ToHaveCountAsync(day.Count);
        await Assertions.Expect(chart.Locator(".price-high")).ToHaveTextAsync(high.ToString("0.####", CultureInfo.InvariantCulture));
        await Assertions.Expect(chart.Locator(".price-low")).ToHaveTextAsync(low.ToString("0.####", CultureInfo.InvariantCulture));
        await Assertions.Expect(chart.Locator("#price-chart-desc")).ToContainTextAsync($"volume {volume}.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("ticket-iceberg-and-chart"), FullPage = true });

        // The blotter's detail of the iceberg names its display quantity.
        await page.ClickAsync("#nav-blotter");
        await Browser.WaitForInteractiveAsync(page);
        await page.Locator($".order-open[data-order='{orderId}']").ClickAsync();
        await Assertions.Expect(page.Locator("#order-detail-terms")).ToContainTextAsync(new Regex(@"Buy 1000 COMI\.INT, Limit, Day @ 79\.10?, shown 100"));
    }

    private static async Task<TimeZoneInfo> VenueZoneAsync(HttpClient http, string venue)
    {
        var venues = await http.GetFromJsonAsync<JsonArray>("/api/v1/venues");
        var zone = venues!.Single(v => v!["code"]!.GetValue<string>() == venue)!["timeZone"]!.GetValue<string>();
        return TimeZoneInfo.FindSystemTimeZoneById(zone);
    }

    private static string Invariant(DateTime time, string format) => time.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>An order through the REST API as <paramref name="user"/>; its id.</summary>
    private async Task<long> SendAsync(string user, object order)
    {
        using var http = await _host.ApiClientAsync(user);
        using var reply = await http.PostAsJsonAsync("/api/v1/orders", order);
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode, $"{user}: {(int)reply.StatusCode} {body}");
        return JsonNode.Parse(body)!["orderId"]!.GetValue<long>();
    }
}

using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Contracts;
using TradSys.Web.Portal.Components.Pages.Trading;
using TradSys.Web.Portal.Components.Shared;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>bUnit tests of the trader's positions grid and the live depth ladder, the API answered by <see cref="StubApi"/>.</summary>
public sealed class TraderPagesTests : BunitContext
{
    private readonly StubApi _api = new();
    private readonly TradSys.Web.Ordering.Risk.RiskAlertFeed _alerts = new();
    private readonly MarketDataFeed _feed = new();

    private const string Positions = """
        [{"accountId":1001,"symbol":"COMI.INT","currency":"EGP","quantity":50,"averageCost":81,"realisedPnl":300,"price":83,
          "priceSource":"Last","marketValue":4150,"unrealisedPnl":100,"trades":3},
         {"accountId":1002,"symbol":"COMI.INT","currency":"EGP","quantity":1000,"averageCost":80.1,"realisedPnl":0,"price":80,
          "priceSource":"Reference","marketValue":80000,"unrealisedPnl":-100,"trades":1},
         {"accountId":1002,"symbol":"FAB.INT","currency":"AED","quantity":-30,"averageCost":15.5,"realisedPnl":-12.25,"price":15.52,
          "priceSource":"Last","marketValue":-465.6,"unrealisedPnl":-0.6,"trades":2}]
        """;

    private const string Depth = """
        {"symbol":"COMI.INT","bids":[{"price":80.5,"quantity":100,"orders":1},{"price":80.4,"quantity":1200,"orders":3}],
         "asks":[{"price":80.6,"quantity":40,"orders":2},{"price":81,"quantity":10,"orders":1}]}
        """;

    public TraderPagesTests()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("trader1");
        auth.SetRoles("trader");
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddSingleton<OrderUpdateFeed>();
        Services.AddSingleton(_alerts);
        Services.AddSingleton(_feed);
        JSInterop.Mode = JSRuntimeMode.Loose; // QuickGrid imports its script module; nothing here depends on it
        Services.AddSingleton(TimeProvider.System);
        Services.AddLocalization();
    }

    private const string WorkingOrder = """
        {"items":[{"orderId":42,"clientOrderId":"c42","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
          "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"status":"Accepted",
          "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}],"page":1,"pageSize":200,"total":1}
        """;

    [Fact]
    public void A_refused_amend_says_why_and_stays_in_edit_mode()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/orders"] = (HttpStatusCode.OK, WorkingOrder);
        _api.Replies["PATCH /api/v1/orders/42"] = (HttpStatusCode.BadRequest, """
            {"title":"One or more validation errors occurred.","status":400,
             "errors":{"price":["must be within today's limits 72.45-88.55 EGP"]}}
            """);
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.NotEmpty(blotter.FindAll("[data-order='42']")));
        blotter.FindAll("button").Single(b => b.TextContent == "Amend").Click();
        blotter.Find(".amend-price").Input("99.5");
        blotter.FindAll("button").Single(b => b.TextContent == "Save").Click();

        blotter.WaitForAssertion(() => Assert.Contains(blotter.FindAll("[role=alert]"), a => a.TextContent.Contains("72.45-88.55", StringComparison.Ordinal)));
        Assert.NotEmpty(blotter.FindAll(".amend-price"));
        Assert.Contains("\"price\":99.5", _api.Requests.Single(r => r.Method == "PATCH").Body!, StringComparison.Ordinal);

        // Acting again clears it.
        blotter.FindAll("button").Single(b => b.TextContent == "Back").Click();
        Assert.Empty(blotter.FindAll("[role=alert]"));
    }

    [Theory]
    [InlineData("1003", "accountId=1003")]
    [InlineData("2001", null)] // not one of the trader's accounts: the link is ignored, the API would refuse it
    [InlineData("abc", null)]
    public void A_link_with_an_account_opens_the_blotter_on_that_account(string account, string? expected)
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK,
            """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2},{"accountId":1004,"name":"Huda Ibrahim (margin)","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/orders"] = (HttpStatusCode.OK, WorkingOrder);
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/portal/blotter?account={account}");

        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.NotEmpty(blotter.FindAll("[data-order='42']")));

        var query = _api.Requests.First(r => r.Path.StartsWith("/api/v1/orders?", StringComparison.Ordinal)).Path;
        if (expected is null)
        {
            Assert.DoesNotContain("accountId=", query, StringComparison.Ordinal);
            Assert.True(string.IsNullOrEmpty(blotter.Find("#filter-account").GetAttribute("value")));
        }
        else
        {
            Assert.Contains(expected, query, StringComparison.Ordinal);
            Assert.Equal(account, blotter.Find("#filter-account").GetAttribute("value"));
        }
    }

    [Fact]
    public void A_refused_cancel_says_why()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/orders"] = (HttpStatusCode.OK, WorkingOrder);
        _api.Replies["DELETE /api/v1/orders/42"] = (HttpStatusCode.Conflict, """
            {"title":"Conflict","status":409,"detail":"order 42 is Filled; only working or held (PendingReview) orders can be canceled"}
            """);
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.NotEmpty(blotter.FindAll("[data-order='42']")));
        blotter.FindAll("button").Single(b => b.TextContent == "Cancel").Click();
        blotter.WaitForAssertion(() => Assert.Contains(blotter.FindAll("[role=alert]"), a => a.TextContent.Contains("only working or held", StringComparison.Ordinal)));
    }

    private const string TwoOrders = """
        {"items":[{"orderId":42,"clientOrderId":"c42","accountId":1003,"symbol":"COMI.CA","side":"Buy","type":"Limit","timeInForce":"Day",
          "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"status":"Accepted",
          "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"},
         {"orderId":43,"clientOrderId":"hedge-7","accountId":1003,"symbol":"FAB.INT","side":"Sell","type":"Limit","timeInForce":"Gtc",
          "price":15.5,"quantity":30,"filledQuantity":30,"leavesQuantity":0,"averagePrice":15.5,"status":"Filled",
          "createdAt":"2026-11-24T08:00:00Z","updatedAt":"2026-11-24T08:00:01Z"}],"page":1,"pageSize":200,"total":2}
        """;

    private void ReferenceData()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, """
            [{"symbol":"COMI.CA","isin":"EGS60121C018","name":"Commercial International Bank (Egypt)","venue":"EGX","mic":"XCAI","currency":"EGP",
              "sector":"Conventional Finance","isDerivative":false,"lotSize":1,"referencePrice":80.00,"lowerLimit":72.00,"upperLimit":88.00,
              "tickTable":[{"from":0,"tick":0.01}],"status":"Trading","venuePhase":"Continuous"}]
            """);
        _api.Replies["GET /api/v1/venues"] = (HttpStatusCode.OK, """
            [{"code":"EGX","mic":"XCAI","name":"Egyptian Exchange","currency":"EGP","timeZone":"Africa/Cairo","defaultLotSize":1}]
            """);
        _api.Replies["GET /api/v1/orders"] = (HttpStatusCode.OK, TwoOrders);
    }

    [Fact]
    public void The_blotter_filters_through_the_api_searches_what_it_loaded_and_shows_times_on_the_venues_clock()
    {
        ReferenceData();
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.Equal(2, blotter.FindAll(".order-status").Count));
        // EGX keeps Cairo time (UTC+2 in November); an instrument with no known venue shows UTC.
        var row42 = blotter.Find(".order-open[data-order='42']").Closest("tr")!;
        Assert.Equal("2026-11-24 09:00:00 (Africa/Cairo)", row42.QuerySelector(".order-time")!.GetAttribute("title"));
        Assert.Equal("2026-11-24", row42.QuerySelector(".order-time")!.TextContent); // an earlier day shows its date
        Assert.Equal("EGX", row42.QuerySelector(".order-venue")!.TextContent);
        Assert.Equal("Day", row42.QuerySelector(".order-tif")!.TextContent);
        Assert.Equal("2026-11-24 08:00:00 (UTC)", blotter.Find(".order-open[data-order='43']").Closest("tr")!.QuerySelector(".order-time")!.GetAttribute("title"));

        blotter.Find("#filter-status").Change("open");
        blotter.WaitForAssertion(() => Assert.EndsWith("/api/v1/orders?pageSize=200&open=true", _api.Requests[^1].Path, StringComparison.Ordinal));
        blotter.Find("#filter-side").Change("Sell");
        blotter.WaitForAssertion(() => Assert.EndsWith("/api/v1/orders?pageSize=200&open=true&side=Sell", _api.Requests[^1].Path, StringComparison.Ordinal));
        blotter.Find("#filter-status").Change("Filled");
        blotter.WaitForAssertion(() => Assert.EndsWith("/api/v1/orders?pageSize=200&status=Filled&side=Sell", _api.Requests[^1].Path, StringComparison.Ordinal));

        // The search narrows what is loaded, by symbol, client order id or order id, without asking the API again.
        var asked = _api.Requests.Count;
        blotter.Find("#filter-search").Input("hedge");
        Assert.Equal(["43"], blotter.FindAll(".order-open").Select(b => b.TextContent));
        blotter.Find("#filter-search").Input("comi");
        Assert.Equal(["42"], blotter.FindAll(".order-open").Select(b => b.TextContent));
        blotter.Find("#filter-search").Input("43");
        Assert.Equal(["43"], blotter.FindAll(".order-open").Select(b => b.TextContent));
        Assert.Equal(asked, _api.Requests.Count);
    }

    [Fact]
    public void An_orders_detail_shows_its_rule_decision_and_its_journal_and_follows_its_updates()
    {
        ReferenceData();
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, """
            {"orderId":42,"clientOrderId":"c42","accountId":1003,"symbol":"COMI.CA","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z",
             "decision":{"outcome":"Warn","decidedAt":"2026-11-24T07:00:00Z","reasons":[],
               "warnings":[{"code":"FRA-CONC","message":"the order is over 5% of the day's volume","rule":"conc","outcome":"Warn","pack":"fra","version":"1.2.0","article":"FRA 2.1"}],
               "reportTags":[],"packs":[{"packId":"fra","version":"1.2.0"}],"explanation":[],"fault":null}}
            """);
        _api.Replies["GET /api/v1/orders/42/events"] = (HttpStatusCode.OK, """
            [{"sequence":7,"kind":"Accepted","status":"Accepted","price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":100,
              "timestamp":"2026-11-24T07:00:00Z"}]
            """);
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.Equal(2, blotter.FindAll(".order-status").Count));
        blotter.Find(".order-open[data-order='42']").Click();

        blotter.WaitForAssertion(() => Assert.Single(blotter.FindAll(".order-journal-entry")));
        Assert.Contains("over 5% of the day's volume", blotter.Find("#order-detail .rule-warning").TextContent, StringComparison.Ordinal);
        Assert.Contains("fra 1.2.0", blotter.Find("#order-detail-rules").TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-11-24 09:00:00", blotter.Find(".order-journal-entry").TextContent, StringComparison.Ordinal);

        // A fill is journalled: the open detail reads the order again.
        _api.Replies["GET /api/v1/orders/42/events"] = (HttpStatusCode.OK, """
            [{"sequence":7,"kind":"Accepted","status":"Accepted","price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"timestamp":"2026-11-24T07:00:00Z"},
             {"sequence":9,"kind":"Filled","status":"Filled","price":80.5,"quantity":100,"filledQuantity":100,"leavesQuantity":0,"tradeId":3,
              "fillPrice":80.5,"fillQuantity":100,"timestamp":"2026-11-24T07:00:05Z"}]
            """);
        Services.GetRequiredService<OrderUpdateFeed>().Publish(new OrderUpdated(9, 42, "c42", 1003, "COMI.CA", "Buy", "Filled", "Filled", 80.5m, 100, 100, 0, 3,
            80.5m, 100, null, DateTime.UtcNow));
        blotter.WaitForAssertion(() => Assert.Equal(2, blotter.FindAll(".order-journal-entry").Count));
        Assert.Contains("100 @ 80.5", blotter.FindAll(".order-journal-entry")[1].TextContent, StringComparison.Ordinal);

        blotter.Find("#order-detail-close").Click();
        blotter.WaitForAssertion(() => Assert.Empty(blotter.FindAll("#order-detail")));
    }

    [Fact]
    public void An_orders_detail_reads_its_terms_and_decision_as_spaced_words()
    {
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, """
            {"orderId":42,"clientOrderId":"c42","accountId":1003,"symbol":"COMI.INT","side":"Sell","type":"StopLimit","timeInForce":"Gtd",
             "price":78,"stopPrice":78.5,"displayQuantity":null,"expireAt":"2026-11-24T21:59:00Z","quantity":50,"filledQuantity":10,
             "averagePrice":78.2,"leavesQuantity":40,"status":"PartiallyFilled","createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z",
             "decision":{"outcome":"Pass","decidedAt":"2026-11-24T07:00:00Z","reasons":[],"warnings":[],"reportTags":[],
               "packs":[{"packId":"fra","version":"1.2.0"}],"explanation":[],"fault":null}}
            """);
        _api.Replies["GET /api/v1/orders/42/events"] = (HttpStatusCode.OK, "[]");
        var detail = Render<OrderDetail>(p => p.Add(d => d.OrderId, 42L));
        detail.WaitForAssertion(() => Assert.NotNull(detail.Find("#order-detail-rules")));

        // Each part separated as it is read aloud and shown: not "GTD@ 78" nor "Passed(fra 1.2.0)".
        var terms = detail.FindAll("#order-detail-terms dd")[2].TextContent;
        Assert.Equal("Sell 50 COMI.INT, Stop limit, GTD @ 78, Stop price 78.5, until 2026-11-24 21:59:00", Words(terms));
        Assert.Equal("Passed (fra 1.2.0)", Words(detail.Find("#order-detail-rules").TextContent));
        Assert.Equal("Partially filled, Filled qty 10 at 78.2", Words(detail.Find("#order-detail-status").TextContent));
    }

    [Fact]
    public void An_orders_journal_gives_each_reason_a_row_of_its_own_under_its_event()
    {
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, """
            {"orderId":42,"clientOrderId":"c42","accountId":1002,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":80,"quantity":10,"filledQuantity":0,"leavesQuantity":10,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:05:00Z"}
            """);
        _api.Replies["GET /api/v1/orders/42/events"] = (HttpStatusCode.OK, """
            [{"sequence":5,"kind":"HeldForReview","status":"PendingReview","price":80,"quantity":10,"filledQuantity":0,"leavesQuantity":10,
              "reason":"held for review: FATCA-6008 (FATCA.ENHANCED_REVIEW): Balance 1,000,001 USD needs FATCA enhanced review.","timestamp":"2026-11-24T07:00:00Z"},
             {"sequence":6,"kind":"Released","status":"Accepted","price":80,"quantity":10,"filledQuantity":0,"leavesQuantity":10,"timestamp":"2026-11-24T07:05:00Z"}]
            """);
        var detail = Render<OrderDetail>(p => p.Add(d => d.OrderId, 42L));
        detail.WaitForAssertion(() => Assert.Equal(2, detail.FindAll(".order-journal-entry").Count));

        // One row per event, and the held event's reason on the row under it, across the journal's columns.
        var rows = detail.FindAll("#order-journal tbody tr");
        Assert.Equal(["order-journal-entry", "order-journal-reason", "order-journal-entry"], rows.Select(r => r.ClassName));
        Assert.Equal("Reason", rows[1].QuerySelector("th[scope=row]")!.TextContent);
        Assert.Equal("7", rows[1].QuerySelector("td.order-reason")!.GetAttribute("colspan"));
        Assert.StartsWith("held for review: FATCA-6008", rows[1].QuerySelector("td.order-reason")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(8, detail.FindAll("#order-journal thead th").Count);
    }

    private static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    [Fact]
    public void Cancel_all_asks_first_then_mass_cancels_the_account_and_says_how_many()
    {
        ReferenceData();
        _api.Replies["DELETE /api/v1/orders"] = (HttpStatusCode.OK, """{"canceled":1,"orderIds":[42]}""");
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.Equal(2, blotter.FindAll(".order-status").Count));

        blotter.Find("#cancel-all").Click();
        Assert.Contains("account 1003 (1 shown here)", blotter.Find("#cancel-all-confirm").TextContent, StringComparison.Ordinal);
        blotter.Find("#cancel-all-no").Click();
        Assert.DoesNotContain(_api.Requests, r => r.Method == "DELETE");

        blotter.Find("#cancel-all").Click();
        blotter.Find("#cancel-all-yes").Click();
        blotter.WaitForAssertion(() => Assert.Equal("1 order canceled.", blotter.Find("#blotter-notice").TextContent));
        Assert.Equal("/api/v1/orders?accountId=1003", _api.Requests.Single(r => r.Method == "DELETE").Path);
    }

    [Fact]
    public void The_chart_draws_the_days_bars_and_says_what_it_shows()
    {
        _api.Replies["GET /api/v1/instruments/COMI.INT/bars"] = (HttpStatusCode.OK, """
            {"symbol":"COMI.INT","currency":"EGP","interval":"5m","timeZone":"Africa/Cairo","from":"2026-11-23T22:00:00Z",
             "bars":[{"time":"2026-11-24T08:00:00Z","open":80,"high":81,"low":79.5,"close":79.5,"volume":20,"trades":3},
                     {"time":"2026-11-24T08:10:00Z","open":80.2,"high":80.2,"low":80.2,"close":80.2,"volume":1,"trades":1}]}
            """);
        var chart = Render<PriceChart>(p => p.Add(c => c.Symbol, "COMI.INT"));
        chart.WaitForAssertion(() => Assert.Equal(2, chart.FindAll("rect.volume-bar").Count));
        Assert.Equal(2, chart.Find("polyline.price-line").GetAttribute("points")!.Split(' ').Length);
        Assert.Equal("81", chart.Find("text.price-high").TextContent);
        Assert.Equal("79.5", chart.Find("text.price-low").TextContent);
        // Times on the venue's clock (Cairo, UTC+2), for a screen reader and in each bar's tooltip.
        Assert.Equal("2 bars from 2026-11-24 10:00:00 to 2026-11-24 10:10:00: first 80, last 80.2, low 79.5, high 81, volume 21.",
            chart.Find("svg desc").TextContent);
        Assert.StartsWith("2026-11-24 10:00:00: open 80, high 81, low 79.5, close 79.5, volume 20", chart.Find("rect.volume-bar title").TextContent, StringComparison.Ordinal);

        chart.Find("#price-chart-interval").Change("1m");
        chart.WaitForAssertion(() => Assert.EndsWith("/bars?interval=1m", _api.Requests[^1].Path, StringComparison.Ordinal));
    }

    [Fact]
    public void The_chart_says_when_nothing_has_traded()
    {
        _api.Replies["GET /api/v1/instruments/COMI.INT/bars"] = (HttpStatusCode.OK, """
            {"symbol":"COMI.INT","currency":"EGP","interval":"5m","timeZone":"Etc/UTC","from":"2026-11-24T00:00:00Z","bars":[]}
            """);
        var chart = Render<PriceChart>(p => p.Add(c => c.Symbol, "COMI.INT"));
        chart.WaitForAssertion(() => Assert.Equal("No trade yet today.", chart.Find("#price-chart-empty").TextContent));
        Assert.Empty(chart.FindAll("svg"));
    }

    [Fact]
    public void The_positions_grid_lists_each_row_and_totals_each_currency_apart()
    {
        _api.Replies["GET /api/v1/positions"] = (HttpStatusCode.OK, Positions);
        var page = Render<Positions>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("#positions tbody tr").Count));
        var first = page.FindAll("#positions tbody tr")[0].TextContent;
        Assert.Contains("COMI.INT", first, StringComparison.Ordinal);
        Assert.Contains("4,150.00", first, StringComparison.Ordinal);
        Assert.Contains("300.00", first, StringComparison.Ordinal);

        // EGP: 4,150 + 80,000 market value, 100 - 100 unrealised, 300 realised; AED never added to EGP.
        var egp = page.Find("#position-totals tr[data-currency=EGP]");
        Assert.Equal("84,150.00", egp.QuerySelector(".total-market-value")!.TextContent);
        Assert.Equal("0.00", egp.QuerySelector(".total-unrealised")!.TextContent.Trim());
        Assert.Equal("300.00", egp.QuerySelector(".total-realised")!.TextContent.Trim());
        var aed = page.Find("#position-totals tr[data-currency=AED]");
        Assert.Equal("-465.60", aed.QuerySelector(".total-market-value")!.TextContent);
        Assert.Equal("-12.25", aed.QuerySelector(".total-realised")!.TextContent.Trim());
        Assert.Equal(2, page.FindAll("#position-totals tbody tr").Count);
    }

    [Fact]
    public void A_failed_read_of_positions_is_shown()
    {
        _api.Replies["GET /api/v1/positions"] = (HttpStatusCode.Forbidden, """{"title":"Forbidden","detail":"account 2001 is not yours"}""");
        var page = Render<Positions>();
        page.WaitForAssertion(() => Assert.Contains("account 2001 is not yours", page.Find("#positions-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void The_ladder_shows_asks_above_bids_with_quantities_and_order_counts()
    {
        _api.Replies["GET /api/v1/instruments/COMI.INT/depth"] = (HttpStatusCode.OK, Depth);
        var ladder = Render<DepthLadder>(p => p.Add(l => l.Symbol, "COMI.INT"));
        ladder.WaitForAssertion(() => Assert.Equal(4, ladder.FindAll("tr.depth-level").Count));
        var rows = ladder.FindAll("tr.depth-level");
        Assert.Equal(["81", "80.6", "80.5", "80.4"], rows.Select(r => r.GetAttribute("data-price")));
        Assert.Equal(["depth-ask", "depth-ask", "depth-bid", "depth-bid"], rows.Select(r => r.ClassList.Last()));
        Assert.Equal("1,200", rows[3].QuerySelector(".bid-quantity")!.TextContent);
        Assert.Contains("3", rows[3].TextContent, StringComparison.Ordinal);
        Assert.Equal("40", rows[1].QuerySelector(".ask-quantity")!.TextContent);
        Assert.Equal("", rows[1].QuerySelector(".bid-quantity")!.TextContent);
    }

    [Fact]
    public void The_ladder_follows_a_book_change_signalled_in_process_and_ignores_other_instruments()
    {
        _api.Replies["GET /api/v1/instruments/COMI.INT/depth"] = (HttpStatusCode.OK, Depth);
        var ladder = Render<DepthLadder>(p => p.Add(l => l.Symbol, "COMI.INT"));
        ladder.WaitForAssertion(() => Assert.Equal(4, ladder.FindAll("tr.depth-level").Count));
        var reads = _api.Requests.Count(r => r.Path.Contains("/depth", StringComparison.Ordinal));

        _feed.Publish([new DepthUpdated("FAB.INT", 1, [], [], DateTime.UtcNow)]);
        Assert.Equal(reads, _api.Requests.Count(r => r.Path.Contains("/depth", StringComparison.Ordinal)));

        _api.Replies["GET /api/v1/instruments/COMI.INT/depth"] = (HttpStatusCode.OK, """
            {"symbol":"COMI.INT","bids":[{"price":80.5,"quantity":60,"orders":1}],"asks":[]}
            """);
        _feed.Publish([new DepthUpdated("COMI.INT", 2, [new DepthLevelChange(80.5m, 60, 1)], [], DateTime.UtcNow)]);
        ladder.WaitForAssertion(() =>
        {
            var row = Assert.Single(ladder.FindAll("tr.depth-level"));
            Assert.Equal("60", row.QuerySelector(".bid-quantity")!.TextContent);
        });
    }

    [Fact]
    public void Clicking_a_level_hands_its_price_on()
    {
        _api.Replies["GET /api/v1/instruments/COMI.INT/depth"] = (HttpStatusCode.OK, Depth);
        decimal? chosen = null;
        var ladder = Render<DepthLadder>(p => p.Add(l => l.Symbol, "COMI.INT").Add(l => l.OnPriceSelected, (decimal price) => chosen = price));
        ladder.WaitForAssertion(() => Assert.Equal(4, ladder.FindAll("tr.depth-level").Count));
        ladder.FindAll(".depth-price")[1].Click();
        Assert.Equal(80.6m, chosen);
    }

    [Fact]
    public void The_instrument_search_is_a_combobox_arrows_move_and_enter_picks()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1001,"name":"Nile Growth Fund","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, """
            [{"symbol":"COMI","isin":"EGS60121C018","name":"Commercial International Bank (Egypt)","venue":"EGX",
              "mic":"XCAI","currency":"EGP","sector":"Conventional Finance","isDerivative":false,"lotSize":1,"referencePrice":80.00,
              "lowerLimit":72.00,"upperLimit":88.00,"tickTable":[{"from":0,"tick":0.01}],"status":"Trading","venuePhase":"Continuous"},
             {"symbol":"COMI.INT","isin":"EGS60121C018","name":"Commercial International Bank (Egypt), internal line","venue":"INTERNAL",
              "mic":"XOFF","currency":"EGP","sector":"Conventional Finance","isDerivative":false,"lotSize":10,"referencePrice":80.00,
              "lowerLimit":72.00,"upperLimit":88.00,"tickTable":[{"from":0,"tick":0.01}],"status":"Trading","venuePhase":"Continuous"}]
            """);
        _api.Replies["GET /api/v1/instruments/COMI.INT/depth"] = (HttpStatusCode.OK, Depth);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("COMI");
        Assert.Equal("true", ticket.Find("#instrument-search").GetAttribute("aria-expanded"));
        Assert.Equal(["0", "0"], ticket.FindAll("#instrument-results li[role=option]").Select(li => li.GetAttribute("tabindex")));

        ticket.Find("#instrument-search").KeyDown(Key.Down);
        ticket.Find("#instrument-search").KeyDown(Key.Down);
        Assert.Equal("instrument-option-1", ticket.Find("#instrument-search").GetAttribute("aria-activedescendant"));
        Assert.Equal("true", ticket.Find("#instrument-option-1").GetAttribute("aria-selected"));
        ticket.Find("#instrument-search").KeyDown(Key.Down); // stays on the last
        ticket.Find("#instrument-search").KeyDown(Key.Up);
        Assert.Equal("instrument-option-0", ticket.Find("#instrument-search").GetAttribute("aria-activedescendant"));
        ticket.Find("#instrument-search").KeyDown(Key.Down);
        ticket.Find("#instrument-search").KeyDown(Key.Enter);
        Assert.Contains("COMI.INT", ticket.Find("#instrument-selected").TextContent, StringComparison.Ordinal);
        Assert.Empty(ticket.FindAll("#instrument-results"));

        // A result reached with Tab is picked with Enter; Escape closes the list.
        ticket.Find("#instrument-selected button").Click();
        ticket.Find("#instrument-search").Input("COMI");
        ticket.Find("#instrument-option-0").KeyDown(Key.Enter);
        Assert.Contains("COMI ·", ticket.Find("#instrument-selected").TextContent, StringComparison.Ordinal);
        ticket.Find("#instrument-selected button").Click();
        ticket.Find("#instrument-search").Input("COMI");
        ticket.Find("#instrument-search").KeyDown(Key.Escape);
        Assert.Empty(ticket.FindAll("#instrument-results"));
        Assert.Equal("false", ticket.Find("#instrument-search").GetAttribute("aria-expanded"));
    }

    private const string FabClosed = """
        [{"symbol":"FAB","isin":"AEN000101016","name":"First Abu Dhabi Bank","venue":"ADX","mic":"XADS","currency":"AED",
          "sector":"Conventional Finance","isDerivative":false,"lotSize":10,"referencePrice":10.00,"lowerLimit":9.00,"upperLimit":11.50,
          "tickTable":[{"from":0,"tick":0.001},{"from":1,"tick":0.01},{"from":10,"tick":0.02}],"status":"Trading","venuePhase":"Closed"}]
        """;

    private IRenderedComponent<Ticket> TicketOnFab(string phase)
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":2001,"name":"Gulf Holdings","ownerUserId":3}]""");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, FabClosed.Replace("\"Closed\"", $"\"{phase}\"", StringComparison.Ordinal));
        _api.Replies["GET /api/v1/instruments/FAB/quote"] = (HttpStatusCode.OK, $$"""
            {"symbol":"FAB","currency":"AED","bid":10.10,"bidQuantity":500,"ask":10.14,"askQuantity":1200,"last":10.12,"lastQuantity":100,
             "volume":25300,"trades":12,"turnover":255000.50,"open":10.00,"high":10.20,"low":9.96,"vwap":10.08,"asOf":"2026-11-24T09:00:00Z",
             "phase":"{{phase}}","indicativePrice":null,"indicativeVolume":0}
            """);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("FAB");
        ticket.Find("#instrument-results li").Click();
        return ticket;
    }

    [Fact]
    public void The_ticket_shows_the_open_risk_alerts_of_the_traders_accounts_and_each_new_one_as_it_is_raised()
    {
        _api.Replies["GET /api/v1/risk/alerts"] = (HttpStatusCode.OK, """
            [{"id":7,"accountId":2001,"limit":"MaxLongPosition","symbol":"FAB","scope":"instrument FAB","level":"Near","limitValue":350,"used":300,
              "unit":"shares","utilisationPct":85.71,"message":"account 2001: MaxLongPosition FAB set for instrument FAB is 80% used or more",
              "raisedAt":"2026-11-24T08:55:00Z","acknowledgedBy":null,"acknowledgedAt":null}]
            """);
        var ticket = TicketOnFab("Continuous");
        ticket.WaitForAssertion(() => Assert.Single(ticket.FindAll(".risk-alert")));
        Assert.Equal("/api/v1/risk/alerts?unacknowledged=true", _api.Requests.Single(r => r.Path.StartsWith("/api/v1/risk/alerts", StringComparison.Ordinal)).Path);
        Assert.Contains("80% used or more", ticket.Find("[data-alert='7']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Near", ticket.Find("[data-alert='7'] .badge").TextContent, StringComparison.Ordinal);

        // The monitor raises two more: one on this trader's account (shown first), one on an account that is not theirs (not shown).
        _alerts.Publish(new TradSys.Contracts.RiskAlertRaised(8, 2001, "MaxLongPosition", "FAB", "instrument FAB", "Breached", 350, 350, "shares", 100,
            "account 2001: MaxLongPosition FAB set for instrument FAB is breached", new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc)));
        _alerts.Publish(new TradSys.Contracts.RiskAlertRaised(9, 1001, "MaxLongPosition", "FAB", "instrument FAB", "Breached", 350, 350, "shares", 100,
            "account 1001: someone else's", new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc)));

        ticket.WaitForAssertion(() => Assert.Equal(2, ticket.FindAll(".risk-alert").Count));
        Assert.Equal(["8", "7"], ticket.FindAll(".risk-alert").Select(a => a.GetAttribute("data-alert")));
        Assert.Contains("text-bg-danger", ticket.Find("[data-alert='8'] .badge").GetAttribute("class"), StringComparison.Ordinal);
        Assert.Empty(ticket.FindAll("[data-alert='9']"));
    }

    [Fact]
    public void A_ticket_without_open_alerts_shows_no_alert_panel()
    {
        _api.Replies["GET /api/v1/risk/alerts"] = (HttpStatusCode.OK, "[]");
        var ticket = TicketOnFab("Continuous");
        ticket.WaitForAssertion(() => Assert.Contains(_api.Requests, r => r.Path.StartsWith("/api/v1/risk/alerts", StringComparison.Ordinal)));
        Assert.Empty(ticket.FindAll("#risk-alerts"));
    }

    [Fact]
    public void The_ticket_shows_the_buying_power_and_warns_before_a_buy_that_would_cost_more()
    {
        _api.Replies["GET /api/v1/accounts/2001/cash"] = (HttpStatusCode.OK, """
            {"accountId":2001,"baseCurrency":"AED","currencies":[{"currency":"AED","available":12000,"settled":12000,"unsettled":[]}],
             "cash":12000,"reserved":2000,"reservingOrders":1,"creditLine":500,"buyingPower":10500,"problem":null}
            """);
        var ticket = TicketOnFab("Continuous");
        ticket.WaitForAssertion(() => Assert.Contains("10,500.00 AED", ticket.Find("#buying-power").TextContent, StringComparison.Ordinal));
        Assert.Contains("(cash 12,000.00 AED + credit line 500.00 AED - reserved by open buys 2,000.00 AED)", ticket.Find("#buying-power").TextContent,
            StringComparison.Ordinal);

        // 1,000 at 10.50 = 10,500: exactly the buying power, no warning; 1,010 would cost 10,605: the ticket says it will be refused.
        ticket.Find("#quantity").Input("1000");
        ticket.Find("#price").Input("10.50");
        Assert.Empty(ticket.FindAll("#buying-power-warning"));
        ticket.Find("#quantity").Input("1010");
        Assert.Contains("This buy would cost 10,605.00 AED, more than the buying power", ticket.Find("#buying-power-warning").TextContent, StringComparison.Ordinal);
        // A sell of it uses no buying power here.
        ticket.Find("#side").Change("Sell");
        Assert.Empty(ticket.FindAll("#buying-power-warning"));
    }

    [Fact]
    public void The_ticket_shows_the_accounts_VaR_with_its_backtest_when_the_trader_asks_for_it()
    {
        _api.Replies["GET /api/v1/risk/var"] = (HttpStatusCode.OK, """
            {"scope":"account 2001","accounts":[2001],"currency":"AED","asOf":"2026-11-23T09:00:00Z","method":"Historical","confidence":0.99,
             "horizonDays":1,"valueAtRisk":141.12,"expectedShortfall":160.5,"scaling":"None","scenarios":250,"tailScenarios":2,"seed":null,
             "windowFrom":"2025-11-24","windowTo":"2026-11-23","windowDays":250,"positions":[],"sources":[],
             "backtest":{"observations":250,"from":"2024-11-25","to":"2026-11-23","exceptions":6,"exceptionDates":[],"expectedExceptions":2.5,
                         "kupiecStatistic":3.55,"pValue":0.06,"zone":"Yellow"},"notes":[]}
            """);
        var ticket = TicketOnFab("Continuous");
        ticket.WaitForAssertion(() => Assert.NotNull(ticket.Find("#account-var-show")));
        Assert.DoesNotContain(_api.Requests, r => r.Path.StartsWith("/api/v1/risk/var", StringComparison.Ordinal)); // on request only
        ticket.Find("#account-var-show").Click();
        ticket.WaitForAssertion(() => Assert.Equal("VaR (1 day, 99%): 141.12 AED · backtest: 6 of 250 days above the VaR, zone Yellow",
            string.Join(" ", ticket.Find("#account-var").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
        Assert.Contains(_api.Requests, r => r.Path == "/api/v1/risk/var?accountId=2001&method=historical&horizon=1&confidence=0.99");
    }

    [Fact]
    public void The_ticket_shows_level_1_for_the_instrument_and_follows_it()
    {
        var ticket = TicketOnFab("Continuous");
        ticket.WaitForAssertion(() => Assert.Equal("10.12", ticket.Find("#quote-last").TextContent));
        Assert.Equal("+0.12 (+1.20%)", ticket.Find("#quote-change").TextContent);
        Assert.Equal("500 @ 10.10", ticket.Find("#quote-bid").TextContent);
        Assert.Equal("1,200 @ 10.14", ticket.Find("#quote-ask").TextContent);
        Assert.Equal("10.20", ticket.Find("#quote-high").TextContent);
        Assert.Equal("9.96", ticket.Find("#quote-low").TextContent);
        Assert.Equal("25,300", ticket.Find("#quote-volume").TextContent);
        Assert.Equal("Continuous", ticket.Find("#quote-phase").TextContent);
        Assert.Empty(ticket.FindAll("#closed-warning"));

        // A trade is committed: the header reads the quote again.
        _api.Replies["GET /api/v1/instruments/FAB/quote"] = (HttpStatusCode.OK, """
            {"symbol":"FAB","currency":"AED","bid":9.90,"bidQuantity":50,"ask":9.94,"askQuantity":10,"last":9.92,"lastQuantity":100,
             "volume":25400,"trades":13,"turnover":256000,"open":10.00,"high":10.20,"low":9.92,"vwap":10.07,"asOf":"2026-11-24T09:01:00Z",
             "phase":"Continuous","indicativePrice":null,"indicativeVolume":0}
            """);
        _feed.Publish([new TradSys.Contracts.QuoteUpdated("FAB", 2, 9.90m, 50, 9.94m, 10, 9.92m, 100, 25_400, 13, 10.07m, DateTime.UtcNow)]);
        ticket.WaitForAssertion(() => Assert.Equal("9.92", ticket.Find("#quote-last").TextContent));
        Assert.Equal("-0.08 (-0.80%)", ticket.Find("#quote-change").TextContent);
        Assert.Contains("text-danger", ticket.Find("#quote-change").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ticket_warns_before_an_order_goes_into_a_closed_session()
    {
        var ticket = TicketOnFab("Closed");
        ticket.WaitForAssertion(() => Assert.Equal("Closed", ticket.Find("#quote-phase").TextContent));
        Assert.Contains("ADX is closed now", ticket.Find("#closed-warning").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Enter_in_the_quantity_or_the_price_sends_the_order_once_and_only_when_it_is_valid()
    {
        var ticket = TicketOnFab("Continuous");
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, """
            {"orderId":9,"clientOrderId":"x","accountId":2001,"symbol":"FAB","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":10.02,"quantity":20,"filledQuantity":0,"leavesQuantity":20,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}
            """);
        ticket.Find("#quantity").Input("25"); // not a whole lot: Enter sends nothing
        ticket.Find("#quantity").KeyDown(Key.Enter);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");

        ticket.Find("#quantity").Input("20");
        ticket.Find("#price").Input("10.02");
        ticket.Find("#price").KeyDown(Key.Enter);
        ticket.WaitForAssertion(() => Assert.Equal("Accepted", ticket.Find("#order-result").GetAttribute("data-status")));
        var sent = Assert.Single(_api.Requests, r => r.Method == "POST");
        Assert.Contains("\"price\":10.02", sent.Body!, StringComparison.Ordinal);
        Assert.Contains("\"quantity\":20", sent.Body!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_steppers_move_the_price_by_the_tick_of_its_band_and_the_quantity_by_the_lot()
    {
        var ticket = TicketOnFab("Continuous");
        Assert.Equal("10.00", ticket.Find("#price").GetAttribute("value")); // the reference price to start from
        ticket.Find("#price-down").Click();
        Assert.Equal("9.99", ticket.Find("#price").GetAttribute("value")); // below 10 the tick is 0.01
        ticket.Find("#price-up").Click();
        ticket.Find("#price-up").Click();
        Assert.Equal("10.02", ticket.Find("#price").GetAttribute("value")); // from 10 it is 0.02
        ticket.Find("#price").Input("10.05");
        ticket.Find("#price-up").Click();
        Assert.Equal("10.06", ticket.Find("#price").GetAttribute("value")); // off the tick: snapped up
        ticket.Find("#price").Input("10.05");
        ticket.Find("#price-down").Click();
        Assert.Equal("10.04", ticket.Find("#price").GetAttribute("value")); // and down

        ticket.Find("#quantity-up").Click();
        Assert.Equal("10", ticket.Find("#quantity").GetAttribute("value"));
        ticket.Find("#quantity-up").Click();
        Assert.Equal("20", ticket.Find("#quantity").GetAttribute("value"));
        ticket.Find("#quantity").Input("25");
        ticket.Find("#quantity-down").Click();
        Assert.Equal("20", ticket.Find("#quantity").GetAttribute("value"));
        ticket.Find("#quantity-down").Click();
        ticket.Find("#quantity-down").Click();
        Assert.Equal("10", ticket.Find("#quantity").GetAttribute("value")); // never below one lot
    }

    [Fact]
    public void The_blotter_says_why_an_order_ended_a_review_rejection_and_an_engine_cancel_each_with_its_reason()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/orders"] = (HttpStatusCode.OK, """
            {"items":[
              {"orderId":51,"clientOrderId":"c51","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Ioc",
               "price":80.5,"quantity":100,"filledQuantity":20,"leavesQuantity":0,"status":"Canceled",
               "cancelReason":"IOC: the part that could not execute at once was canceled",
               "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"},
              {"orderId":52,"clientOrderId":"c52","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
               "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":0,"status":"Rejected","rejectCode":4003,
               "rejectReason":"rejected in compliance review by compliance1: enhanced review outstanding",
               "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"},
              {"orderId":53,"clientOrderId":"c53","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
               "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":0,"status":"Canceled",
               "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}],"page":1,"pageSize":200,"total":3}
            """);
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.Equal(3, blotter.FindAll(".order-status").Count));
        Assert.Equal("IOC: the part that could not execute at once was canceled", blotter.Find(".order-reason[data-order='51']").TextContent);
        Assert.Equal("Rejected", blotter.Find(".order-status[data-order='52']").GetAttribute("data-status"));
        Assert.Equal("rejected in compliance review by compliance1: enhanced review outstanding", blotter.Find(".order-reason[data-order='52']").TextContent);
        Assert.Empty(blotter.FindAll(".order-reason[data-order='53']")); // canceled on request: nothing to explain
    }

    [Fact]
    public void A_refusal_by_field_is_said_once_under_the_fields_own_name()
    {
        var ticket = TicketOnFab("Continuous");
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.BadRequest, """
            {"title":"The request is not valid","status":400,"detail":"order: ADX is closed: it opens at 10:00 (Asia/Dubai)",
             "errors":{"order":["ADX is closed: it opens at 10:00 (Asia/Dubai)"]}}
            """);
        ticket.Find("#quantity").Input("10");
        ticket.Find("#send").Click();
        ticket.WaitForAssertion(() => Assert.NotNull(ticket.Find("#order-error")));
        Assert.Equal("ADX is closed: it opens at 10:00 (Asia/Dubai)", ticket.Find("#order-error").TextContent.Trim());

        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.BadRequest, """
            {"title":"The request is not valid","status":400,"detail":"price: must be within today's limits 9.00-11.50 AED",
             "errors":{"price":["must be within today's limits 9.00-11.50 AED"]}}
            """);
        ticket.Find("#send").Click();
        ticket.WaitForAssertion(() => Assert.Equal("Price: must be within today's limits 9.00-11.50 AED",
            Assert.Single(ticket.FindAll(".order-error-message")).TextContent));
    }

    [Fact]
    public void An_IOC_result_says_why_its_remainder_was_canceled()
    {
        var ticket = TicketOnFab("Continuous");
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, """
            {"orderId":9,"clientOrderId":"x","accountId":2001,"symbol":"FAB","side":"Buy","type":"Limit","timeInForce":"Ioc",
             "price":10.00,"quantity":20,"filledQuantity":0,"leavesQuantity":0,"status":"Canceled",
             "cancelReason":"IOC: the part that could not execute at once was canceled",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}
            """);
        ticket.Find("#quantity").Input("20");
        ticket.Find("#send").Click();
        ticket.WaitForAssertion(() => Assert.Equal("IOC: the part that could not execute at once was canceled", ticket.Find("#order-cancel-reason").TextContent));
    }

    [Fact]
    public void On_the_ticket_clicking_a_level_fills_the_price()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1001,"name":"Nile Growth Fund","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, """
            [{"symbol":"COMI.INT","isin":"EGS60121C018","name":"Commercial International Bank (Egypt), internal line","venue":"INTERNAL",
              "mic":"XOFF","currency":"EGP","sector":"Conventional Finance","isDerivative":false,"lotSize":10,"referencePrice":80.00,
              "lowerLimit":72.00,"upperLimit":88.00,"tickTable":[{"from":0,"tick":0.01}],"status":"Trading","venuePhase":"Continuous"}]
            """);
        _api.Replies["GET /api/v1/instruments/COMI.INT/depth"] = (HttpStatusCode.OK, Depth);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("COMI");
        ticket.Find("#instrument-results li").Click();
        ticket.WaitForAssertion(() => Assert.Equal(4, ticket.FindAll("tr.depth-level").Count));
        ticket.Find("tr.depth-level[data-price='80.4'] .depth-price").Click();
        Assert.Equal("80.4", ticket.Find("#price").GetAttribute("value"));
    }
}

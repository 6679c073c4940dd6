using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal;
using TradSys.Web.Portal.Components.Pages.Trading;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>The trader's pages in Arabic: translated texts, figures in Latin digits with the invariant format, every text translated.</summary>
public sealed partial class LocalizationTests : BunitContext
{
    private readonly StubApi _api = new();
    private readonly TradSys.Web.Ordering.Risk.RiskAlertFeed _alerts = new();
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public LocalizationTests()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("trader1");
        auth.SetRoles("trader");
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddLocalization();
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddSingleton<OrderUpdateFeed>();
        Services.AddSingleton(_alerts);
        Services.AddSingleton<MarketDataFeed>();
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        CultureInfo.CurrentCulture = PortalCultures.Arabic;
        CultureInfo.CurrentUICulture = PortalCultures.Arabic;
    }

    protected override void Dispose(bool disposing)
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        base.Dispose(disposing);
    }

    [Fact]
    public void The_positions_page_reads_in_Arabic_with_its_figures_in_Latin_digits()
    {
        _api.Replies["GET /api/v1/positions"] = (HttpStatusCode.OK, """
            [{"accountId":1001,"symbol":"COMI.INT","currency":"EGP","quantity":1500,"averageCost":81.25,"realisedPnl":300,"price":83,
              "priceSource":"Last","marketValue":124500,"unrealisedPnl":2625,"trades":3}]
            """);
        var page = Render<Positions>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#positions tbody tr")));
        Assert.Equal("المراكز", page.Find("h1").TextContent);
        Assert.Contains("القيمة السوقية", page.Find("#positions thead").TextContent, StringComparison.Ordinal);
        var row = page.Find("#positions tbody tr").TextContent;
        Assert.Contains("124,500.00", row, StringComparison.Ordinal);
        Assert.Contains("81.25", row, StringComparison.Ordinal);
        Assert.Contains("1,500", row, StringComparison.Ordinal);
        Assert.DoesNotMatch("[\u0660-\u0669\u066B\u066C]", page.Markup); // no Arabic-Indic digits or separators anywhere
    }

    [Fact]
    public void The_ticket_speaks_Arabic_and_says_the_tick_problem_with_invariant_figures()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1001,"name":"Nile Growth Fund","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, """
            [{"symbol":"FAB","isin":"AEN000101016","name":"First Abu Dhabi Bank","venue":"ADX","mic":"XADS","currency":"AED",
              "sector":"Conventional Finance","isDerivative":false,"lotSize":1,"referencePrice":15.50,"lowerLimit":13.95,"upperLimit":17.82,
              "tickTable":[{"from":0,"tick":0.001},{"from":1,"tick":0.01},{"from":10,"tick":0.02}],"status":"Trading","venuePhase":"Closed"}]
            """);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        Assert.Equal("تذكرة الأمر", ticket.Find("h1").TextContent);
        Assert.Equal(["شراء", "بيع"], ticket.FindAll("#side option").Select(o => o.TextContent));
        Assert.Equal(["Buy", "Sell"], ticket.FindAll("#side option").Select(o => o.GetAttribute("value")));
        ticket.Find("#instrument-search").Input("FAB");
        ticket.Find("#instrument-results li").Click();
        ticket.Find("#quantity").Input("1000");
        ticket.Find("#price").Input("15.505");
        Assert.Equal("تتحرك أسعار ADX عند 15.505 بوحدات تغيّر قدرها 0.02: جرّب 15.500 أو 15.520.", ticket.Find("#price-problem").TextContent);
        ticket.Find("#price").Input("15.52");
        Assert.Contains("15,520.00 AED", ticket.Find("#notional").TextContent, StringComparison.Ordinal);
        Assert.Contains("إرسال الأمر", ticket.Find("#send").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_re_render_the_market_data_feed_triggers_from_its_own_thread_stays_in_Arabic()
    {
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1001,"name":"Nile Growth Fund","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, """
            [{"symbol":"FAB","isin":"AEN000101016","name":"First Abu Dhabi Bank","venue":"ADX","mic":"XADS","currency":"AED",
              "sector":"Conventional Finance","isDerivative":false,"lotSize":1,"referencePrice":15.50,"lowerLimit":13.95,"upperLimit":17.82,
              "tickTable":[{"from":0,"tick":0.01}],"status":"Trading","venuePhase":"Continuous"}]
            """);
        const string Quote = """
            {"symbol":"FAB","currency":"AED","bid":15.50,"bidQuantity":10,"ask":15.52,"askQuantity":10,"last":LAST,"lastQuantity":10,
             "volume":10,"trades":1,"turnover":155,"open":15.50,"high":15.52,"low":15.50,"vwap":15.50,"asOf":"2026-11-24T09:00:00Z",
             "phase":"Continuous","indicativePrice":null,"indicativeVolume":0}
            """;
        _api.Replies["GET /api/v1/instruments/FAB/quote"] = (HttpStatusCode.OK, Quote.Replace("LAST", "15.50", StringComparison.Ordinal));
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, """
            {"orderId":8,"clientOrderId":"x","accountId":1001,"symbol":"FAB","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":15.52,"quantity":10,"filledQuantity":0,"leavesQuantity":10,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}
            """);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("FAB");
        ticket.Find("#instrument-results li").Click();
        ticket.Find("#quantity").Input("10");
        ticket.Find("#price").Input("15.52");
        ticket.Find("#send").Click();
        ticket.WaitForAssertion(() => Assert.Equal("مقبول", ticket.Find("#order-status").TextContent));

        // The publisher's thread speaks the invariant culture; the page it wakes keeps its own.
        _api.Replies["GET /api/v1/instruments/FAB/quote"] = (HttpStatusCode.OK, Quote.Replace("LAST", "15.52", StringComparison.Ordinal));
        var feed = Services.GetRequiredService<MarketDataFeed>();
        await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            feed.Publish([new TradSys.Contracts.QuoteUpdated("FAB", 2, 15.50m, 10, 15.52m, 10, 15.52m, 10, 20, 2, 15.51m, DateTime.UtcNow)]);
        });
        ticket.WaitForAssertion(() => Assert.Equal("15.52", ticket.Find("#quote-last").TextContent));
        Assert.Equal("مقبول", ticket.Find("#order-status").TextContent);
        Assert.Equal("تذكرة الأمر", ticket.Find("h1").TextContent);
    }

    [Fact]
    public void An_orders_detail_and_the_blotter_say_the_time_in_force_and_the_rule_outcome_in_Arabic()
    {
        const string Order = """
            {"orderId":42,"clientOrderId":"c42","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":79.2,"quantity":30,"filledQuantity":0,"leavesQuantity":30,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z",
             "decision":{"outcome":"Pass","decidedAt":"2026-11-24T07:00:00Z","reasons":[],"warnings":[],"reportTags":[],
               "packs":[{"packId":"fatca","version":"1.0.0"}],"explanation":[],"fault":null}}
            """;
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2}]""");
        _api.Replies["GET /api/v1/orders"] = (HttpStatusCode.OK, $$"""{"items":[{{Order}}],"page":1,"pageSize":200,"total":1}""");
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, Order);
        _api.Replies["GET /api/v1/orders/42/events"] = (HttpStatusCode.OK, "[]");
        var blotter = Render<Blotter>();
        blotter.WaitForAssertion(() => Assert.Single(blotter.FindAll(".order-tif")));
        Assert.Equal("يومي", blotter.Find(".order-tif").TextContent);

        blotter.Find(".order-open[data-order='42']").Click();
        blotter.WaitForAssertion(() => Assert.NotEmpty(blotter.FindAll("#order-detail-rules")));
        Assert.Contains("مرور", blotter.Find("#order-detail-rules").TextContent, StringComparison.Ordinal);
        Assert.Contains("يومي", blotter.FindAll("#order-detail-terms dd")[2].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Day", blotter.Find("#order-detail").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Pass", blotter.Find("#order-detail").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_review_inbox_reads_in_Arabic()
    {
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, """
            [{"taskId":"6f1c2a9e-0000-4000-8000-000000000001","instanceId":"6f1c2a9e-0000-4000-8000-0000000000aa","name":"review",
              "role":"compliance","status":"Open","requiredApprovals":2,"fourEyes":true,"approvers":[],"claimedBy":null,
              "rejectedBy":null,"escalated":false,"openedAt":"2026-11-24T07:00:00Z","closedAt":null,"comment":null,
              "definition":"order-review","definitionVersion":1,"subject":"order","subjectId":"42","orderId":42,"state":"review",
              "version":3,"maker":"trader1","outcome":"Review","reasonCodes":"FATCA.ENHANCED_REVIEW","notional":0,
              "currency":"USD","notionalUsd":0,"packId":null}]
            """);
        var inbox = Render<TradSys.Web.Portal.Components.Pages.Compliance.Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".inbox-task")));
        Assert.Equal("صندوق المراجعة", inbox.Find("h1").TextContent);
        Assert.Contains("الأمر 42 محتجز للمراجعة", inbox.Find(".inbox-task").TextContent, StringComparison.Ordinal);
        // The workflow's task is named in Arabic too, not by its definition's id ("review").
        Assert.Equal("مراجعة الامتثال", inbox.Find(".task-name").TextContent);
        Assert.Equal("review", inbox.Find(".task-name").GetAttribute("data-task-name"));
        Assert.Equal("رفض", inbox.Find(".task-reject").TextContent);
        Assert.Contains("0 من 2", inbox.Find(".task-approvals").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_page_reads_in_Arabic()
    {
        _api.Replies["GET /api/v1/audit/verify"] = (HttpStatusCode.OK, """{"valid":true,"recordsChecked":2,"firstBrokenId":null,"problem":null}""");
        _api.Replies["GET /api/v1/audit"] = (HttpStatusCode.OK, """
            {"items":[{"id":2,"timestamp":"2026-11-24T07:00:00Z","actor":"trader1","action":"order.submitted","subject":"order/7","details":"{}",
              "previousHash":"a","hash":"b"}],"page":1,"pageSize":50,"total":1}
            """);
        var page = Render<TradSys.Web.Portal.Components.Pages.Regulator.Audit>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#audit-records tbody tr")));
        Assert.Equal("سجل التدقيق", page.Find("h1").TextContent);
        Assert.Equal("السجلات 1–1 من 1، الأحدث أولًا.", page.Find("#audit-count").TextContent.Trim());
        Assert.StartsWith("تم التحقق: كل السجلات البالغة 2", page.Find("#audit-result").TextContent, StringComparison.Ordinal);
        Assert.Equal("بحث", page.Find("#audit-search").TextContent);
    }

    [Fact]
    public void The_reports_page_reads_in_Arabic()
    {
        _api.Replies["GET /api/v1/audit/verify"] = (HttpStatusCode.OK, """{"valid":true,"recordsChecked":2,"firstBrokenId":null,"problem":null}""");
        _api.Replies["GET /api/v1/reports"] = (HttpStatusCode.OK, """
            [{"id":"daily-trades","title":"Daily trades","description":"","perVenue":true,"roles":["regulator"],"scopes":[{"venue":"ADX"}]}]
            """);
        _api.Replies["GET /api/v1/reports/runs"] = (HttpStatusCode.OK, """
            {"items":[{"id":5,"reportId":"daily-trades","venue":"ADX","businessDate":"2026-11-23","copy":1,"status":"Succeeded",
              "trigger":"manual","requestedBy":"regulator1","requestedAt":"2026-11-23T17:00:00Z","completedAt":"2026-11-23T17:00:05Z","attempts":1,
              "error":null,"fileName":"d.pdf","sha256":"ab","dataSha256":"cd","pages":3,"length":1000,"statusUrl":"/api/v1/reports/runs/5",
              "downloadUrl":"/api/v1/reports/runs/5/pdf","dataUrl":null}],"page":1,"pageSize":200,"total":1}
            """);
        var page = Render<TradSys.Web.Portal.Components.Pages.Regulator.Reports>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".run-status")));
        Assert.Equal("التقارير", page.Find("h1").TextContent);
        Assert.Equal("نجح", page.Find(".run-status").TextContent);
        Assert.Equal("Succeeded", page.Find(".run-status").GetAttribute("data-status"));
        Assert.Equal("إنشاء", page.Find("#generate").TextContent);
    }

    [Fact]
    public void The_admins_users_and_health_pages_read_in_Arabic()
    {
        _api.Replies["GET /api/v1/users"] = (HttpStatusCode.OK, """
            [{"id":2,"userName":"trader1","displayName":"Huda Ibrahim","roles":["trader"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[1003]}]
            """);
        var users = Render<TradSys.Web.Portal.Components.Pages.Admin.Users>();
        users.WaitForAssertion(() => Assert.NotEmpty(users.FindAll("tr[data-user='trader1']")));
        Assert.Equal("نعم", users.Find("tr[data-user='trader1']").Children[4].TextContent);
        Assert.Equal("إنشاء المستخدم", users.Find("#create-user").TextContent);

        _api.Replies["GET /api/v1/admin/health"] = (HttpStatusCode.OK, """
            {"status":"Degraded","checkedAt":"2026-11-24T08:00:00Z",
             "node":{"host":"node-a","version":"1.2.3","database":"Sqlite","bus":"InMemory","jobs":"InMemory","startedAt":"2026-11-23T06:00:00Z","uptimeSeconds":93784},
             "checks":[{"name":"order-writer","status":"Healthy","description":"queue empty","durationMs":0.4,"tags":["ready"],"data":{}}]}
            """);
        var health = Render<TradSys.Web.Portal.Components.Pages.Admin.Health>();
        health.WaitForAssertion(() => Assert.NotEmpty(health.FindAll("#health-checks")));
        Assert.Equal("متراجع", health.Find("#health-overall .badge").TextContent);
        Assert.Equal("Degraded", health.Find("#health-overall .badge").GetAttribute("data-status"));
        Assert.Equal("سليم", health.Find("tr[data-check='order-writer'] .badge").TextContent);
    }

    [Fact]
    public void Every_text_the_pages_use_has_an_Arabic_translation_and_an_English_entry()
    {
        var root = RepositoryRoot();
        var english = Keys(Path.Combine(root, "src/Web/Portal/PortalText.resx"));
        var arabic = XDocument.Load(Path.Combine(root, "src/Web/Portal/PortalText.ar.resx")).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
        Assert.Equal(english.Order(StringComparer.Ordinal), arabic.Keys.Order(StringComparer.Ordinal));
        // Resource names are case-insensitive when compiled: "filled" and "Filled" would silently keep only one of them.
        Assert.Empty(english.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)));
        Assert.All(arabic, kv => Assert.Matches("[\u0600-\u06FF]", kv.Value)); // every entry is really Arabic
        // The pages, and the login form, which is plain HTML written by the identity provider in the portal's language.
        var used = Directory.EnumerateFiles(Path.Combine(root, "src/Web/Portal"), "*.razor", SearchOption.AllDirectories)
            .Concat([Path.Combine(root, "src/Web/Auth/LoginPage.cs"), Path.Combine(root, "src/Web/Auth/BrowserSignIn.cs")])
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        // The plain pages of the sign-in flow (signed out, not allowed, not found...): their title and message keys.
        foreach (var file in new[] { "src/Web/Portal/PortalSession.cs", "src/Web/Portal/PortalExtensions.cs" })
        {
            foreach (Match m in PageKeys().Matches(File.ReadAllText(Path.Combine(root, file))))
            {
                used.Add(m.Groups[1].Value);
                used.Add(m.Groups[2].Value);
            }
        }
        Assert.Contains("Page not found", used);
        Assert.NotEmpty(used);
        Assert.Contains("Wrong user name or password.", used);
        Assert.Subset(english, used);
        // Values shown through the localizer at run time: order statuses, sides, types, rule outcomes, time in force, venue phases.
        string[] values = ["New", "Accepted", "PartiallyFilled", "Filled", "Canceled", "Rejected", "PendingReview", "Buy", "Sell", "Auction",
            "Limit", "Market", "Stop", "StopLimit", "MarketToLimit", "Warn", "Report", "Review", "Block", "Day", "Gtc", "Gtd", "Ioc", "Fok", "Closed", "PreOpen", "Continuous", "ClosingAuction", "TradeAtClose", "PreClose", "TradeAtLast"];
        Assert.Subset(english, values.ToHashSet(StringComparer.Ordinal));
    }

    private static HashSet<string> Keys(string path) =>
        [.. XDocument.Load(path).Root!.Elements("data").Select(d => d.Attribute("name")!.Value)];

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("TradSys.sln not found above the test's folder");
    }

    [GeneratedRegex(@"L\[""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"Page\([^,]+, StatusCodes\.Status\w+, ""((?:[^""\\]|\\.)*)"",\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex PageKeys();
}

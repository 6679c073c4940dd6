using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Pages.Risk;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>
/// bUnit tests of the risk officer's page: the firm's exposure and the limits nearest their use, and changes of limits through
/// maker-checker (proposed here, approved or rejected by another officer, withdrawn by their own), the API answered by <see cref="StubApi"/>.
/// </summary>
public sealed class RiskPageTests : BunitContext
{
    private readonly StubApi _api = new();

    public RiskPageTests()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("risk1");
        auth.SetRoles("risk");
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(TimeProvider.System);
        Services.AddLocalization();
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, "[]");
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, "[]");
        _api.Replies["GET /api/v1/risk/trading-statuses"] = (HttpStatusCode.OK, "[]");
        _api.Replies["GET /api/v1/risk/limits"] = (HttpStatusCode.OK, "[]");
        _api.Replies["GET /api/v1/risk/alerts"] = (HttpStatusCode.OK, "[]");
        _api.Replies["GET /api/v1/risk/limit-proposals"] = (HttpStatusCode.OK, "[]");
        _api.Replies["GET /api/v1/risk/exposure"] = (HttpStatusCode.OK, NoExposure);
    }

    private const string NoExposure = """
        {"currency":"USD","accountId":null,"asOf":"2026-11-23T09:00:00Z","total":{"key":"total","long":0,"short":0,"gross":0,"net":0},
         "byInstrument":[],"bySector":[],"byIssuer":[],"byCurrency":[],"byVenue":[],"positions":[],"utilisation":[],"problems":[]}
        """;

    private static string Proposal(long id, string proposedBy, bool stale = false) => $$"""
        {"id":{{id}},"scope":"instrument","key":"COMI.INT","status":"Pending","basedOnVersion":0,"currentVersion":{{(stale ? 1 : 0)}},"stale":{{(stale ? "true" : "false")}},
         "currency":"EGP","maxOrderQuantity":1000,"maxOrderNotional":null,"priceCollarPct":5,"maxOpenOrders":null,"maxOpenNotional":null,
         "maxLongPosition":null,"maxShortPosition":null,"reason":"fat-finger limits","proposedBy":"{{proposedBy}}","proposedAt":"2026-11-23T09:00:00Z",
         "decidedBy":null,"decidedAt":null,"decisionReason":null,"appliedVersion":null}
        """;

    [Fact]
    public void Another_officers_proposal_is_approved_from_the_page_and_a_stale_one_cannot_be()
    {
        _api.Replies["GET /api/v1/risk/limit-proposals"] = (HttpStatusCode.OK, $"[{Proposal(4, "risk2")},{Proposal(3, "admin", stale: true)}]");
        _api.Replies["POST /api/v1/risk/limit-proposals/4/approve"] = (HttpStatusCode.OK, """
            {"scope":"instrument","key":"COMI.INT","version":1,"currency":"EGP","maxOrderQuantity":1000,"maxOrderNotional":null,"priceCollarPct":5,
             "maxOpenOrders":null,"maxOpenNotional":null,"maxLongPosition":null,"maxShortPosition":null,"reason":"fat-finger limits","changedBy":"risk2",
             "changedAt":"2026-11-23T09:01:00Z","approvedBy":"risk1","proposalId":4}
            """);
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#proposals li").Count));
        var fresh = page.Find("#proposals li[data-proposal='4']");
        Assert.Contains("proposal 4 by risk2", fresh.TextContent, StringComparison.Ordinal);
        Assert.Contains("Max order quantity 1,000 · Price collar % 5", fresh.TextContent, StringComparison.Ordinal);
        Assert.Empty(fresh.QuerySelectorAll(".proposal-withdraw"));
        var stale = page.Find("#proposals li[data-proposal='3']");
        Assert.Contains("Stale: the limits are now at version 1", stale.TextContent, StringComparison.Ordinal);
        Assert.True(stale.QuerySelector(".proposal-approve")!.HasAttribute("disabled"));

        _api.Replies["GET /api/v1/risk/limit-proposals"] = (HttpStatusCode.OK, $"[{Proposal(3, "admin", stale: true)}]");
        page.Find("#proposals li[data-proposal='4'] .proposal-approve").Click();
        page.WaitForAssertion(() => Assert.Contains("Limits for instrument COMI.INT are now at version 1.", page.Find("#risk-notice").TextContent, StringComparison.Ordinal));
        Assert.Contains(_api.Requests, r => r.Method == "POST" && r.Path == "/api/v1/risk/limit-proposals/4/approve");
        Assert.Single(page.FindAll("#proposals li"));
    }

    [Fact]
    public void An_officers_own_proposal_offers_a_withdrawal_with_a_reason_and_no_approval()
    {
        _api.Replies["GET /api/v1/risk/limit-proposals"] = (HttpStatusCode.OK, $"[{Proposal(5, "risk1")}]");
        _api.Replies["POST /api/v1/risk/limit-proposals/5/reject"] = (HttpStatusCode.OK, Proposal(5, "risk1").Replace("\"Pending\"", "\"Withdrawn\"", StringComparison.Ordinal));
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#proposals li[data-proposal='5']")));
        Assert.Empty(page.FindAll("#proposals .proposal-approve"));
        Assert.Contains("Your proposal: another risk officer must approve it.", page.Find("#proposals").TextContent, StringComparison.Ordinal);

        page.Find(".proposal-withdraw").Click();
        Assert.Contains("a reason is required", page.Find("#proposal-problem-5").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");

        page.Find("#proposal-comment-5").Change("proposed by mistake");
        _api.Replies["GET /api/v1/risk/limit-proposals"] = (HttpStatusCode.OK, "[]");
        page.Find(".proposal-withdraw").Click();
        page.WaitForAssertion(() => Assert.Contains("Proposal 5 withdrawn: nothing changed.", page.Find("#risk-notice").TextContent, StringComparison.Ordinal));
        var sent = Assert.Single(_api.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v1/risk/limit-proposals/5/reject", sent.Path);
        Assert.Contains("proposed by mistake", sent.Body, StringComparison.Ordinal);
        Assert.NotNull(page.Find("#no-proposals"));
    }

    [Fact]
    public void A_change_of_limits_made_on_the_page_becomes_a_proposal()
    {
        _api.Replies["PUT /api/v1/risk/limits/firm/firm"] = (HttpStatusCode.Accepted, Proposal(6, "risk1").Replace("\"instrument\",\"key\":\"COMI.INT\"",
            "\"firm\",\"key\":\"firm\"", StringComparison.Ordinal));
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-proposals")));
        page.Find("#limits-scope").Change("firm");
        page.Find("#limits-maxOrderQuantity").Change("1000");
        page.Find("#limits-reason").Change("firm default");
        page.Find("#set-limits").Click();
        page.WaitForAssertion(() => Assert.Contains("Proposed: the limits for the firm as a whole change once another risk officer approves proposal 6.",
            page.Find("#risk-notice").TextContent, StringComparison.Ordinal));
        var put = Assert.Single(_api.Requests, r => r.Method == "PUT");
        Assert.Contains("\"maxOrderQuantity\":1000", put.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_risk_page_shows_the_firm_exposure_and_the_limits_nearest_their_use_flagged()
    {
        _api.Replies["GET /api/v1/risk/exposure"] = (HttpStatusCode.OK, """
            {"currency":"USD","accountId":null,"asOf":"2026-11-23T09:00:00Z",
             "total":{"key":"total","long":1266.12,"short":1300,"gross":2566.12,"net":-33.88},
             "byInstrument":[{"key":"FAB","long":1266.12,"short":1266.12,"gross":2532.24,"net":0},{"key":"ETEL","long":0,"short":33.88,"gross":33.88,"net":-33.88}],
             "bySector":[],"byIssuer":[],"byCurrency":[],"byVenue":[],"positions":[],
             "utilisation":[
               {"accountId":1001,"symbol":"FAB","limit":"MaxLongPosition","scope":"instrument FAB","version":1,"limitValue":250,"used":300,"unit":"shares","utilisationPct":120,"breached":true,"near":true},
               {"accountId":2001,"symbol":null,"limit":"MaxOpenOrders","scope":"the firm","version":2,"limitValue":10,"used":8,"unit":"orders","utilisationPct":80,"breached":false,"near":true},
               {"accountId":1002,"symbol":null,"limit":"BuyingPower","scope":"account 1002","version":null,"limitValue":1000000,"used":0,"unit":"EGP","utilisationPct":0,"breached":false,"near":false}],
             "problems":[]}
            """);
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.Contains("Firm exposure in USD: gross 2,566.12, net -33.88 (long 1,266.12, short 1,300).",
            page.Find("#exposure-total").TextContent, StringComparison.Ordinal));
        Assert.Equal(["FAB", "ETEL"], page.FindAll("#exposure-instruments tbody tr").Select(r => r.GetAttribute("data-key")));
        var rows = page.FindAll("#utilisation tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("text-bg-danger", rows[0].QuerySelector(".badge")!.ClassName, StringComparison.Ordinal);
        Assert.Equal("120%", rows[0].QuerySelector(".badge")!.TextContent);
        Assert.Contains("300 / 250 shares", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("text-bg-warning", rows[1].QuerySelector(".badge")!.ClassName, StringComparison.Ordinal);
        Assert.Contains("text-bg-light", rows[2].QuerySelector(".badge")!.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void With_nothing_traded_the_page_says_so()
    {
        _api.Replies["GET /api/v1/risk/exposure"] = (HttpStatusCode.OK, """
            {"currency":"USD","accountId":null,"asOf":"2026-11-23T09:00:00Z","total":{"key":"total","long":0,"short":0,"gross":0,"net":0},
             "byInstrument":[],"bySector":[],"byIssuer":[],"byCurrency":[],"byVenue":[],"positions":[],"utilisation":[],"problems":[]}
            """);
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-utilisation")));
        Assert.Empty(page.FindAll("#exposure-instruments"));
    }

    [Fact]
    public void An_alert_is_shown_until_the_risk_officer_acknowledges_it()
    {
        _api.Replies["GET /api/v1/risk/exposure"] = (HttpStatusCode.OK, """
            {"currency":"USD","accountId":null,"asOf":"2026-11-23T09:00:00Z","total":{"key":"total","long":0,"short":0,"gross":0,"net":0},
             "byInstrument":[],"bySector":[],"byIssuer":[],"byCurrency":[],"byVenue":[],"positions":[],"utilisation":[],"problems":[]}
            """);
        _api.Replies["GET /api/v1/risk/alerts"] = (HttpStatusCode.OK, """
            [{"id":7,"accountId":1001,"limit":"MaxLongPosition","symbol":"FAB","scope":"instrument FAB","level":"Breached","limitValue":350,"used":350,
              "unit":"shares","utilisationPct":100,"message":"account 1001: MaxLongPosition FAB set for instrument FAB is breached: 350 of 350 shares (100%)",
              "raisedAt":"2026-11-23T09:00:05Z","acknowledgedBy":null,"acknowledgedAt":null}]
            """);
        _api.Replies["POST /api/v1/risk/alerts/7/acknowledge"] = (HttpStatusCode.OK, "{}");
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.Contains("is breached: 350 of 350 shares", page.Find("#alerts li[data-alert='7']").TextContent, StringComparison.Ordinal));
        Assert.Contains("text-bg-danger", page.Find("#alerts .badge").ClassName, StringComparison.Ordinal);
        _api.Replies["GET /api/v1/risk/alerts"] = (HttpStatusCode.OK, "[]");
        page.Find("#alerts button").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#no-alerts")));
        Assert.Contains(_api.Requests, r => r.Method == "POST" && r.Path == "/api/v1/risk/alerts/7/acknowledge");
    }

    private const string ExposureOf1001 = """
        {"currency":"USD","accountId":null,"asOf":"2026-11-23T09:00:00Z","total":{"key":"total","long":1266.06,"short":0,"gross":1266.06,"net":1266.06},
         "byInstrument":[],"bySector":[],"byIssuer":[],"byCurrency":[],"byVenue":[],
         "positions":[{"accountId":1001,"symbol":"FAB","quantity":300,"price":15.5,"priceSource":"Last","currency":"AED","marketValue":4650,"value":1266.06}],
         "utilisation":[],"problems":[]}
        """;

    [Fact]
    public void The_VaR_of_each_account_with_positions_is_shown_with_its_backtest_when_asked_for()
    {
        _api.Replies["GET /api/v1/risk/exposure"] = (HttpStatusCode.OK, ExposureOf1001);
        _api.Replies["GET /api/v1/risk/var"] = (HttpStatusCode.OK, """
            {"scope":"account 1001","accounts":[1001],"currency":"AED","asOf":"2026-11-23T09:00:00Z","method":"Historical","confidence":0.99,
             "horizonDays":1,"valueAtRisk":141.12,"expectedShortfall":160.5,"scaling":"None","scenarios":250,"tailScenarios":2,"seed":null,
             "windowFrom":"2025-11-24","windowTo":"2026-11-23","windowDays":250,"positions":[],"sources":[],
             "backtest":{"observations":250,"from":"2024-11-25","to":"2026-11-23","exceptions":3,"exceptionDates":["2025-03-02","2025-06-15","2026-10-01"],
                         "expectedExceptions":2.5,"kupiecStatistic":0.0949,"pValue":0.758,"zone":"Green"},"notes":[]}
            """);
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.Equal("Not computed yet.", page.Find("#var-none").TextContent));
        Assert.DoesNotContain(_api.Requests, r => r.Path.StartsWith("/api/v1/risk/var", StringComparison.Ordinal)); // on request only
        page.Find("#var-compute").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#var tr[data-account='1001']")));
        var row = page.Find("#var tr[data-account='1001']");
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["1001", "141.12 AED", "160.5 AED", "3 of 250 days (2.5)", "0.095 (0.758)", "Green"], cells);
        Assert.Equal("2025-03-02, 2025-06-15, 2026-10-01", row.QuerySelectorAll("td")[3].GetAttribute("title"));
        Assert.Contains(_api.Requests, r => r.Path == "/api/v1/risk/var?accountId=1001&method=historical&horizon=1&confidence=0.99");
    }

    [Fact]
    public void An_account_without_enough_history_shows_why_it_has_no_VaR()
    {
        _api.Replies["GET /api/v1/risk/exposure"] = (HttpStatusCode.OK, ExposureOf1001);
        _api.Replies["GET /api/v1/risk/var"] = (HttpStatusCode.UnprocessableEntity, """
            {"status":422,"title":"Not enough price history","detail":"Historical VaR at 0.99 needs at least 100 days of returns (101 days of closes) of every instrument held; the history has 40 in common"}
            """);
        var page = Render<RiskControls>();
        page.WaitForAssertion(() => Assert.False(page.Find("#var-compute").HasAttribute("disabled")));
        page.Find("#var-compute").Click();
        page.WaitForAssertion(() => Assert.Contains("needs at least 100 days of returns", page.Find("#var tr[data-account='1001']").TextContent, StringComparison.Ordinal));
    }
}

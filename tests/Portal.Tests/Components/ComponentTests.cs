using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Layout;
using TradSys.Web.Portal.Components.Pages.Trading;
using TradSys.Web.Portal.Components.Shared;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>bUnit tests of the portal's components, the API answered by <see cref="StubApi"/>.</summary>
public sealed class ComponentTests : BunitContext
{
    private readonly StubApi _api = new();

    private const string Instruments = """
        [{"symbol":"COMI.INT","isin":"EGS60121C018","name":"Commercial International Bank (Egypt), internal line","venue":"INTERNAL",
          "mic":"XOFF","currency":"EGP","sector":"Conventional Finance","isDerivative":false,"lotSize":10,"referencePrice":80.00,
          "lowerLimit":72.00,"upperLimit":88.00,"tickTable":[{"from":0,"tick":0.01}],"status":"Trading","venuePhase":"Continuous"},
         {"symbol":"FAB","isin":"AEN000101016","name":"First Abu Dhabi Bank","venue":"ADX","mic":"XADS","currency":"AED",
          "sector":"Conventional Finance","isDerivative":false,"lotSize":1,"referencePrice":15.50,"lowerLimit":13.95,"upperLimit":17.82,
          "tickTable":[{"from":0,"tick":0.001},{"from":1,"tick":0.01},{"from":10,"tick":0.02}],"status":"Trading","venuePhase":"Closed"}]
        """;

    private const string Accounts = """[{"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2}]""";

    private void SignIn(string userName, params string[] roles)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(userName);
        auth.SetRoles(roles);
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddSingleton<OrderUpdateFeed>();
    }

    [Fact]
    public void A_trader_sees_the_ticket_in_the_navigation()
    {
        SignIn("trader1", "trader");
        var nav = Render<NavMenu>();
        Assert.NotNull(nav.Find("#nav-ticket"));
        Assert.NotNull(nav.Find("#nav-blotter"));
    }

    [Fact]
    public void A_viewer_has_no_ticket_in_the_navigation()
    {
        SignIn("viewer1", "viewer");
        var nav = Render<NavMenu>();
        Assert.Empty(nav.FindAll("#nav-ticket"));
        Assert.NotNull(nav.Find("#nav-blotter"));
    }

    [Fact]
    public void The_ticket_checks_the_tick_as_the_trader_types_and_shows_the_notional()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.Contains("Huda Ibrahim", ticket.Find("#account").TextContent, StringComparison.Ordinal));

        ticket.Find("#instrument-search").Input("fab");
        var result = ticket.Find("#instrument-results li");
        Assert.Contains("ADX", result.TextContent, StringComparison.Ordinal);
        Assert.Contains("AED", result.TextContent, StringComparison.Ordinal);
        result.Click();

        ticket.Find("#quantity").Input("1000");
        ticket.Find("#price").Input("15.505");
        Assert.Contains("ticks of 0.02", ticket.Find("#price-problem").TextContent, StringComparison.Ordinal);
        Assert.True(ticket.Find("#send").HasAttribute("disabled"));
        ticket.Find("#price").Input("15.52");
        Assert.Empty(ticket.FindAll("#price-problem"));
        Assert.Contains("15,520.00 AED", ticket.Find("#notional").TextContent, StringComparison.Ordinal);
        Assert.False(ticket.Find("#send").HasAttribute("disabled"));
    }

    [Fact]
    public void A_rejection_shows_the_rule_message_in_plain_words()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, """
            {"orderId":7,"clientOrderId":"x","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":0,"status":"Rejected","rejectCode":4001,
             "rejectReason":"blocked by rule packs","createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z",
             "decision":{"outcome":"Block","decidedAt":"2026-11-24T07:00:00Z","reasons":[{"code":"SHARIA.EXCLUDED_SECTOR",
             "message":"Conventional banks are an excluded sector for a Sharia-only account","rule":"excluded-sector","outcome":"Block",
             "pack":"sharia","version":"1.0.0","article":"AAOIFI SS 21"}],"warnings":[],"reportTags":[],"packs":[],"explanation":[]}}
            """);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("COMI");
        ticket.Find("#instrument-results li").Click();
        ticket.Find("#quantity").Input("100");
        ticket.Find("#price").Input("80.50");
        ticket.Find("#send").Click();

        ticket.WaitForAssertion(() => Assert.Equal("Rejected", ticket.Find("#order-status").TextContent));
        var reason = ticket.Find(".rule-reason");
        Assert.Contains("Blocked", reason.TextContent, StringComparison.Ordinal);
        Assert.Contains("Conventional banks are an excluded sector", reason.TextContent, StringComparison.Ordinal);
        var posted = _api.Requests.Single(r => r.Method == "POST").Body!;
        Assert.Contains("\"accountId\":1003", posted, StringComparison.Ordinal);
        Assert.Contains("\"symbol\":\"COMI.INT\"", posted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_review_outcome_reads_as_held_for_review()
    {
        var decision = new TradSys.Web.Apis.RuleDecisionResponse("Review", DateTime.UtcNow,
            [new("FATCA.ENHANCED_REVIEW", "Pre-existing account over USD 1m needs enhanced review", "enhanced-review", "Review", "fatca", "1.0.0", "Annex I")],
            [], [], [], [], null);
        var view = Render<DecisionReasons>(p => p.Add(c => c.Decision, decision));
        Assert.Contains("Held for review", view.Find(".rule-reason").TextContent, StringComparison.Ordinal);
    }
}

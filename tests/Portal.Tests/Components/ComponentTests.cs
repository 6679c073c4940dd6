using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Layout;
using TradSys.Web.Portal.Components.Pages.Compliance;
using TradSys.Web.Portal.Components.Pages.Regulator;
using TradSys.Web.Portal.Components.Pages.Trading;
using TradSys.Web.Portal.Components.Shared;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>bUnit tests of the portal's components, the API answered by <see cref="StubApi"/>.</summary>
public sealed class ComponentTests : BunitContext
{
    private readonly StubApi _api = new();
    private readonly TradSys.Web.Ordering.Risk.RiskAlertFeed _alerts = new();

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
        Services.AddSingleton(_alerts);
        Services.AddSingleton<MarketDataFeed>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddLocalization();
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

    /// <summary>trader1's ticket with COMI.INT chosen and a quantity of 100 (the accounts and instruments stubbed before).</summary>
    private IRenderedComponent<Ticket> TicketForComi()
    {
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("COMI");
        ticket.Find("#instrument-results li").Click();
        ticket.Find("#quantity").Input("100");
        return ticket;
    }

    [Fact]
    public void A_decimal_point_typed_into_the_price_stays_there_and_the_price_typed_is_the_price_sent()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, """
            {"orderId":8,"clientOrderId":"x","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":80.25,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}
            """);
        var ticket = TicketForComi();

        // As a person types, each keystroke adding to what the field shows. The page never writes the text back into the
        // field while it is typed (the value attribute stays the page's own): a render of "80." arriving after the "2"
        // was typed would otherwise overwrite "80.2" with "80.", and with it the decimal point or the digit.
        var pageValue = ticket.Find("#price").GetAttribute("value");
        var shown = "";
        ticket.Find("#price").Input(shown);
        foreach (var key in "80.25")
        {
            shown += key;
            ticket.Find("#price").Input(shown);
            Assert.Equal(pageValue, ticket.Find("#price").GetAttribute("value"));
        }

        // What is sent is what the field shows.
        ticket.Find("#send").Click();
        ticket.WaitForAssertion(() => Assert.Equal("Accepted", ticket.Find("#order-status").TextContent));
        Assert.Contains("\"price\":80.25", _api.Requests.Single(r => r.Method == "POST").Body!, StringComparison.Ordinal);
    }

    private const string Accepted = """
        {"orderId":11,"clientOrderId":"x","accountId":1003,"symbol":"FAB","side":"Sell","type":"StopLimit","timeInForce":"Gtd",
         "price":15.40,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"status":"Accepted",
         "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}
        """;

    [Fact]
    public void A_stop_limit_good_till_a_date_on_the_venues_clock_is_sent_with_all_its_terms_after_its_summary()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        _api.Replies["GET /api/v1/venues"] = (HttpStatusCode.OK, """
            [{"code":"ADX","mic":"XADS","name":"Abu Dhabi Securities Exchange","currency":"AED","timeZone":"Asia/Dubai","defaultLotSize":1}]
            """);
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, Accepted);
        var ticket = Render<Ticket>();
        ticket.WaitForAssertion(() => Assert.NotEmpty(ticket.FindAll("#account option")));
        ticket.Find("#instrument-search").Input("FAB");
        ticket.Find("#instrument-results li").Click();
        ticket.Find("#side").Change("Sell");
        ticket.Find("#quantity").Input("100");
        ticket.Find("#type").Change("StopLimit");
        ticket.Find("#price").Input("15.40");
        ticket.Find("#stop-price").Input("15.455"); // off the tick (0.02 above 10)
        Assert.NotEmpty(ticket.FindAll("#stop-price-problem"));
        Assert.True(ticket.Find("#send").HasAttribute("disabled"));
        ticket.Find("#stop-price").Input("15.46");
        Assert.Empty(ticket.FindAll("#display-quantity")); // only a limit order can be an iceberg
        ticket.Find("#tif").Change("Gtd");
        Assert.Contains("Asia/Dubai", ticket.Find("label[for=expire-at]").TextContent, StringComparison.Ordinal);
        Assert.True(ticket.Find("#send").HasAttribute("disabled")); // no date yet
        var tomorrow = DateTime.UtcNow.AddDays(1).Date;
        ticket.Find("#expire-at").Change(tomorrow.AddHours(14).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));

        // Confirmation on: Send shows the order's summary first; Back sends nothing; Send it sends it.
        Assert.Empty(ticket.FindAll(".invalid-feedback").Select(e => e.Id + ": " + e.TextContent));
        ticket.Find("#confirm-orders").Change(true);
        ticket.Find("#send").Click();
        Assert.Contains("Stop-limit: at 15.40 once a trade reaches 15.46", ticket.Find("#order-confirm-summary").TextContent, StringComparison.Ordinal);
        Assert.Contains("(Asia/Dubai)", ticket.Find("#order-confirm-summary").TextContent, StringComparison.Ordinal);
        ticket.Find("#confirm-back").Click();
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
        ticket.Find("#send").Click();
        ticket.Find("#confirm-send").Click();
        ticket.WaitForAssertion(() => Assert.Equal("Accepted", ticket.Find("#order-status").TextContent));

        var body = System.Text.Json.Nodes.JsonNode.Parse(_api.Requests.Single(r => r.Method == "POST").Body!)!;
        Assert.Equal("StopLimit", body["type"]!.GetValue<string>());
        Assert.Equal(15.40m, body["price"]!.GetValue<decimal>());
        Assert.Equal(15.46m, body["stopPrice"]!.GetValue<decimal>());
        Assert.Null(body["displayQuantity"]);
        Assert.Equal("Gtd", body["timeInForce"]!.GetValue<string>());
        // 14:00 in Abu Dhabi is 10:00 UTC (Gulf Standard Time, no daylight saving).
        Assert.Equal(tomorrow.AddHours(10), DateTimeOffset.Parse(body["expireAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);
    }

    [Fact]
    public void A_market_order_cannot_be_good_till_cancelled_a_stop_order_has_no_limit_price_and_an_iceberg_is_a_resting_limit_order()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        var ticket = TicketForComi();
        ticket.Find("#tif").Change("Gtc");
        ticket.Find("#type").Change("Market");
        Assert.Equal("Day", ticket.Find("#tif").GetAttribute("value") ?? ticket.Find("#tif option[selected]").GetAttribute("value"));
        Assert.True(ticket.Find("#tif option[value=Gtc]").HasAttribute("disabled"));
        Assert.Empty(ticket.FindAll("#price"));
        ticket.Find("#type").Change("Stop");
        Assert.Empty(ticket.FindAll("#price"));
        Assert.Empty(ticket.FindAll("#display-quantity"));
        Assert.NotEmpty(ticket.FindAll("#stop-price"));
        Assert.True(ticket.Find("#send").HasAttribute("disabled")); // a stop order needs its stop price

        ticket.Find("#type").Change("Limit");
        ticket.Find("#price").Input("80.50");
        ticket.Find("#display-quantity").Input("100");
        Assert.Equal("must be less than the quantity (or leave it empty)", ticket.Find("#display-quantity-problem").TextContent);
        ticket.Find("#display-quantity").Input("25");
        Assert.NotEmpty(ticket.FindAll("#display-quantity-problem")); // whole lots of 10
        ticket.Find("#display-quantity").Input("20");
        Assert.False(ticket.Find("#send").HasAttribute("disabled"));
        ticket.Find("#tif").Change("Ioc");
        Assert.Empty(ticket.FindAll("#display-quantity"));
    }

    [Fact]
    public void The_result_card_follows_the_order_after_it_is_sent()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        _api.Replies["POST /api/v1/orders"] = (HttpStatusCode.Created, """
            {"orderId":9,"clientOrderId":"x","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":80.5,"quantity":100,"filledQuantity":0,"leavesQuantity":100,"status":"Accepted",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z"}
            """);
        var ticket = TicketForComi();
        ticket.Find("#price").Input("80.5");
        ticket.Find("#send").Click();
        ticket.WaitForAssertion(() => Assert.Equal("Accepted", ticket.Find("#order-status").TextContent));

        // A seller takes it a moment later: the fill is journalled and published.
        _api.Replies["GET /api/v1/orders/9"] = (HttpStatusCode.OK, """
            {"orderId":9,"clientOrderId":"x","accountId":1003,"symbol":"COMI.INT","side":"Buy","type":"Limit","timeInForce":"Day",
             "price":80.5,"quantity":100,"filledQuantity":100,"leavesQuantity":0,"averagePrice":80.5,"status":"Filled",
             "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:05Z"}
            """);
        var feed = Services.GetRequiredService<OrderUpdateFeed>();
        feed.Publish(new TradSys.Contracts.OrderUpdated(77, 5, "other", 2001, "COMI.INT", "Sell", "Filled", "Filled", 80.5m, 100, 100, 0, 3,
            80.5m, 100, null, DateTime.UtcNow));
        Assert.Equal("Accepted", ticket.Find("#order-status").TextContent);
        feed.Publish(new TradSys.Contracts.OrderUpdated(78, 9, "x", 1003, "COMI.INT", "Buy", "Filled", "Filled", 80.5m, 100, 100, 0, 3,
            80.5m, 100, null, DateTime.UtcNow));

        ticket.WaitForAssertion(() => Assert.Equal("Filled", ticket.Find("#order-status").TextContent));
        Assert.Contains("100", ticket.Find("#order-result p").TextContent, StringComparison.Ordinal);
        Assert.Contains("at 80.5", ticket.Find("#order-result p").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_a_number_keeps_the_ticket_from_sending()
    {
        SignIn("trader1", "trader");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, Accounts);
        _api.Replies["GET /api/v1/instruments"] = (HttpStatusCode.OK, Instruments);
        var ticket = TicketForComi();
        ticket.Find("#price").Input("80,5");
        Assert.True(ticket.Find("#send").HasAttribute("disabled"));
        ticket.Find("#price").Input("80.5");
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
        var ticket = TicketForComi();
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
        Services.AddLocalization();
        var decision = new TradSys.Web.Apis.RuleDecisionResponse("Review", DateTime.UtcNow,
            [new("FATCA.ENHANCED_REVIEW", "Pre-existing account over USD 1m needs enhanced review", "enhanced-review", "Review", "fatca", "1.0.0", "Annex I")],
            [], [], [], [], null);
        var view = Render<DecisionReasons>(p => p.Add(c => c.Decision, decision));
        Assert.Contains("Held for review", view.Find(".rule-reason").TextContent, StringComparison.Ordinal);
    }
    private const string HeldOrderTask = """
        [{"taskId":"6f1c2a9e-0000-4000-8000-000000000001","instanceId":"6f1c2a9e-0000-4000-8000-0000000000aa","name":"review",
          "role":"compliance","status":"Open","requiredApprovals":2,"fourEyes":true,"approvers":["compliance2"],"claimedBy":null,
          "rejectedBy":null,"escalated":false,"openedAt":"2026-11-24T07:00:00Z","closedAt":null,"comment":null,
          "definition":"order-review","definitionVersion":1,"subject":"order","subjectId":"42","orderId":42,"state":"review",
          "version":3,"maker":"trader1","outcome":"Review","reasonCodes":"FATCA.ENHANCED_REVIEW","notional":1500000,
          "currency":"USD","notionalUsd":1500000,"packId":null}]
        """;

    private const string HeldOrder = """
        {"orderId":42,"clientOrderId":"x","accountId":1003,"symbol":"FAB","side":"Buy","type":"Limit","timeInForce":"Day",
         "price":15.5,"quantity":100000,"filledQuantity":0,"leavesQuantity":100000,"status":"PendingReview",
         "createdAt":"2026-11-24T07:00:00Z","updatedAt":"2026-11-24T07:00:00Z",
         "decision":{"outcome":"Review","decidedAt":"2026-11-24T07:00:00Z","reasons":[{"code":"FATCA.ENHANCED_REVIEW",
         "message":"Pre-existing account over USD 1m needs enhanced review","rule":"enhanced-review","outcome":"Review",
         "pack":"fatca","version":"1.0.0","article":"Annex I"}],"warnings":[],"reportTags":[],"packs":[],"explanation":[]}}
        """;

    [Fact]
    public void A_compliance_officer_sees_the_inbox_in_the_navigation_and_a_trader_does_not()
    {
        SignIn("compliance1", "compliance");
        Assert.NotNull(Render<NavMenu>().Find("#nav-inbox"));
    }

    [Fact]
    public void A_trader_has_no_inbox_in_the_navigation()
    {
        SignIn("trader1", "trader");
        Assert.Empty(Render<NavMenu>().FindAll("#nav-inbox"));
    }

    [Fact]
    public void The_inbox_shows_the_held_order_with_its_rule_explanation_and_approvals()
    {
        SignIn("compliance1", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask);
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder);
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".rule-reason")));
        var task = inbox.Find(".inbox-task");
        Assert.Contains("Order 42 held for review", task.TextContent, StringComparison.Ordinal);
        Assert.Contains("Buy 100000 FAB at 15.5", inbox.Find(".task-order").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 of 2: compliance2", inbox.Find(".task-approvals").TextContent, StringComparison.Ordinal);
        var reason = inbox.Find(".rule-reason").TextContent;
        Assert.Contains("Pre-existing account over USD 1m needs enhanced review", reason, StringComparison.Ordinal);
        Assert.Contains("fatca 1.0.0, Annex I", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inbox_shows_what_the_rule_read_the_sla_deadline_and_lets_an_officer_claim_and_reassign()
    {
        SignIn("compliance1", "compliance");
        var due = DateTime.UtcNow.AddMinutes(20);
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask.Replace("\"packId\":null",
            $"\"packId\":null,\"slaDueAt\":\"{due:yyyy-MM-ddTHH:mm:ssZ}\",\"escalatesTo\":\"senior_compliance\"", StringComparison.Ordinal));
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder.Replace("\"explanation\":[]", """
            "explanation":[{"packId":"fatca","packVersion":"1.0.0","ruleId":"enhanced-review","outcome":"Review","reasonCode":"FATCA.ENHANCED_REVIEW",
              "message":"m","regulation":"Annex I","inputs":{"account.balanceUsd":1250000,"account.preExisting":true}}]
            """, StringComparison.Ordinal));
        _api.Replies["GET /api/v1/orders/42/events"] = (HttpStatusCode.OK, """
            [{"sequence":5,"kind":"HeldForReview","status":"PendingReview","price":15.5,"quantity":100000,"filledQuantity":0,"leavesQuantity":100000,
              "timestamp":"2026-11-24T07:00:00Z"}]
            """);
        _api.Replies["POST /api/v1/tasks/6f1c2a9e-0000-4000-8000-000000000001/claim"] = (HttpStatusCode.OK, """{"outcome":"Done","message":"claimed"}""");
        _api.Replies["POST /api/v1/tasks/6f1c2a9e-0000-4000-8000-000000000001/reassign"] = (HttpStatusCode.OK, """{"outcome":"Done","message":"reassigned"}""");
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".task-inputs")));

        Assert.Contains($"escalates to senior_compliance at {due:HH:mm} UTC (in 20 min)", inbox.Find(".task-sla").TextContent, StringComparison.Ordinal);
        var inputs = inbox.FindAll(".task-input-table tr").Select(r => r.TextContent).ToList();
        Assert.Equal(["account.balanceUsd1250000", "account.preExistingtrue"], inputs);
        Assert.Equal("/portal/audit?account=1003", inbox.Find(".task-account-audit").GetAttribute("href"));
        Assert.Equal("/portal/accounts/1003", inbox.Find(".task-account-profile").GetAttribute("href"));
        Assert.Equal("/portal/blotter?account=1003", inbox.Find(".task-account-orders").GetAttribute("href"));

        inbox.Find(".task-order-detail").Click();
        inbox.WaitForAssertion(() => Assert.Single(inbox.FindAll(".order-journal-entry")));

        inbox.Find(".task-claim-button").Click();
        inbox.WaitForAssertion(() => Assert.Contains("claimed: only you decide it now", inbox.Find("#inbox-notice").TextContent, StringComparison.Ordinal));
        Assert.Contains("\"version\":3", _api.Requests.Single(r => r.Path.EndsWith("/claim", StringComparison.Ordinal)).Body!, StringComparison.Ordinal);

        // Reassign needs exactly one of an officer and a role.
        inbox.Find(".task-reassign-button").Click();
        Assert.Contains("name an officer or choose a role", inbox.Find("#inbox-error").TextContent, StringComparison.Ordinal);
        inbox.Find(".task-reassign-role").Change("senior_compliance");
        inbox.Find(".task-comment").Input("needs a senior look");
        inbox.Find(".task-reassign-button").Click();
        inbox.WaitForAssertion(() => Assert.Contains("reassigned to senior_compliance", inbox.Find("#inbox-notice").TextContent, StringComparison.Ordinal));
        var sent = _api.Requests.Single(r => r.Path.EndsWith("/reassign", StringComparison.Ordinal)).Body!;
        Assert.Contains("\"role\":\"senior_compliance\"", sent, StringComparison.Ordinal);
        Assert.Contains("\"comment\":\"needs a senior look\"", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_author_of_a_rule_change_is_not_offered_approve_on_it()
    {
        SignIn("compliance1", "compliance");
        var ownChange = HeldOrderTask.Replace("\"subject\":\"order\",\"subjectId\":\"42\",\"orderId\":42", "\"subject\":\"rulepack\",\"subjectId\":\"sca 1.1.0\",\"orderId\":null", StringComparison.Ordinal)
            .Replace("\"maker\":\"trader1\"", "\"maker\":\"compliance1\"", StringComparison.Ordinal)
            .Replace("\"approvers\":[\"compliance2\"]", "\"approvers\":[]", StringComparison.Ordinal);
        Assert.Contains("compliance1", ownChange, StringComparison.Ordinal);
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, ownChange);
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".inbox-task")));
        Assert.Empty(inbox.FindAll(".task-approve"));
        Assert.Contains("You made this change: another officer approves it.", inbox.Find(".task-own").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(inbox.FindAll(".task-reject"));
    }

    [Fact]
    public void An_officer_who_approved_already_is_not_offered_a_second_approval()
    {
        SignIn("compliance2", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask);
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder);
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".inbox-task")));
        Assert.Empty(inbox.FindAll(".task-approve"));
        Assert.Contains("You approved it already", inbox.Find(".task-own").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_officer_is_not_offered_a_decision_on_a_task_another_officer_holds_but_may_still_reassign_it()
    {
        // The platform refuses an approval or a rejection from anyone but the officer holding the claim (ClaimedByOther).
        SignIn("compliance1", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask
            .Replace("\"claimedBy\":null", "\"claimedBy\":\"compliance3\"", StringComparison.Ordinal)
            .Replace("\"approvers\":[\"compliance2\"]", "\"approvers\":[]", StringComparison.Ordinal));
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder);
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".inbox-task")));

        Assert.Empty(inbox.FindAll(".task-approve"));
        Assert.Empty(inbox.FindAll(".task-reject"));
        Assert.Empty(inbox.FindAll(".task-claim-button"));
        Assert.Equal("compliance3 holds it: only they decide it until it is reassigned.", inbox.Find(".task-own").TextContent.Trim());
        Assert.NotNull(inbox.Find(".task-reassign-button"));
    }

    [Fact]
    public void The_officer_holding_a_task_is_offered_approve_and_reject()
    {
        SignIn("compliance1", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask
            .Replace("\"claimedBy\":null", "\"claimedBy\":\"compliance1\"", StringComparison.Ordinal)
            .Replace("\"approvers\":[\"compliance2\"]", "\"approvers\":[]", StringComparison.Ordinal));
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder);
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".inbox-task")));

        Assert.NotNull(inbox.Find(".task-approve"));
        Assert.NotNull(inbox.Find(".task-reject"));
        Assert.Empty(inbox.FindAll(".task-own"));
    }

    [Fact]
    public void Rejecting_without_a_reason_is_refused_in_the_form_and_sends_nothing()
    {
        SignIn("compliance1", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask);
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder);
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".task-reject")));

        inbox.Find(".task-comment").Input("   ");
        inbox.Find(".task-reject").Click();
        Assert.Contains("a reason is required to reject", inbox.Find(".task-comment-problem").TextContent, StringComparison.Ordinal);
        Assert.Contains("is-invalid", inbox.Find(".task-comment").GetAttribute("class"), StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");

        _api.Replies["POST /api/v1/tasks/6f1c2a9e-0000-4000-8000-000000000001/reject"] = (HttpStatusCode.OK,
            "{\"outcome\":\"Done\",\"message\":\"rejected\",\"task\":" + HeldOrderTask.Trim()[1..^1] + ",\"order\":null}");
        inbox.Find(".task-comment").Input("Source of funds not documented");
        Assert.Empty(inbox.FindAll(".task-comment-problem"));
        inbox.Find(".task-reject").Click();
        inbox.WaitForAssertion(() => Assert.Contains(_api.Requests, r => r.Method == "POST"));
        var posted = _api.Requests.Single(r => r.Method == "POST");
        Assert.EndsWith("/reject", posted.Path, StringComparison.Ordinal);
        Assert.Contains("\"comment\":\"Source of funds not documented\"", posted.Body, StringComparison.Ordinal);
        Assert.Contains("\"version\":3", posted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conflict_is_explained_in_plain_words_and_the_list_is_refreshed()
    {
        SignIn("compliance1", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, HeldOrderTask);
        _api.Replies["GET /api/v1/orders/42"] = (HttpStatusCode.OK, HeldOrder);
        _api.Replies["POST /api/v1/tasks/6f1c2a9e-0000-4000-8000-000000000001/approve"] = (HttpStatusCode.Conflict,
            """{"title":"Conflict","status":409,"detail":"the workflow instance is at version 4, not 3: read the task again"}""");
        var inbox = Render<Inbox>();
        inbox.WaitForAssertion(() => Assert.NotEmpty(inbox.FindAll(".task-approve")));
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, "[]");
        inbox.Find(".task-approve").Click();

        inbox.WaitForAssertion(() => Assert.NotNull(inbox.Find("#inbox-empty")));
        var error = inbox.Find("#inbox-error").TextContent;
        Assert.Contains("Nothing was changed: someone else decided or changed this task", error, StringComparison.Ordinal);
        Assert.Contains("version 4, not 3", error, StringComparison.Ordinal);
        Assert.Equal(2, _api.Requests.Count(r => r.Path == "/api/v1/tasks"));
        var posted = _api.Requests.Single(r => r.Method == "POST");
        Assert.DoesNotContain("comment\":\"", posted.Body, StringComparison.Ordinal);
    }
    private const string Catalogue = """
        [{"id":"mifid-transactions","title":"MiFIR transaction reports","description":"","perVenue":false,"roles":["regulator"],"scopes":[{"venue":"FIRM"}]},
         {"id":"daily-trades","title":"Daily trades","description":"","perVenue":true,"roles":["regulator"],"scopes":[{"venue":"ADX"},{"venue":"EGX"}]}]
        """;

    private const string Runs = """
        {"items":[{"id":5,"reportId":"mifid-transactions","venue":"FIRM","businessDate":"2026-11-23","copy":1,"status":"Succeeded",
          "trigger":"manual","requestedBy":"regulator1","requestedAt":"2026-11-23T17:00:00Z","completedAt":"2026-11-23T17:00:05Z","attempts":1,
          "error":null,"fileName":"mifid.pdf","sha256":"ab","dataSha256":"cd","pages":3,"length":1000,"statusUrl":"/api/v1/reports/runs/5",
          "downloadUrl":"/api/v1/reports/runs/5/pdf","dataUrl":"/api/v1/reports/runs/5/data","twinUrl":"/api/v1/reports/runs/5/twin","twinSha256":"ef"},
         {"id":4,"reportId":"daily-trades","venue":"ADX","businessDate":"2026-11-23","copy":1,"status":"Failed","trigger":"schedule",
          "requestedBy":"system","requestedAt":"2026-11-23T16:00:00Z","completedAt":null,"attempts":4,"error":"fonts missing","fileName":null,
          "sha256":null,"dataSha256":null,"pages":null,"length":null,"statusUrl":"/api/v1/reports/runs/4","downloadUrl":null,"dataUrl":null}],
         "page":1,"pageSize":200,"total":2}
        """;

    private void StubReports()
    {
        SignIn("regulator1", "regulator");
        JSInterop.Mode = JSRuntimeMode.Loose; // QuickGrid imports its script module; nothing here depends on it
        _api.Replies["GET /api/v1/reports"] = (HttpStatusCode.OK, Catalogue);
        _api.Replies["GET /api/v1/reports/runs"] = (HttpStatusCode.OK, Runs);
        _api.Replies["GET /api/v1/audit/verify"] = (HttpStatusCode.OK, """{"valid":true,"recordsChecked":1234,"firstBrokenId":null,"problem":null}""");
    }

    [Fact]
    public void The_reports_list_links_downloads_through_the_portal_and_shows_the_audit_verification()
    {
        StubReports();
        var page = Render<Reports>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#report-runs tbody tr").Count));
        var rows = page.FindAll("#report-runs tbody tr");
        Assert.Equal("/portal/reports/runs/5/pdf", rows[0].QuerySelector(".download-pdf")!.GetAttribute("href"));
        Assert.Equal("/portal/reports/runs/5/data", rows[0].QuerySelector(".download-data")!.GetAttribute("href"));
        Assert.Equal("/portal/reports/runs/5/twin", rows[0].QuerySelector(".download-twin")!.GetAttribute("href"));
        Assert.Null(rows[1].QuerySelector(".download-pdf"));
        Assert.Contains("fonts missing", rows[1].TextContent, StringComparison.Ordinal);
        // Runs are listed by their report's title, not its id.
        Assert.Equal(["MiFIR transaction reports", "Daily trades"], rows.Select(r => r.QuerySelector(".run-report")!.TextContent));
        Assert.Contains("all 1234 records chain correctly", page.Find("#audit-result").TextContent, StringComparison.Ordinal);
        Assert.NotNull(Render<NavMenu>().Find("#nav-reports"));
    }

    [Fact]
    public void Filtering_by_report_asks_the_API_for_that_report_only()
    {
        StubReports();
        var page = Render<Reports>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#report-runs tbody tr")));
        page.Find("#filter-report").Change("daily-trades");
        page.WaitForAssertion(() => Assert.Contains(_api.Requests, r => r.Path == "/api/v1/reports/runs?pageSize=200&reportId=daily-trades"));
    }

    [Fact]
    public void Generating_without_a_day_is_refused_in_the_form_and_a_per_venue_report_asks_for_the_venue()
    {
        StubReports();
        var page = Render<Reports>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#generate-report option")));
        Assert.Empty(page.FindAll("#generate-venue"));
        page.Find("#generate-report").Change("daily-trades");
        Assert.Equal(["ADX", "EGX"], page.FindAll("#generate-venue option").Select(o => o.TextContent));
        // The day starts as today; a cleared day is refused in the form.
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), page.Find("#generate-date").GetAttribute("value"));
        page.Find("#generate-date").Change("");
        page.Find("#generate").Click();
        Assert.Contains("choose the day", page.Find("#generate-date-problem").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
    }

    [Fact]
    public void The_chosen_day_report_and_venue_stay_selected_after_a_run_completes_and_the_list_reloads()
    {
        StubReports();
        _api.Replies["POST /api/v1/reports/daily-trades/runs"] = (HttpStatusCode.Accepted, """
            {"id":6,"reportId":"daily-trades","venue":"EGX","businessDate":"2026-11-20","copy":1,"status":"Queued","trigger":"manual",
             "requestedBy":"regulator1","requestedAt":"2026-11-23T17:00:00Z","completedAt":null,"attempts":1,"error":null,"fileName":null,
             "sha256":null,"dataSha256":null,"pages":null,"length":null,"statusUrl":"/api/v1/reports/runs/6","downloadUrl":null,"dataUrl":null}
            """);
        _api.Replies["GET /api/v1/reports/runs/6"] = (HttpStatusCode.OK, """
            {"id":6,"reportId":"daily-trades","venue":"EGX","businessDate":"2026-11-20","copy":1,"status":"Succeeded","trigger":"manual",
             "requestedBy":"regulator1","requestedAt":"2026-11-23T17:00:00Z","completedAt":"2026-11-23T17:00:02Z","attempts":1,"error":null,
             "fileName":"d.pdf","sha256":"ab","dataSha256":"cd","pages":2,"length":900,"statusUrl":"/api/v1/reports/runs/6",
             "downloadUrl":"/api/v1/reports/runs/6/pdf","dataUrl":null}
            """);
        var page = Render<Reports>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#report-runs tbody tr")));
        page.Find("#generate-report").Change("daily-trades");
        page.Find("#generate-venue").Change("EGX");
        page.Find("#generate-date").Change("2026-11-20");
        page.Find("#generate").Click();

        // The run is followed until it is ready (one poll, a second apart), then the list is read again.
        page.WaitForAssertion(() => Assert.Contains("Run 6 is ready (2 pages)", page.Find("#generate-progress").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.Equal(2, _api.Requests.Count(r => r.Method == "GET" && r.Path == "/api/v1/reports/runs?pageSize=200")));
        var posted = Assert.Single(_api.Requests, r => r.Method == "POST");
        Assert.Contains("\"2026-11-20\"", posted.Body, StringComparison.Ordinal);
        Assert.Contains("\"EGX\"", posted.Body, StringComparison.Ordinal);
        // What was chosen is still chosen: another run of the same day is one click away.
        Assert.Equal("2026-11-20", page.Find("#generate-date").GetAttribute("value"));
        Assert.Equal("daily-trades", page.Find("#generate-report").GetAttribute("value"));
        Assert.Equal("EGX", page.Find("#generate-venue").GetAttribute("value"));
        Assert.Null(page.Find("#generate").GetAttribute("disabled"));
    }

    [Fact]
    public void A_broken_audit_chain_is_shown_as_an_alert()
    {
        StubReports();
        _api.Replies["GET /api/v1/audit/verify"] = (HttpStatusCode.OK, """{"valid":false,"recordsChecked":41,"firstBrokenId":42,"problem":"hash mismatch"}""");
        var page = Render<Reports>();
        page.WaitForAssertion(() => Assert.Contains("Broken at record 42", page.Find("#audit-result").TextContent, StringComparison.Ordinal));
        Assert.Contains("hash mismatch", page.Find("#audit-result").TextContent, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Pages.CorporateActions;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>
/// bUnit tests of the splits page (issue 14 part 3), the API answered by <see cref="StubApi"/>, following <see cref="DividendsPageTests"/>: the
/// list and its filters, announcing with the API's problems beside their fields, cancelling with a reason and applying only after a
/// confirmation, and an applied split's outcome (positions, cash in lieu, reference prices, stored daily closes scaled, canceled orders); a
/// risk officer reads without the forms.
/// </summary>
public sealed class SplitsPageTests : BunitContext
{
    private readonly StubApi _api = new();

    public SplitsPageTests()
    {
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        _api.Replies["GET /api/v1/splits"] = (HttpStatusCode.OK, $"[{Split(7, "Announced")},{Split(5, "Applied", version: 2, newShares: 1, oldShares: 20)}]");
    }

    private void SignIn(string user, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        auth.SetClaims(StubApi.SessionClaims());
    }

    private static string Split(long id, string status, int version = 1, int newShares = 2, int oldShares = 1, string? cancelReason = null)
    {
        var applied = status == "Applied";
        return $$"""
            {"id":{{id}},"symbol":"COMI","newShares":{{newShares}},"oldShares":{{oldShares}},"effectiveDate":"2026-11-24","source":"EGM resolution",
             "status":"{{status}}","cancelReason":{{(cancelReason is null ? "null" : $"\"{cancelReason}\"")}},"version":{{version}},
             "createdBy":"ops1","createdAt":"2026-11-23T09:00:00Z","updatedBy":"ops1","updatedAt":"2026-11-23T09:00:00Z",
             "appliedAt":{{(applied ? "\"2026-11-24T03:00:00Z\"" : "null")}},"appliedBy":{{(applied ? "\"system\"" : "null")}}}
            """;
    }

    /// <summary>What a 1-for-20 reverse split did: two longs (one with half a share paid) and a short owing its half share.</summary>
    private const string Positions = """
        "positions":[{"accountId":1001,"symbol":"COMI.INT","quantityBefore":100,"quantityAfter":5,"cashInLieu":0},
          {"accountId":1002,"symbol":"COMI.INT","quantityBefore":30,"quantityAfter":1,"cashInLieu":800},
          {"accountId":2001,"symbol":"COMI.INT","quantityBefore":-130,"quantityAfter":-6,"cashInLieu":-800}],
        "referencePrices":[{"symbol":"COMI","before":80,"after":1600},{"symbol":"COMI.INT","before":80,"after":1600}],
        "canceledOrders":[41,42],
        "dailyCloses":[{"symbol":"COMI","count":250,"from":"2025-11-20","to":"2026-11-23"},{"symbol":"COMI.INT","count":0,"from":null,"to":null}]
        """;

    private static string Problem(string field, string message) =>
        "{\"title\":\"One or more validation errors occurred.\",\"status\":400,\"errors\":{\"" + field + "\":[\"" + message + "\"]}}";

    private JsonNode LastBody(string method, string path) =>
        JsonNode.Parse(_api.Requests.Last(r => r.Method == method && r.Path == path).Body!)!;

    [Fact]
    public void Operations_sees_the_list_and_an_announcement_refused_by_the_API_shows_each_problem_beside_its_field()
    {
        SignIn("ops1", "operations");
        var page = Render<Splits>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#splits tbody tr").Count));
        var row = page.Find("#splits tr[data-split='7']");
        Assert.Equal("2-for-1", row.QuerySelector(".split-ratio")!.TextContent);
        Assert.Equal("2026-11-24", row.QuerySelector(".split-effective")!.TextContent);
        Assert.Equal("Announced", row.QuerySelector(".split-status")!.TextContent.Trim());
        Assert.NotNull(row.QuerySelector(".split-cancel"));
        Assert.NotNull(row.QuerySelector(".split-apply"));
        Assert.Null(row.QuerySelector(".split-outcome"));
        // An applied split offers its outcome only.
        var applied = page.Find("#splits tr[data-split='5']");
        Assert.Equal("1-for-20", applied.QuerySelector(".split-ratio")!.TextContent);
        Assert.Null(applied.QuerySelector(".split-cancel"));
        Assert.Null(applied.QuerySelector(".split-apply"));
        Assert.NotNull(applied.QuerySelector(".split-outcome"));

        _api.Replies["POST /api/v1/splits"] = (HttpStatusCode.BadRequest, """
            {"title":"One or more validation errors occurred.","status":400,"errors":{
              "newShares":["3-for-3 changes nothing: newShares and oldShares must differ"],
              "effectiveDate":["2026-11-28 (Saturday) is not a trading day of EGX (a weekend day or a holiday of its calendar)"],
              "source":["is required: where the terms come from (the issuer's announcement)"]}}
            """);
        page.Find("#split-symbol").Change("COMI");
        page.Find("#split-newShares").Change("3");
        page.Find("#split-oldShares").Change("3");
        page.Find("#split-effectiveDate").Change("2026-11-28");
        page.Find("#split-announce").Click();
        page.WaitForAssertion(() => Assert.Contains("3-for-3 changes nothing", page.Find("#split-newShares-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("is not a trading day of EGX", page.Find("#split-effectiveDate-problem").TextContent, StringComparison.Ordinal);
        Assert.Equal("Is required: where the terms come from (the issuer's announcement)", page.Find("#split-source-problem").TextContent);
        Assert.Contains("Nothing was changed", page.Find("#split-error").TextContent, StringComparison.Ordinal);
        var sent = LastBody("POST", "/api/v1/splits");
        Assert.Equal(("COMI", 3, 3, "2026-11-28"), (sent["symbol"]!.GetValue<string>(), sent["newShares"]!.GetValue<int>(),
            sent["oldShares"]!.GetValue<int>(), sent["effectiveDate"]!.GetValue<string>()));
        Assert.Null(sent["source"]); // left empty: the API says it is required, the page does not guess

        // Corrected: announced, the form emptied and the list read again.
        _api.Replies["POST /api/v1/splits"] = (HttpStatusCode.Created, Split(8, "Announced", newShares: 3, oldShares: 1));
        page.Find("#split-oldShares").Change("1");
        page.Find("#split-effectiveDate").Change("2026-11-24");
        page.Find("#split-source").Change("EGM resolution");
        page.Find("#split-announce").Click();
        page.WaitForAssertion(() => Assert.Contains("Split 8 of COMI announced: 3-for-1, effective 2026-11-24.", page.Find("#split-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#split-error"));
        Assert.Equal("", page.Find("#split-symbol").GetAttribute("value") ?? "");
        Assert.Equal(2, _api.Requests.Count(r => r.Method == "GET" && r.Path == "/api/v1/splits"));
    }

    [Fact]
    public void A_share_count_that_is_not_a_whole_number_is_refused_beside_its_field_and_nothing_is_sent()
    {
        SignIn("ops1", "operations");
        var page = Render<Splits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#splits tbody tr")));
        page.Find("#split-newShares").Change("2.5");
        page.Find("#split-oldShares").Change("1");
        page.Find("#split-announce").Click();
        Assert.Contains("'2.5' is not a whole number of shares", page.Find("#split-newShares-problem").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#split-oldShares-problem"));
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
    }

    [Fact]
    public void Cancelling_asks_for_a_confirmation_and_a_reason_and_a_refusal_on_the_effective_date_changes_nothing()
    {
        SignIn("admin", "admin");
        var page = Render<Splits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#splits tbody tr")));
        page.Find("#splits tr[data-split='7'] .split-cancel").Click();
        Assert.Contains("Cancel split 7 of COMI (2-for-1, effective 2026-11-24)?", page.Find("#split-confirm").TextContent, StringComparison.Ordinal);
        page.Find("#split-confirm-no").Click();
        Assert.Empty(page.FindAll("#split-confirm"));
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");

        _api.Replies["POST /api/v1/splits/7/cancel"] = (HttpStatusCode.BadRequest, Problem("reason", "is required: say why the split is canceled"));
        page.Find("#splits tr[data-split='7'] .split-cancel").Click();
        page.Find("#split-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Equal("Is required: say why the split is canceled", page.Find("#cancel-reason-problem").TextContent));

        _api.Replies["POST /api/v1/splits/7/cancel"] = (HttpStatusCode.Conflict, """
            {"title":"Conflict","status":409,"detail":"split 7's effective date 2026-11-24 has come (today is 2026-11-24 on the venue's clock): a split is canceled before its effective date"}
            """);
        page.Find("#cancel-reason").Change("assembly postponed");
        page.Find("#split-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Nothing was changed: split 7's effective date 2026-11-24 has come", page.Find("#split-error").TextContent, StringComparison.Ordinal));
        Assert.Equal("assembly postponed", LastBody("POST", "/api/v1/splits/7/cancel")["reason"]!.GetValue<string>());
        Assert.NotEmpty(page.FindAll("#split-confirm")); // still open, to read the refusal or keep it

        _api.Replies["POST /api/v1/splits/7/cancel"] = (HttpStatusCode.OK, Split(7, "Canceled", version: 2, cancelReason: "assembly postponed"));
        _api.Replies["GET /api/v1/splits"] = (HttpStatusCode.OK, $"[{Split(7, "Canceled", version: 2, cancelReason: "assembly postponed")}]");
        page.Find("#split-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Split 7 canceled: it will not be applied.", page.Find("#split-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#split-confirm"));
        var row = page.Find("#splits tr[data-split='7']");
        Assert.Equal("Canceled", row.QuerySelector(".split-status")!.GetAttribute("data-status"));
        Assert.Contains("assembly postponed", row.QuerySelector(".split-status")!.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector(".split-cancel"));
    }

    [Fact]
    public void Applying_after_the_confirmation_shows_the_positions_cash_in_lieu_prices_and_canceled_orders_the_API_answered()
    {
        SignIn("ops1", "operations");
        var page = Render<Splits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#splits tbody tr")));

        // Refused while the listing trades: the writer's reason, nothing changed.
        _api.Replies["POST /api/v1/splits/7/apply"] = (HttpStatusCode.Conflict,
            """{"title":"Conflict","status":409,"detail":"COMI is in its Continuous phase: a split is applied while the listing it was announced on is closed"}""");
        page.Find("#splits tr[data-split='7'] .split-apply").Click();
        Assert.Contains("Apply split 7 of COMI (2-for-1) now? Every position in the security is multiplied by 2/1", page.Find("#split-confirm").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
        page.Find("#split-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Nothing was changed: COMI is in its Continuous phase", page.Find("#split-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#outcome-panel"));

        _api.Replies["POST /api/v1/splits/7/apply"] = (HttpStatusCode.OK,
            $$"""{"split":{{Split(7, "Applied", version: 2, newShares: 1, oldShares: 20)}},"unchanged":false,{{Positions}}}""");
        _api.Replies["GET /api/v1/splits"] = (HttpStatusCode.OK, $"[{Split(7, "Applied", version: 2, newShares: 1, oldShares: 20)}]");
        page.Find("#split-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Split 7 applied: 3 position(s) adjusted, 2 open order(s) canceled.", page.Find("#split-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#split-confirm"));
        Assert.Equal(3, page.FindAll("#outcome-positions tbody tr").Count);
        var half = page.Find("#outcome-positions tr[data-account='1002']");
        Assert.Equal(("30", "1", "800"), (half.QuerySelector(".position-before")!.TextContent, half.QuerySelector(".position-after")!.TextContent,
            half.QuerySelector(".position-cash")!.TextContent));
        Assert.Equal("-800", page.Find("#outcome-positions tr[data-account='2001'] .position-cash").TextContent);
        Assert.Equal("1600", page.Find("#outcome-prices tr[data-symbol='COMI.INT'] .price-after").TextContent);
        Assert.Contains("Open orders canceled: 41, 42.", page.Find("#outcome-orders").TextContent, StringComparison.Ordinal);
        var closes = page.Find("#outcome-closes tr[data-symbol='COMI']");
        Assert.Equal(("250", "2025-11-20", "2026-11-23"), (closes.QuerySelector(".closes-count")!.TextContent, closes.QuerySelector(".closes-from")!.TextContent,
            closes.QuerySelector(".closes-to")!.TextContent));
        Assert.Equal("0", page.Find("#outcome-closes tr[data-symbol='COMI.INT'] .closes-count").TextContent);
        Assert.Equal("Applied", page.Find("#splits tr[data-split='7'] .split-status").GetAttribute("data-status"));
        Assert.NotNull(page.Find("#splits tr[data-split='7'] .split-outcome"));
    }

    [Fact]
    public void An_applied_splits_outcome_is_read_back_from_the_API_by_a_risk_officer_who_has_no_form()
    {
        SignIn("risk1", "risk");
        _api.Replies["GET /api/v1/splits/5/application"] = (HttpStatusCode.OK,
            $$"""{"split":{{Split(5, "Applied", version: 2, newShares: 1, oldShares: 20)}},{{Positions}}}""");
        var page = Render<Splits>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#splits tbody tr").Count));
        Assert.Empty(page.FindAll(".split-cancel, .split-apply, #split-announce"));
        Assert.NotNull(page.Find("#splits-read-only"));

        page.Find("#splits tr[data-split='5'] .split-outcome").Click();
        page.WaitForAssertion(() => Assert.Contains("What applying split 5 did (COMI 1-for-20, effective 2026-11-24)", page.Find("#outcome-heading").TextContent, StringComparison.Ordinal));
        Assert.Contains("Applied by system at 2026-11-24 03:00:00 UTC.", page.Find("#outcome-applied").TextContent, StringComparison.Ordinal);
        Assert.Equal("5", page.Find("#outcome-positions tr[data-account='1001'] .position-after").TextContent);
        Assert.Equal("80", page.Find("#outcome-prices tr[data-symbol='COMI'] .price-before").TextContent);
        page.Find("#outcome-close").Click();
        Assert.Empty(page.FindAll("#outcome-panel"));
    }

    [Fact]
    public void The_filters_go_to_the_API_and_its_problem_is_shown_beside_the_filter()
    {
        SignIn("compliance1", "compliance");
        var page = Render<Splits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#splits tbody tr")));
        _api.Replies["GET /api/v1/splits"] = (HttpStatusCode.BadRequest, Problem("status", "'Gone' is not one of Announced, Canceled, Applied"));
        page.Find("#filter-symbol").Change("COMI");
        page.Find("#filter-from").Change("2026-11-01");
        page.Find("#filter-to").Change("2026-12-01");
        page.Find("#filter-status").Change("Applied");
        page.Find("#splits-filter").Submit();
        page.WaitForAssertion(() => Assert.Contains("'Gone' is not one of", page.Find("#filter-status-problem").TextContent, StringComparison.Ordinal));
        Assert.Equal("/api/v1/splits?symbol=COMI&from=2026-11-01&to=2026-12-01&status=Applied", _api.Requests.Last(r => r.Method == "GET").Path);
    }
}

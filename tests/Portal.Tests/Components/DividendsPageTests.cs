using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Pages.CorporateActions;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>
/// bUnit tests of the dividends page (issue 14 part 3), the API answered by <see cref="StubApi"/>: the list and its filters, announcing with
/// the API's problems beside their fields, correcting with the version read as If-Match, cancelling and paying only after a confirmation,
/// each account's entitlements; a risk officer reads without the forms.
/// </summary>
public sealed class DividendsPageTests : BunitContext
{
    private readonly StubApi _api = new();

    public DividendsPageTests()
    {
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        _api.Replies["GET /api/v1/dividends"] = (HttpStatusCode.OK, $"[{Dividend(7, "Announced")},{Dividend(5, "Paid", version: 2)}]");
    }

    private void SignIn(string user, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        auth.SetClaims(StubApi.SessionClaims());
    }

    private static string Dividend(long id, string status, int version = 1, decimal amount = 1.25m, string paymentDate = "2026-12-03", string? cancelReason = null) => $$"""
        {"id":{{id}},"symbol":"COMI","exDate":"2026-11-30","recordDate":"2026-12-01","paymentDate":"{{paymentDate}}","amountPerShare":{{amount}},
         "currency":"EGP","source":"board resolution","status":"{{status}}","cancelReason":{{(cancelReason is null ? "null" : $"\"{cancelReason}\"")}},
         "version":{{version}},"createdBy":"ops1","createdAt":"2026-11-23T09:00:00Z","updatedBy":"ops1","updatedAt":"2026-11-23T09:00:00Z",
         "paidAt":null,"paidBy":null}
        """;

    private static string Problem(string field, string message) =>
        "{\"title\":\"One or more validation errors occurred.\",\"status\":400,\"errors\":{\"" + field + "\":[\"" + message + "\"]}}";

    private JsonNode LastBody(string method, string path) =>
        JsonNode.Parse(_api.Requests.Last(r => r.Method == method && r.Path == path).Body!)!;

    [Fact]
    public void Operations_sees_the_list_and_an_announcement_refused_by_the_API_shows_each_problem_beside_its_field()
    {
        SignIn("ops1", "operations");
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#dividends tbody tr").Count));
        var row = page.Find("#dividends tr[data-dividend='7']");
        Assert.Equal("2026-11-30", row.QuerySelector(".dividend-ex")!.TextContent);
        Assert.Equal("1.25 EGP", row.QuerySelector(".dividend-amount")!.TextContent.Trim());
        Assert.Equal("Announced", row.QuerySelector(".dividend-status")!.TextContent.Trim());
        Assert.NotNull(row.QuerySelector(".dividend-edit"));
        // A paid dividend offers its entitlements only.
        var paid = page.Find("#dividends tr[data-dividend='5']");
        Assert.Null(paid.QuerySelector(".dividend-pay"));
        Assert.Null(paid.QuerySelector(".dividend-cancel"));
        Assert.NotNull(paid.QuerySelector(".dividend-entitlements"));

        _api.Replies["POST /api/v1/dividends"] = (HttpStatusCode.BadRequest, """
            {"title":"One or more validation errors occurred.","status":400,"errors":{
              "recordDate":["2026-11-29 is before the ex-date 2026-11-30: the ex-date comes first"],
              "amountPerShare":["0.125 has more decimals than EGP's 2"],"source":["is required: where the figures come from"]}}
            """);
        page.Find("#dividend-symbol").Change("COMI");
        page.Find("#dividend-exDate").Change("2026-11-30");
        page.Find("#dividend-recordDate").Change("2026-11-29");
        page.Find("#dividend-paymentDate").Change("2026-12-03");
        page.Find("#dividend-amountPerShare").Change("0.125");
        page.Find("#dividend-currency").Change("EGP");
        page.Find("#dividend-announce").Click();
        page.WaitForAssertion(() => Assert.Contains("is before the ex-date 2026-11-30", page.Find("#dividend-recordDate-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("has more decimals than EGP's 2", page.Find("#dividend-amountPerShare-problem").TextContent, StringComparison.Ordinal);
        Assert.Equal("Is required: where the figures come from", page.Find("#dividend-source-problem").TextContent);
        Assert.Contains("Nothing was changed", page.Find("#dividend-error").TextContent, StringComparison.Ordinal);
        var sent = LastBody("POST", "/api/v1/dividends");
        Assert.Equal(("COMI", "2026-11-29", 0.125m, "EGP"), (sent["symbol"]!.GetValue<string>(), sent["recordDate"]!.GetValue<string>(),
            sent["amountPerShare"]!.GetValue<decimal>(), sent["currency"]!.GetValue<string>()));
        Assert.Null(sent["source"]); // left empty: the API says it is required, the page does not guess

        // Corrected: announced, the form emptied and the list read again.
        _api.Replies["POST /api/v1/dividends"] = (HttpStatusCode.Created, Dividend(8, "Announced", amount: 0.55m));
        page.Find("#dividend-recordDate").Change("2026-12-01");
        page.Find("#dividend-amountPerShare").Change("0.55");
        page.Find("#dividend-source").Change("board resolution");
        page.Find("#dividend-announce").Click();
        page.WaitForAssertion(() => Assert.Contains("Dividend 8 of COMI announced: 0.55 EGP per share, ex-date 2026-11-30.", page.Find("#dividend-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#dividend-error"));
        Assert.Equal("", page.Find("#dividend-symbol").GetAttribute("value") ?? "");
        Assert.Equal(2, _api.Requests.Count(r => r.Method == "GET" && r.Path == "/api/v1/dividends"));
    }

    [Fact]
    public void An_amount_that_is_not_a_number_is_refused_beside_its_field_and_nothing_is_sent()
    {
        SignIn("ops1", "operations");
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#dividends tbody tr")));
        page.Find("#dividend-amountPerShare").Change("1,25");
        page.Find("#dividend-announce").Click();
        Assert.Contains("'1,25' is not an amount", page.Find("#dividend-amountPerShare-problem").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
    }

    [Fact]
    public void A_correction_starts_from_the_dividend_sends_its_version_as_If_Match_and_says_when_nothing_changed()
    {
        SignIn("admin", "admin");
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#dividends tbody tr")));
        page.Find("#dividends tr[data-dividend='7'] .dividend-edit").Click();
        Assert.Contains("Correct dividend 7 of COMI", page.Find("#dividend-form-heading").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#dividend-symbol")); // the symbol does not change
        Assert.Equal("1.25", page.Find("#dividend-amountPerShare").GetAttribute("value"));

        _api.Replies["PUT /api/v1/dividends/7"] = (HttpStatusCode.BadRequest, Problem("reason", "is required: say why the dividend is corrected"));
        page.Find("#dividend-amountPerShare").Change("1.30");
        page.Find("#dividend-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Is required: say why", page.Find("#dividend-reason-problem").TextContent, StringComparison.Ordinal));

        _api.Replies["PUT /api/v1/dividends/7"] = (HttpStatusCode.OK,
            $$"""{"dividend":{{Dividend(7, "Announced", version: 2, amount: 1.3m)}},"unchanged":false,"changed":["amountPerShare"]}""");
        page.Find("#dividend-reason").Change("issuer's corrected notice");
        page.Find("#dividend-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Dividend 7 corrected (amountPerShare): now at version 2.", page.Find("#dividend-notice").TextContent, StringComparison.Ordinal));
        var put = _api.Requests.Last(r => r.Method == "PUT");
        Assert.Equal("W/\"v1\"", put.IfMatch);
        var body = JsonNode.Parse(put.Body!)!;
        Assert.Equal((1.30m, "2026-11-30", "2026-12-03", "issuer's corrected notice", "board resolution"), (body["amountPerShare"]!.GetValue<decimal>(),
            body["exDate"]!.GetValue<string>(), body["paymentDate"]!.GetValue<string>(), body["reason"]!.GetValue<string>(), body["source"]!.GetValue<string>()));
        Assert.Contains("Announce a dividend", page.Find("#dividend-form-heading").TextContent, StringComparison.Ordinal);

        _api.Replies["PUT /api/v1/dividends/7"] = (HttpStatusCode.OK, $$"""{"dividend":{{Dividend(7, "Announced")}},"unchanged":true,"changed":[]}""");
        page.Find("#dividends tr[data-dividend='7'] .dividend-edit").Click();
        page.Find("#dividend-reason").Change("resent");
        page.Find("#dividend-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Dividend 7 already has these terms: nothing changed.", page.Find("#dividend-notice").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Cancelling_asks_for_a_confirmation_and_a_reason_and_a_refusal_on_the_ex_date_changes_nothing()
    {
        SignIn("ops1", "operations");
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#dividends tbody tr")));
        page.Find("#dividends tr[data-dividend='7'] .dividend-cancel").Click();
        Assert.Contains("Cancel dividend 7 of COMI (ex-date 2026-11-30)?", page.Find("#dividend-confirm").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
        page.Find("#dividend-confirm-no").Click();
        Assert.Empty(page.FindAll("#dividend-confirm"));
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");

        _api.Replies["POST /api/v1/dividends/7/cancel"] = (HttpStatusCode.Conflict, """
            {"title":"Conflict","status":409,"detail":"dividend 7's ex-date 2026-11-30 has come (today is 2026-11-30 on the venue's clock): a dividend is canceled before its ex-date"}
            """);
        page.Find("#dividends tr[data-dividend='7'] .dividend-cancel").Click();
        page.Find("#cancel-reason").Change("board resolution withdrawn");
        page.Find("#dividend-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Nothing was changed: dividend 7's ex-date 2026-11-30 has come", page.Find("#dividend-error").TextContent, StringComparison.Ordinal));
        Assert.Equal("board resolution withdrawn", LastBody("POST", "/api/v1/dividends/7/cancel")["reason"]!.GetValue<string>());
        Assert.NotEmpty(page.FindAll("#dividend-confirm")); // still open, to read the refusal or keep it

        _api.Replies["POST /api/v1/dividends/7/cancel"] = (HttpStatusCode.OK, Dividend(7, "Canceled", version: 2, cancelReason: "board resolution withdrawn"));
        _api.Replies["GET /api/v1/dividends"] = (HttpStatusCode.OK, $"[{Dividend(7, "Canceled", version: 2, cancelReason: "board resolution withdrawn")}]");
        page.Find("#dividend-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Dividend 7 canceled: it will not be paid.", page.Find("#dividend-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#dividend-confirm"));
        var row = page.Find("#dividends tr[data-dividend='7']");
        Assert.Contains("Canceled", row.QuerySelector(".dividend-status")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("board resolution withdrawn", row.QuerySelector(".dividend-status")!.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector(".dividend-cancel"));
    }

    [Fact]
    public void Paying_after_the_confirmation_credits_the_entitled_accounts_shown_in_the_entitlements()
    {
        SignIn("ops1", "operations");
        const string entitled = """
            {"dividend":DIV,"entitlements":[{"accountId":1001,"quantity":100,"grossAmount":125,"paid":PAID},
             {"accountId":2001,"quantity":-130,"grossAmount":-162.5,"paid":PAID}],"totalGross":-37.5}
            """;
        _api.Replies["GET /api/v1/dividends/7/entitlements"] = (HttpStatusCode.OK,
            entitled.Replace("DIV", Dividend(7, "Announced"), StringComparison.Ordinal).Replace("PAID", "false", StringComparison.Ordinal));
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#dividends tbody tr")));
        page.Find("#dividends tr[data-dividend='7'] .dividend-entitlements").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#entitlements tbody tr").Count));
        Assert.Equal("-162.5 EGP", page.Find("#entitlements tr[data-account='2001'] .entitlement-amount").TextContent.Trim());
        Assert.Equal("-37.5 EGP", page.Find("#entitlements-total").TextContent.Trim());
        Assert.Equal("no", page.Find("#entitlements tr[data-account='1001'] .entitlement-paid").TextContent);

        page.Find("#dividends tr[data-dividend='7'] .dividend-pay").Click();
        Assert.Contains("Pay dividend 7 of COMI: 1.25 EGP per share", page.Find("#dividend-confirm").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
        _api.Replies["POST /api/v1/dividends/7/pay"] = (HttpStatusCode.OK, $$"""
            {"dividend":{{Dividend(7, "Paid", version: 2)}},"payments":[{"accountId":1001,"quantity":100,"amount":125,"outcome":"Booked","movementId":41},
             {"accountId":2001,"quantity":-130,"amount":-162.5,"outcome":"Booked","movementId":42}],"booked":2,"alreadyBooked":0}
            """);
        _api.Replies["GET /api/v1/dividends/7/entitlements"] = (HttpStatusCode.OK,
            entitled.Replace("DIV", Dividend(7, "Paid", version: 2), StringComparison.Ordinal).Replace("PAID", "true", StringComparison.Ordinal));
        _api.Replies["GET /api/v1/dividends"] = (HttpStatusCode.OK, $"[{Dividend(7, "Paid", version: 2)}]");
        page.Find("#dividend-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Dividend 7 paid: 2 account(s) credited now, 0 paid before.", page.Find("#dividend-notice").TextContent, StringComparison.Ordinal));
        Assert.Equal("yes", page.Find("#entitlements tr[data-account='1001'] .entitlement-paid").TextContent);
        Assert.Equal("Paid", page.Find("#dividends tr[data-dividend='7'] .dividend-status").GetAttribute("data-status"));
    }

    [Fact]
    public void The_filters_go_to_the_API_and_its_problem_is_shown_beside_the_filter()
    {
        SignIn("compliance1", "compliance");
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#dividends tbody tr")));
        _api.Replies["GET /api/v1/dividends"] = (HttpStatusCode.BadRequest, Problem("to", "2026-11-01 is before from (2026-12-01)"));
        page.Find("#filter-symbol").Change("COMI");
        page.Find("#filter-from").Change("2026-12-01");
        page.Find("#filter-to").Change("2026-11-01");
        page.Find("#filter-status").Change("Paid");
        page.Find("#dividends-filter").Submit();
        page.WaitForAssertion(() => Assert.Contains("2026-11-01 is before from", page.Find("#filter-to-problem").TextContent, StringComparison.Ordinal));
        Assert.Equal("/api/v1/dividends?symbol=COMI&from=2026-12-01&to=2026-11-01&status=Paid", _api.Requests.Last(r => r.Method == "GET").Path);
    }

    [Fact]
    public void A_risk_officer_reads_the_dividends_and_their_entitlements_without_any_form()
    {
        SignIn("risk1", "risk");
        var page = Render<Dividends>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#dividends tbody tr").Count));
        Assert.Empty(page.FindAll(".dividend-edit, .dividend-cancel, .dividend-pay, #dividend-announce"));
        Assert.NotEmpty(page.FindAll(".dividend-entitlements"));
        Assert.NotNull(page.Find("#dividends-read-only"));
    }
}

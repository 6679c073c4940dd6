using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Pages.CorporateActions;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>
/// bUnit tests of the symbol changes page (issue 14 part 3), the API answered by <see cref="StubApi"/>, following <see cref="SplitsPageTests"/>:
/// the list, announcing with the API's problems beside their fields, applying only after a confirmation with the outcome the API answered
/// (positions moved at their cost, the reference price, the closes copied, the canceled orders), cancelling with a reason; a risk officer
/// reads without the forms.
/// </summary>
public sealed class SymbolChangesPageTests : BunitContext
{
    private readonly StubApi _api = new();

    public SymbolChangesPageTests()
    {
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        _api.Replies["GET /api/v1/symbol-changes"] = (HttpStatusCode.OK, $"[{Change(7, "Announced")},{Change(5, "Applied", version: 2)}]");
    }

    private void SignIn(string user, string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        auth.SetClaims(StubApi.SessionClaims());
    }

    private static string Change(long id, string status, int version = 1, string? cancelReason = null)
    {
        var applied = status == "Applied";
        return $$"""
            {"id":{{id}},"symbol":"COMI.INT","newSymbol":"CIBE.INT","newIsin":null,"newName":"CIB (renamed)","effectiveDate":"2026-11-24",
             "source":"issuer's notice","status":"{{status}}","cancelReason":{{(cancelReason is null ? "null" : $"\"{cancelReason}\"")}},
             "version":{{version}},"createdBy":"ops1","createdAt":"2026-11-23T09:00:00Z","updatedBy":"ops1","updatedAt":"2026-11-23T09:00:00Z",
             "appliedAt":{{(applied ? "\"2026-11-24T03:00:00Z\"" : "null")}},"appliedBy":{{(applied ? "\"ops1\"" : "null")}}}
            """;
    }

    private JsonNode LastBody(string method, string path) =>
        JsonNode.Parse(_api.Requests.Last(r => r.Method == method && r.Path == path).Body!)!;

    [Fact]
    public void Operations_sees_the_list_and_an_announcement_refused_by_the_API_shows_each_problem_beside_its_field()
    {
        SignIn("ops1", "operations");
        var page = Render<SymbolChanges>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#changes tbody tr").Count));
        var row = page.Find("#changes tr[data-change='7']");
        Assert.Contains("CIBE.INT", row.QuerySelector(".change-new-symbol")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector(".change-cancel"));
        Assert.NotNull(row.QuerySelector(".change-apply"));
        Assert.Null(page.Find("#changes tr[data-change='5']").QuerySelector(".change-apply"));

        _api.Replies["POST /api/v1/symbol-changes"] = (HttpStatusCode.BadRequest, """
            {"title":"One or more validation errors occurred.","status":400,"errors":{
              "newSymbol":["HRHO exists already (Trading): a new symbol must not be listed, nor have been (its history is its own)"],
              "effectiveDate":["2026-11-23 is not after today (2026-11-23 on EGX's clock): a symbol change is announced before it takes effect"]}}
            """);
        page.Find("#change-symbol").Change("COMI");
        page.Find("#change-newSymbol").Change("HRHO");
        page.Find("#change-effectiveDate").Change("2026-11-23");
        page.Find("#change-source").Change("notice");
        page.Find("#change-announce").Click();
        page.WaitForAssertion(() => Assert.Contains("HRHO exists already", page.Find("#change-newSymbol-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("is not after today", page.Find("#change-effectiveDate-problem").TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", page.Find("#change-error").TextContent, StringComparison.Ordinal);
        var sent = LastBody("POST", "/api/v1/symbol-changes");
        Assert.Equal(("COMI", "HRHO", "2026-11-23"), (sent["symbol"]!.GetValue<string>(), sent["newSymbol"]!.GetValue<string>(),
            sent["effectiveDate"]!.GetValue<string>()));
        Assert.Null(sent["newIsin"]); // left empty: the change keeps the ISIN

        _api.Replies["POST /api/v1/symbol-changes"] = (HttpStatusCode.Created, Change(8, "Announced"));
        page.Find("#change-newSymbol").Change("CIBE.INT");
        page.Find("#change-announce").Click();
        page.WaitForAssertion(() => Assert.Contains("Symbol change 8 announced: COMI.INT becomes CIBE.INT on 2026-11-24.",
            page.Find("#change-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#change-error"));
    }

    [Fact]
    public void Applying_after_the_confirmation_shows_the_positions_moved_the_prices_and_the_canceled_orders_the_API_answered()
    {
        SignIn("ops1", "operations");
        var page = Render<SymbolChanges>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#changes tbody tr").Count));
        page.Find("#changes tr[data-change='7'] .change-apply").Click();
        Assert.Contains("Apply symbol change 7 (COMI.INT to CIBE.INT) now?", page.Find("#change-confirm").TextContent, StringComparison.Ordinal);

        _api.Replies["POST /api/v1/symbol-changes/7/apply"] = (HttpStatusCode.Conflict,
            """{"title":"Conflict","status":409,"detail":"COMI.INT has traded today: apply the symbol change before the next session"}""");
        page.Find("#change-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("has traded today", page.Find("#change-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#outcome-panel"));

        _api.Replies["POST /api/v1/symbol-changes/7/apply"] = (HttpStatusCode.OK, $$"""
            {"symbolChange":{{Change(7, "Applied", version: 2)}},"unchanged":false,
             "positions":[{"accountId":1001,"symbol":"COMI.INT","newSymbol":"CIBE.INT","quantity":100,"averageCost":79},
               {"accountId":2001,"symbol":"COMI.INT","newSymbol":"CIBE.INT","quantity":-100,"averageCost":79}],
             "referencePrice":{"symbol":"COMI.INT","newSymbol":"CIBE.INT","referencePrice":80,"closingPrice":80.1},
             "canceledOrders":[41],"dailyCloses":{"count":250,"from":"2025-11-20","to":"2026-11-23"},
             "carried":{"dividends":[12],"splits":[],"riskLimits":[{"symbol":"COMI.INT","version":3,"newSymbol":"CIBE.INT","newVersion":1}],
               "withdrawnLimitProposals":[9]},
             "packWarnings":[{"packId":"sca","regime":"SCA","version":"1.9.0","places":["parameter RestrictedSymbols lists COMI.INT"]}] }
            """);
        page.Find("#change-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Symbol change 7 applied: 2 position(s) moved, 1 open order(s) canceled.",
            page.Find("#change-notice").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, page.FindAll("#outcome-positions tbody tr").Count);
        Assert.Equal("-100", page.Find("#outcome-positions tr[data-account='2001'] .position-quantity").TextContent);
        Assert.Equal("79", page.Find("#outcome-positions tr[data-account='1001'] .position-cost").TextContent);
        Assert.Contains("Reference price 80, last close 80.1; 250 stored daily close(s) copied to CIBE.INT.", page.Find("#outcome-prices").TextContent,
            StringComparison.Ordinal);
        Assert.Contains("Open orders canceled: 41.", page.Find("#outcome-orders").TextContent, StringComparison.Ordinal);
        Assert.Contains("Moved to CIBE.INT (on or after the effective date): dividends 12; splits -.", page.Find("#outcome-carried").TextContent,
            StringComparison.Ordinal);
        Assert.Contains("Pre-trade limits of COMI.INT (version 3) carried to CIBE.INT as its version 1", page.Find(".outcome-limits").TextContent,
            StringComparison.Ordinal);
        Assert.Contains("Proposals of limits for COMI.INT withdrawn (to be proposed again on CIBE.INT): 9.", page.Find("#outcome-withdrawn").TextContent,
            StringComparison.Ordinal);
        Assert.Contains("sca (SCA) version 1.9.0: parameter RestrictedSymbols lists COMI.INT",
            page.Find("#outcome-pack-warnings li[data-pack='sca']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_asks_for_a_reason_shown_beside_its_field_when_missing_and_then_cancels()
    {
        SignIn("ops1", "operations");
        var page = Render<SymbolChanges>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#changes tbody tr").Count));
        page.Find("#changes tr[data-change='7'] .change-cancel").Click();
        _api.Replies["POST /api/v1/symbol-changes/7/cancel"] = (HttpStatusCode.BadRequest,
            """{"title":"One or more validation errors occurred.","status":400,"errors":{"reason":["is required: say why the symbol change is canceled"]}}""");
        page.Find("#change-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("say why the symbol change is canceled", page.Find("#cancel-reason-problem").TextContent, StringComparison.Ordinal));
        _api.Replies["POST /api/v1/symbol-changes/7/cancel"] = (HttpStatusCode.OK, Change(7, "Canceled", version: 2, cancelReason: "withdrawn"));
        page.Find("#cancel-reason").Change("withdrawn");
        page.Find("#change-confirm-yes").Click();
        page.WaitForAssertion(() => Assert.Contains("Symbol change 7 canceled", page.Find("#change-notice").TextContent, StringComparison.Ordinal));
        Assert.Equal("withdrawn", LastBody("POST", "/api/v1/symbol-changes/7/cancel")["reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_risk_officer_reads_the_list_without_the_forms()
    {
        SignIn("risk1", "risk");
        var page = Render<SymbolChanges>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#changes tbody tr").Count));
        Assert.Empty(page.FindAll("#change-announce"));
        Assert.Empty(page.FindAll(".change-cancel"));
        Assert.NotNull(page.Find("#changes-read-only"));
    }
}

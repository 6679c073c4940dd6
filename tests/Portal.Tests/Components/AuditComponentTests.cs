using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Layout;
using TradSys.Web.Portal.Components.Pages.Regulator;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>The audit records page: the trail with its hashes, filters, paging and the chain's verification.</summary>
public sealed class AuditComponentTests : BunitContext
{
    private readonly StubApi _api = new();

    private const string Hash2 = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
    private const string Hash1 = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";

    private static string Records(int total) => $$"""
        {"items":[
          {"id":2,"timestamp":"2026-11-24T09:30:01.123456Z","actor":"trader1","action":"order.submitted","subject":"order/7",
           "details":"{\"symbol\":\"COMI.INT\"}","previousHash":"{{Hash1}}","hash":"{{Hash2}}"},
          {"id":1,"timestamp":"2026-11-24T09:30:00Z","actor":"system","action":"rulepack.stored","subject":"rulepack/egx",
           "details":"{}","previousHash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"{{Hash1}}"}],
         "page":1,"pageSize":50,"total":{{total}}}
        """;

    private void SignIn(string userName, params string[] roles)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(userName);
        auth.SetRoles(roles);
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddLocalization();
        _api.Replies["GET /api/v1/audit/verify"] = (HttpStatusCode.OK, """{"valid":true,"recordsChecked":2,"firstBrokenId":null,"problem":null}""");
        _api.Replies["GET /api/v1/audit"] = (HttpStatusCode.OK, Records(2));
    }

    [Fact]
    public void A_regulator_finds_the_audit_trail_in_the_navigation_and_a_trader_or_viewer_does_not()
    {
        SignIn("regulator1", "regulator");
        Assert.NotNull(Render<NavMenu>().Find("#nav-audit"));
    }

    [Theory]
    [InlineData("trader")]
    [InlineData("viewer")]
    public void Traders_and_viewers_have_no_audit_link(string role)
    {
        SignIn("someone", role);
        Assert.Empty(Render<NavMenu>().FindAll("#nav-audit"));
    }

    [Fact]
    public void Each_record_shows_its_hash_and_its_predecessors_hash_with_the_verification()
    {
        SignIn("regulator1", "regulator");
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#audit-records tbody tr").Count));
        var rows = page.FindAll("#audit-records tbody tr");
        Assert.Equal(Hash2, rows[0].QuerySelector(".audit-hash")!.TextContent);
        Assert.Equal(Hash1, rows[0].QuerySelector(".audit-previous-hash")!.TextContent);
        Assert.Equal("order/7", rows[0].QuerySelector(".audit-subject")!.TextContent);
        Assert.Contains("2026-11-24 09:30:01.123456", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(Hash1, rows[1].QuerySelector(".audit-hash")!.TextContent);
        Assert.Contains("Records 1–2 of 2", page.Find("#audit-count").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains("all 2 records chain correctly", page.Find("#audit-result").TextContent, StringComparison.Ordinal));
        Assert.Equal("/api/v1/audit?page=1&pageSize=50", _api.Requests.First(r => r.Path.StartsWith("/api/v1/audit?", StringComparison.Ordinal)).Path);
    }

    [Fact]
    public void A_subject_lists_its_own_records_and_the_CSV_link_carries_the_list_on_screen()
    {
        SignIn("regulator1", "regulator");
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#audit-records tbody tr").Count));
        Assert.Equal("/portal/audit/export", page.Find("#audit-export").GetAttribute("href"));
        Assert.Contains("2 records", page.Find("#audit-export").TextContent, StringComparison.Ordinal);

        page.FindAll(".audit-subject-filter")[0].Click();
        page.WaitForAssertion(() => Assert.Equal("order/7", page.Find("#audit-subject").GetAttribute("value")));
        Assert.Equal("/api/v1/audit?page=1&pageSize=50&subject=order%2F7", _api.Requests.Last(r => r.Path.StartsWith("/api/v1/audit?", StringComparison.Ordinal)).Path);
        Assert.Equal("/portal/audit/export?subject=order%2F7", page.Find("#audit-export").GetAttribute("href"));
    }

    [Fact]
    public void The_filters_are_sent_to_the_API_as_UTC_times_and_exact_values()
    {
        SignIn("compliance1", "compliance");
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#audit-records tbody tr")));
        page.Find("#audit-from").Change("2026-11-24T09:00:00");
        page.Find("#audit-to").Change("2026-11-24T10:00:00");
        page.Find("#audit-actor").Change("trader1");
        page.Find("#audit-action").Change("order.submitted");
        page.Find("#audit-subject").Change("order/");
        page.Find("#audit-account").Change("1001");
        page.Find("#audit-filter").Submit();
        page.WaitForAssertion(() => Assert.Contains(_api.Requests, r => r.Path ==
            "/api/v1/audit?page=1&pageSize=50&from=2026-11-24T09%3A00%3A00Z&to=2026-11-24T10%3A00%3A00Z&actor=trader1&action=order.submitted&subject=order%2F&account=1001"));
    }

    [Fact]
    public void Opened_on_an_account_the_page_asks_for_its_records_and_clicking_a_subject_leaves_the_account()
    {
        SignIn("compliance1", "compliance");
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/portal/audit?account=1003");
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#audit-records tbody tr").Count));

        Assert.Equal("1003", page.Find("#audit-account").GetAttribute("value"));
        Assert.Equal("/api/v1/audit?page=1&pageSize=50&account=1003", _api.Requests.First(r => r.Path.StartsWith("/api/v1/audit?", StringComparison.Ordinal)).Path);
        Assert.Equal("/portal/audit/export?account=1003", page.Find("#audit-export").GetAttribute("href"));

        page.FindAll(".audit-subject-filter")[0].Click();
        page.WaitForAssertion(() => Assert.Equal("/api/v1/audit?page=1&pageSize=50&subject=order%2F7",
            _api.Requests.Last(r => r.Path.StartsWith("/api/v1/audit?", StringComparison.Ordinal)).Path));
        Assert.True(string.IsNullOrEmpty(page.Find("#audit-account").GetAttribute("value")));
    }

    [Fact]
    public void Paging_keeps_the_filter_and_walks_to_older_records()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/audit"] = (HttpStatusCode.OK, Records(120));
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.Equal("Page 1 of 3", page.Find("#audit-page").TextContent));
        Assert.True(page.Find("#audit-previous").HasAttribute("disabled"));
        page.Find("#audit-actor").Change("trader1");
        page.Find("#audit-filter").Submit();
        page.Find("#audit-actor").Change("someone-else"); // edited but not searched: paging keeps the searched filter
        page.Find("#audit-next").Click();
        page.WaitForAssertion(() => Assert.Contains(_api.Requests, r => r.Path == "/api/v1/audit?page=2&pageSize=50&actor=trader1"));
        page.WaitForAssertion(() => Assert.Equal("Page 2 of 3", page.Find("#audit-page").TextContent));
    }

    [Fact]
    public void A_refused_filter_is_shown_at_its_field_and_the_list_stays()
    {
        SignIn("regulator1", "regulator");
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#audit-records tbody tr").Count));
        _api.Replies["GET /api/v1/audit"] = (HttpStatusCode.BadRequest,
            """{"title":"The request is not valid","status":400,"errors":{"to":["must be later than from"]}}""");
        page.Find("#audit-from").Change("2026-11-24T10:00:00");
        page.Find("#audit-to").Change("2026-11-24T09:00:00");
        page.Find("#audit-filter").Submit();
        page.WaitForAssertion(() => Assert.Equal("Must be later than from", page.Find("#audit-to-problem").TextContent));
        Assert.Contains("is-invalid", page.Find("#audit-to").GetAttribute("class"), StringComparison.Ordinal);
        Assert.Equal(2, page.FindAll("#audit-records tbody tr").Count);
    }

    [Fact]
    public void A_broken_chain_is_an_alert_on_the_audit_page()
    {
        SignIn("regulator1", "regulator");
        _api.Replies["GET /api/v1/audit/verify"] = (HttpStatusCode.OK, """{"valid":false,"recordsChecked":1,"firstBrokenId":2,"problem":"record 2 was altered"}""");
        var page = Render<Audit>();
        page.WaitForAssertion(() => Assert.Equal("alert", page.Find("#audit-result").GetAttribute("role")));
        Assert.Contains("Broken at record 2", page.Find("#audit-result").TextContent, StringComparison.Ordinal);
    }
}

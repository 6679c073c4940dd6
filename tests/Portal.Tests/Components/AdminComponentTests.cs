using System.Globalization;
using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal;
using TradSys.Web.Portal.Components.Layout;
using TradSys.Web.Portal.Components.Pages.Admin;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>bUnit tests of the admin's pages (users, health), the API answered by <see cref="StubApi"/>.</summary>
public sealed class AdminComponentTests : BunitContext
{
    private readonly StubApi _api = new();

    private const string UserList = """
        [{"id":1,"userName":"admin","displayName":"Platform Admin","roles":["admin"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[]},
         {"id":2,"userName":"trader1","displayName":"Huda Ibrahim","roles":["trader"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[1003]}]
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
    }

    [Fact]
    public void An_admin_sees_the_admin_links_and_a_trader_does_not()
    {
        SignIn("admin", "admin");
        var nav = Render<NavMenu>();
        Assert.NotNull(nav.Find("#nav-users"));
        Assert.NotNull(nav.Find("#nav-health"));
        Assert.Equal("/hangfire", nav.Find("#nav-jobs").GetAttribute("href"));
    }

    [Fact]
    public void A_trader_has_no_admin_links()
    {
        SignIn("trader1", "trader");
        var nav = Render<NavMenu>();
        Assert.Empty(nav.FindAll("#nav-users"));
        Assert.Empty(nav.FindAll("#nav-jobs"));
    }

    [Fact]
    public void The_create_form_shows_the_APIs_validation_messages_at_their_fields()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/users"] = (HttpStatusCode.OK, UserList);
        _api.Replies["POST /api/v1/users"] = (HttpStatusCode.BadRequest, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
             "errors":{"userName":["must be 3-32 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter"],
                       "password":["must be 12-128 characters"]}}
            """);
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("tr[data-user=trader1]")));

        page.Find("#new-user-name").Change("X");
        page.Find("#new-display-name").Change("Someone");
        page.Find("#new-role-viewer").Change(true);
        page.Find("#new-password").Change("short");
        page.Find("#create-user").Click();

        page.WaitForAssertion(() => Assert.Contains("Must be 3-32 characters", page.Find("#new-userName-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("Must be 12-128 characters", page.Find("#new-password-problem").TextContent, StringComparison.Ordinal);
        Assert.Contains("is-invalid", page.Find("#new-user-name").ClassName, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#new-displayName-problem"));
        Assert.Contains("correct the fields", page.Find("#create-error").TextContent, StringComparison.Ordinal);
        var sent = _api.Requests.Single(r => r.Method == "POST");
        Assert.Contains("\"userName\":\"X\"", sent.Body, StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"viewer\"]", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_gives_a_trader_an_account_and_the_page_shows_who_trades_what()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/users"] = (HttpStatusCode.OK, UserList);
        _api.Replies["GET /api/v1/users/2"] = (HttpStatusCode.OK,
            """{"id":2,"userName":"trader1","displayName":"Huda Ibrahim","roles":["trader"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[1003]}""");
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """
            [{"accountId":1001,"name":"Nile Growth Fund","ownerUserId":7,"clientCategory":"Professional","jurisdiction":"EG","fatcaStatus":"NotUsPerson",
              "usIndicia":"None","shariaOnly":false,"creditLimit":0,"creditCurrency":"EGP","isActive":true},
             {"accountId":1003,"name":"Huda Ibrahim","ownerUserId":2,"clientCategory":"Retail","jurisdiction":"EG","fatcaStatus":"NotUsPerson",
              "usIndicia":"None","shariaOnly":true,"creditLimit":0,"creditCurrency":"EGP","isActive":true}]
            """);
        _api.Replies["PUT /api/v1/users/2/accounts/1001"] = (HttpStatusCode.OK,
            """{"id":2,"userName":"trader1","displayName":"Huda Ibrahim","roles":["trader"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[1001,1003]}""");
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("tr[data-user=trader1]")));
        page.Find("#edit-trader1").Click();
        page.WaitForAssertion(() => Assert.Contains("trader1 trades 1003.", page.Find("#edit-accounts").TextContent, StringComparison.Ordinal));
        // Only the accounts they do not trade yet are offered, each with its trader now.
        Assert.Equal(["", "1001"], page.FindAll("#assign-account option").Select(o => o.GetAttribute("value")));
        Assert.Contains("now user 7", page.Find("#assign-account option[value='1001']").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("#assign-account-button").HasAttribute("disabled"));

        page.Find("#assign-account").Change("1001");
        page.Find("#assign-account-button").Click();
        page.WaitForAssertion(() => Assert.Contains("trader1 now trades account 1001.", page.Find("#users-notice").TextContent, StringComparison.Ordinal));
        Assert.Contains("trader1 trades 1001, 1003.", page.Find("#edit-accounts").TextContent, StringComparison.Ordinal);
        Assert.Single(_api.Requests, r => r.Method == "PUT" && r.Path == "/api/v1/users/2/accounts/1001");
    }

    [Fact]
    public void Changing_roles_sends_the_ETag_and_shows_a_409_in_plain_words()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/users"] = (HttpStatusCode.OK, UserList);
        _api.Replies["GET /api/v1/users/1"] = (HttpStatusCode.OK,
            """{"id":1,"userName":"admin","displayName":"Platform Admin","roles":["admin"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[]}""");
        _api.ReplyHeaders["GET /api/v1/users/1"] = ("ETag", "W/\"abc123\"");
        _api.Replies["PATCH /api/v1/users/1"] = (HttpStatusCode.Conflict,
            """{"title":"Conflict","status":409,"detail":"you cannot remove your own admin role or deactivate yourself: ask another admin"}""");
        var page = Render<Users>();
        page.WaitForAssertion(() => page.Find("#edit-admin").Click());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#edit-user")));

        page.Find("#edit-role-admin").Change(false);
        page.Find("#edit-role-viewer").Change(true);
        page.Find("#save-user").Click();

        page.WaitForAssertion(() => Assert.Contains("you cannot remove your own admin role", page.Find("#edit-error").TextContent, StringComparison.Ordinal));
        var patch = _api.Requests.Single(r => r.Method == "PATCH");
        Assert.Equal("W/\"abc123\"", patch.IfMatch);
        Assert.Contains("\"roles\":[\"viewer\"]", patch.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_reset_shows_the_APIs_message_at_the_field_then_succeeds_with_a_fresh_ETag()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/users"] = (HttpStatusCode.OK, UserList);
        _api.Replies["GET /api/v1/users/2"] = (HttpStatusCode.OK,
            """{"id":2,"userName":"trader1","displayName":"Huda Ibrahim","roles":["trader"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[1003]}""");
        _api.ReplyHeaders["GET /api/v1/users/2"] = ("ETag", "W/\"v1\"");
        _api.Replies["PUT /api/v1/users/2/password"] = (HttpStatusCode.BadRequest,
            """{"title":"One or more validation errors occurred.","status":400,"errors":{"password":["must not contain the user name"]}}""");
        var page = Render<Users>();
        page.WaitForAssertion(() => page.Find("#edit-trader1").Click());
        page.WaitForAssertion(() => page.Find("#reset-password").Change("trader1-is-my-password"));
        page.Find("#reset-password-button").Click();
        page.WaitForAssertion(() => Assert.Contains("Must not contain the user name", page.Find("#reset-password-problem").TextContent, StringComparison.Ordinal));

        _api.Replies["PUT /api/v1/users/2/password"] = (HttpStatusCode.NoContent, "");
        _api.ReplyHeaders["GET /api/v1/users/2"] = ("ETag", "W/\"v2\"");
        page.Find("#reset-password").Change("a-much-better-passphrase");
        page.Find("#reset-password-button").Click();
        page.WaitForAssertion(() => Assert.Contains("trader1's password was reset", page.Find("#users-notice").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#reset-password-problem"));
        Assert.Equal(2, _api.Requests.Count(r => r.Method == "GET" && r.Path == "/api/v1/users/2"));
        Assert.Contains("a-much-better-passphrase", _api.Requests.Last(r => r.Method == "PUT").Body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_issued_API_clients_secret_is_shown()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/users"] = (HttpStatusCode.OK, UserList);
        _api.Replies["GET /api/v1/users/2"] = (HttpStatusCode.OK,
            """{"id":2,"userName":"trader1","displayName":"Huda Ibrahim","roles":["trader"],"isActive":true,"createdAt":"2026-01-01T00:00:00Z","accounts":[1003]}""");
        _api.Replies["POST /api/v1/users/2/clients"] = (HttpStatusCode.Created,
            """{"clientId":"trader1-0a1b2c3d","clientSecret":"s3cr3t-value","userId":2,"note":"Keep the secret now: it is not shown again."}""");
        var page = Render<Users>();
        page.WaitForAssertion(() => page.Find("#edit-trader1").Click());
        page.WaitForAssertion(() => page.Find("#issue-client").Click());
        page.WaitForAssertion(() => Assert.Equal("s3cr3t-value", page.Find("#client-secret-value").TextContent));
        Assert.Equal("trader1-0a1b2c3d", page.Find("#client-id").TextContent);
    }

    [Fact]
    public void The_health_page_shows_each_check_with_its_badge_description_and_figures_and_the_node()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/admin/health"] = (HttpStatusCode.OK, """
            {"status":"Degraded","checkedAt":"2026-11-24T08:00:00Z",
             "node":{"host":"node-a","version":"1.2.3","database":"Postgres","bus":"RabbitMq","jobs":"Postgres","startedAt":"2026-11-23T06:00:00Z","uptimeSeconds":93784},
             "checks":[{"name":"jobs","status":"Degraded","description":"2 jobs failed in the last hour","durationMs":3.2,"tags":["jobs"],"data":{"failed":2}},
                       {"name":"order-writer","status":"Healthy","description":"queue empty","durationMs":0.4,"tags":["ready"],"data":{}}]}
            """);
        var page = Render<Health>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#health-checks")));

        var jobs = page.Find("tr[data-check=jobs]");
        Assert.Equal("Degraded", jobs.QuerySelector(".badge")!.TextContent);
        Assert.Contains("text-bg-warning", jobs.QuerySelector(".badge")!.ClassName, StringComparison.Ordinal);
        Assert.Contains("2 jobs failed in the last hour", jobs.TextContent, StringComparison.Ordinal);
        Assert.Contains("failed: 2", jobs.TextContent, StringComparison.Ordinal);
        Assert.Contains("text-bg-success", page.Find("tr[data-check=order-writer] .badge").ClassName, StringComparison.Ordinal);
        var node = page.Find("#health-node").TextContent;
        Assert.Contains("node-a", node, StringComparison.Ordinal);
        Assert.Contains("1.2.3", node, StringComparison.Ordinal);
        Assert.Contains("database Postgres, bus RabbitMq, jobs Postgres", node, StringComparison.Ordinal);
        Assert.Contains("1 d 2 h 3 min", node, StringComparison.Ordinal);
    }

    [Fact]
    public void The_health_pages_uptime_and_durations_read_in_Arabic_with_Latin_digits()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = PortalCultures.Arabic;
        try
        {
            SignIn("admin", "admin");
            _api.Replies["GET /api/v1/admin/health"] = (HttpStatusCode.OK, """
                {"status":"Healthy","checkedAt":"2026-11-24T08:00:00Z",
                 "node":{"host":"node-a","version":"1.2.3","database":"Sqlite","bus":"InMemory","jobs":"InMemory","startedAt":"2026-11-23T06:00:00Z","uptimeSeconds":93784},
                 "checks":[{"name":"order-writer","status":"Healthy","description":"queue empty","durationMs":3.2,"tags":["ready"],"data":{}}]}
                """);
            var page = Render<Health>();
            page.WaitForAssertion(() => Assert.NotNull(page.Find("#health-checks")));

            // 93,784 s = 1 day, 2 hours, 3 minutes and 4 seconds.
            Assert.Equal("2026-11-23 06:00:00 UTC (مدة التشغيل: الأيام: 1، الساعات: 2، الدقائق: 3)", page.Find("#health-uptime").TextContent);
            Assert.Equal("3.2 ملّي ثانية", page.Find("tr[data-check='order-writer'] td:last-child").TextContent);
            Assert.DoesNotMatch("[\u0660-\u0669]", page.Find("#health-node").TextContent + page.Find("#health-checks").TextContent);
            Assert.DoesNotContain(" min", page.Find("#health-node").TextContent, StringComparison.Ordinal);

            _api.Replies["GET /api/v1/admin/health"] = (HttpStatusCode.OK, """
                {"status":"Healthy","checkedAt":"2026-11-24T08:00:00Z",
                 "node":{"host":"node-a","version":"1.2.3","database":"Sqlite","bus":"InMemory","jobs":"InMemory","startedAt":"2026-11-24T06:56:55Z","uptimeSeconds":3785},
                 "checks":[]}
                """);
            page.Find("#health-refresh").Click();
            page.WaitForAssertion(() => Assert.Equal("2026-11-24 06:56:55 UTC (مدة التشغيل: الساعات: 1، الدقائق: 3، الثواني: 5)",
                page.Find("#health-uptime").TextContent));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    [Fact]
    public void A_failed_health_read_is_shown()
    {
        SignIn("admin", "admin");
        _api.Replies["GET /api/v1/admin/health"] = (HttpStatusCode.Forbidden, """{"title":"Forbidden","status":403,"detail":"admins only"}""");
        var page = Render<Health>();
        page.WaitForAssertion(() => Assert.Contains("admins only", page.Find("#health-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#health-checks"));
    }
}

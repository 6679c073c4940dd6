using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// User and role management (/api/v1/users): admins only; every bad request names its field and writes nothing; a role
/// change, a deactivation or a password reset revokes the tokens already issued; the platform keeps an active admin.
/// </summary>
public sealed class UsersApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Theory]
    [InlineData("trader1")]
    [InlineData("compliance1")]
    [InlineData("regulator1")]
    [InlineData("viewer1")]
    public async Task Only_admins_manage_users(string clientId)
    {
        var client = await platform.ClientForAsync(clientId);
        var before = await platform.CountRowsAsync();
        (await client.GetAsync("/api/v1/users")).Expect(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/users/2")).Expect(HttpStatusCode.Forbidden);
        (await client.PostJsonAsync("/api/v1/users", NewUser("mallory"))).Expect(HttpStatusCode.Forbidden);
        (await client.PatchJsonAsync("/api/v1/users/2", new { roles = new[] { "admin" } })).Expect(HttpStatusCode.Forbidden);
        (await client.SendAsync(HttpMethod.Put, "/api/v1/users/2/password", """{"password":"a-long-enough-password"}""")).Expect(HttpStatusCode.Forbidden);
        (await client.PostJsonAsync("/api/v1/users/2/clients", new { })).Expect(HttpStatusCode.Forbidden);
        (await platform.Anonymous().GetAsync("/api/v1/users")).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task An_admin_lists_users_with_roles_and_accounts_but_never_a_password_hash()
    {
        var admin = await platform.ClientForAsync("admin");
        var reply = (await admin.GetAsync("/api/v1/users")).Expect(HttpStatusCode.OK);
        var trader1 = reply.Json.AsArray().Single(u => u!["userName"]!.GetValue<string>() == "trader1")!;
        Assert.Equal(["trader"], trader1["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains(1001, trader1["accounts"]!.AsArray().Select(a => a!.GetValue<long>()));
        Assert.DoesNotContain("passwordHash", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AQAAAA", reply.Body, StringComparison.Ordinal); // the Identity hash format's prefix
    }

    [Fact]
    public async Task A_new_user_gets_an_api_client_that_acts_with_their_roles()
    {
        var admin = await platform.ClientForAsync("admin");
        var created = (await admin.PostJsonAsync("/api/v1/users", NewUser("auditor.two", ["regulator"]))).Expect(HttpStatusCode.Created);
        var id = created.Long("id");
        Assert.Equal($"/api/v1/users/{id}", created.Location!.OriginalString);

        var client = (await admin.PostJsonAsync($"/api/v1/users/{id}/clients", new { })).Expect(HttpStatusCode.Created);
        var api = new ApiClient(platform.CreateClient());
        await api.AuthenticateAsync(client.Str("clientId"), client.Str("clientSecret"));
        var me = (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        Assert.Equal("auditor.two", me.Str("userName"));
        (await api.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK);
        (await api.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Forbidden);

        await platform.WithDbAsync(async db =>
        {
            var actions = await db.AuditLog.Where(a => a.Subject == $"user/{id}").Select(a => a.Action).ToListAsync();
            Assert.Equal(["user.created", "user.client_issued"], actions);
        });
    }

    public static TheoryData<string, string, string> BadCreates => new()
    {
        { """{"userName":"Ab","displayName":"X","roles":["trader"],"password":"a-long-enough-password"}""", "userName", "3-32 characters" },
        { """{"userName":"carol","roles":["trader"],"password":"a-long-enough-password"}""", "displayName", "is required" },
        { """{"userName":"carol","displayName":"Carol","roles":["superuser"],"password":"a-long-enough-password"}""", "roles", "'superuser' is not a role" },
        { """{"userName":"carol","displayName":"Carol","roles":[],"password":"a-long-enough-password"}""", "roles", "at least one role" },
        { """{"userName":"carol","displayName":"Carol","roles":["senior_compliance"],"password":"a-long-enough-password"}""", "roles", "together with compliance" },
        { """{"userName":"carol","displayName":"Carol","roles":["trader","trader"],"password":"a-long-enough-password"}""", "roles", "names a role twice" },
        { """{"userName":"carol","displayName":"Carol","roles":["trader"],"password":"short"}""", "password", "12-128 characters" },
        { """{"userName":"carol","displayName":"Carol","roles":["trader"],"password":"my-name-is-carol!"}""", "password", "must not contain the user name" },
        { """{"userName":"carol","displayName":"Carol","roles":["trader"],"password":"a-long-enough-password","admin":true}""", "detail", "unknown field 'admin'" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_bad_new_user_is_refused_with_its_field_and_nothing_is_written(string body, string field, string message)
    {
        var admin = await platform.ClientForAsync("admin");
        var before = await platform.CountRowsAsync();
        var users = await UserCountAsync();
        var reply = (await admin.PostRawAsync("/api/v1/users", body)).Expect(HttpStatusCode.BadRequest);
        var messages = field == "detail" ? [reply.Str("detail")] : reply.Errors(field);
        Assert.Contains(messages, e => e.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await platform.CountRowsAsync());
        Assert.Equal(users, await UserCountAsync());
    }

    [Fact]
    public async Task A_taken_user_name_is_a_conflict()
    {
        var admin = await platform.ClientForAsync("admin");
        var reply = (await admin.PostJsonAsync("/api/v1/users", NewUser("trader1"))).Expect(HttpStatusCode.Conflict);
        Assert.Contains("'trader1' is taken", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_users_roles_revokes_the_token_they_hold()
    {
        var admin = await platform.ClientForAsync("admin");
        var id = (await admin.PostJsonAsync("/api/v1/users", NewUser("desk.trader", ["trader"]))).Expect(HttpStatusCode.Created).Long("id");
        var client = (await admin.PostJsonAsync($"/api/v1/users/{id}/clients", new { })).Expect(HttpStatusCode.Created);
        var api = new ApiClient(platform.CreateClient());
        await api.AuthenticateAsync(client.Str("clientId"), client.Str("clientSecret"));
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);

        var changed = (await admin.PatchJsonAsync($"/api/v1/users/{id}", new { roles = new[] { "viewer" } })).Expect(HttpStatusCode.OK);
        Assert.Equal(["viewer"], changed.Json["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        // The old token (with the trader role) stops working at once; a new one carries the new role.
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);
        await api.AuthenticateAsync(client.Str("clientId"), client.Str("clientSecret"));
        Assert.Equal(["viewer"], (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK).Json["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        // A deactivated user's token stops at once and no new one is issued.
        (await admin.PatchJsonAsync($"/api/v1/users/{id}", new { isActive = false })).Expect(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);
        using var token = await platform.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.Str("clientId"), ["client_secret"] = client.Str("clientSecret"),
        }));
        Assert.False(token.IsSuccessStatusCode);
        Assert.Contains("disabled", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_and_changes_nothing()
    {
        var admin = await platform.ClientForAsync("admin");
        using var first = await admin.Http.GetAsync("/api/v1/users/7");
        var etag = first.Headers.ETag!.ToString();
        (await admin.PatchJsonAsync("/api/v1/users/7", new { displayName = "Desk Viewer (floor 2)" })).Expect(HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/users/7")
        {
            Content = new StringContent("""{"displayName":"Someone else"}""", Encoding.UTF8, "application/json"),
        };
        stale.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await admin.Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("Desk Viewer (floor 2)", (await admin.GetAsync("/api/v1/users/7")).Expect(HttpStatusCode.OK).Str("displayName"));
    }

    [Fact]
    public async Task The_platform_keeps_an_active_admin()
    {
        var admin = await platform.ClientForAsync("admin");
        var self = (await admin.PatchJsonAsync("/api/v1/users/1", new { roles = new[] { "viewer" } })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("your own admin role", self.Body, StringComparison.Ordinal);
        (await admin.PatchJsonAsync("/api/v1/users/1", new { isActive = false })).Expect(HttpStatusCode.Conflict);

        // A second admin may demote the first only while another admin stays active.
        var id = (await admin.PostJsonAsync("/api/v1/users", NewUser("ops.admin", ["admin"]))).Expect(HttpStatusCode.Created).Long("id");
        var client = (await admin.PostJsonAsync($"/api/v1/users/{id}/clients", new { })).Expect(HttpStatusCode.Created);
        var second = new ApiClient(platform.CreateClient());
        await second.AuthenticateAsync(client.Str("clientId"), client.Str("clientSecret"));
        (await second.PatchJsonAsync("/api/v1/users/1", new { isActive = false })).Expect(HttpStatusCode.OK);
        var own = (await second.PatchJsonAsync($"/api/v1/users/{id}", new { roles = new[] { "viewer" } })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("your own admin role", own.Body, StringComparison.Ordinal);
        (await second.PatchJsonAsync("/api/v1/users/1", new { isActive = true })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_password_reset_is_audited_without_the_password_and_a_short_one_is_refused()
    {
        var admin = await platform.ClientForAsync("admin");
        var refused = (await admin.SendAsync(HttpMethod.Put, "/api/v1/users/6/password", """{"password":"tooshort"}""")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(refused.Errors("password"), e => e.Contains("12-128", StringComparison.Ordinal));
        (await admin.SendAsync(HttpMethod.Put, "/api/v1/users/6/password", """{"password":"correct-horse-battery"}""")).Expect(HttpStatusCode.NoContent);
        (await admin.SendAsync(HttpMethod.Put, "/api/v1/users/999/password", """{"password":"correct-horse-battery"}""")).Expect(HttpStatusCode.NotFound);
        await platform.WithDbAsync(async db =>
        {
            var records = await db.AuditLog.Where(a => a.Subject == "user/6").ToListAsync();
            var reset = Assert.Single(records, a => a.Action == "user.password_reset");
            Assert.DoesNotContain("correct-horse", reset.Details, StringComparison.Ordinal);
            var user = await db.Users.SingleAsync(u => u.Id == 6);
            Assert.Equal(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Success,
                new Microsoft.AspNetCore.Identity.PasswordHasher<TradSys.Web.Persistence.Entities.User>().VerifyHashedPassword(user, user.PasswordHash!, "correct-horse-battery"));
        });
    }

    private static object NewUser(string userName, string[]? roles = null) => new
    {
        userName,
        displayName = $"User {userName}",
        roles = roles ?? ["trader"],
        password = "a-long-enough-password",
    };

    private async Task<int> UserCountAsync()
    {
        var count = 0;
        await platform.WithDbAsync(async db => count = await db.Users.CountAsync());
        return count;
    }
}

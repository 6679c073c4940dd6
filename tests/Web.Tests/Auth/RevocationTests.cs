using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// Access tokens are validated locally and cached, yet every kind of revocation stops a token at its very next request on the
/// node: the portal's logout (<c>/connect/revoke</c>), a replayed refresh token (its authorization is revoked), a role
/// change, a deactivation and a password reset. Each is recorded in <c>token_revocations</c> for the other nodes.
/// </summary>
public sealed class RevocationTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    private sealed record CodeFlowTokens(string Access, string Refresh);

    private async Task<CodeFlowTokens> SignInAsync(BrowserFlow browser, string user)
    {
        var (verifier, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync(user, challenge);
        using var response = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = BrowserFlow.RedirectUri,
            ["client_id"] = "portal", ["code_verifier"] = verifier,
        });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return new CodeFlowTokens(body["access_token"]!.GetValue<string>(), body["refresh_token"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> RefreshAsync(BrowserFlow browser, string refreshToken) =>
        await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = "portal",
        });

    private ApiClient Bearer(string accessToken)
    {
        var http = _platform.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return new ApiClient(http);
    }

    private async Task<List<TokenRevocation>> RevocationsAsync()
    {
        var rows = new List<TokenRevocation>();
        await _platform.WithDbAsync(async db => rows = await db.TokenRevocations.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
        return rows;
    }

    [Fact]
    public async Task An_access_token_revoked_at_logout_stops_at_the_next_request()
    {
        var browser = new BrowserFlow(_platform);
        var tokens = await SignInAsync(browser, "trader1");
        var api = Bearer(tokens.Access);
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);

        using var revoke = await browser.Http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = tokens.Access, ["token_type_hint"] = "access_token", ["client_id"] = "portal",
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var refused = (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Contains(await RevocationsAsync(), r => r.Kind == RevocationKind.Token);
        // The refresh token was not revoked: the session can get a new access token, which works.
        using var refreshed = await RefreshAsync(browser, tokens.Refresh);
        Assert.True(refreshed.IsSuccessStatusCode, await refreshed.Content.ReadAsStringAsync());
        var access = JsonNode.Parse(await refreshed.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        (await Bearer(access).GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_replayed_refresh_token_revokes_its_session_and_the_access_token_in_use_stops_at_once()
    {
        var browser = new BrowserFlow(_platform);
        var first = await SignInAsync(browser, "trader1");
        using var rotated = await RefreshAsync(browser, first.Refresh);
        var current = JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!;
        Assert.True(rotated.IsSuccessStatusCode, current.ToJsonString());
        var api = Bearer(current["access_token"]!.GetValue<string>());
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);

        // The first refresh token again: a replay, so it leaked. Refused, and the whole authorization is revoked.
        using var replay = await RefreshAsync(browser, first.Refresh);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("invalid_grant", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);
        using var next = await RefreshAsync(browser, current["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, next.StatusCode);
        Assert.Contains(await RevocationsAsync(), r => r.Kind == RevocationKind.Authorization);
    }

    [Fact]
    public async Task A_role_change_stops_the_portal_users_access_token_at_the_next_request()
    {
        var browser = new BrowserFlow(_platform);
        var tokens = await SignInAsync(browser, "viewer1");
        var api = Bearer(tokens.Access);
        (await api.GetAsync("/api/v1/orders")).Expect(HttpStatusCode.OK);

        var admin = await _platform.ClientForAsync("admin");
        (await admin.PatchJsonAsync("/api/v1/users/7", new { roles = new[] { "regulator" } })).Expect(HttpStatusCode.OK);

        var refused = (await api.GetAsync("/api/v1/orders")).Expect(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", refused.Str("detail"), StringComparison.Ordinal);
        // Its refresh token is revoked too: the portal session ends rather than getting a token with the old roles.
        using var refresh = await RefreshAsync(browser, tokens.Refresh);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        var subject = Assert.Single(await RevocationsAsync(), r => r.Kind == RevocationKind.Subject);
        Assert.Equal("7", subject.Value);
        Assert.Contains("roles changed", subject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deactivation_and_a_password_reset_each_stop_the_users_tokens_at_the_next_request()
    {
        var admin = await _platform.ClientForAsync("admin");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader2.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        (await admin.SendAsync(HttpMethod.Put, "/api/v1/users/3/password", """{"password":"a-fresh-long-password"}""")).Expect(HttpStatusCode.NoContent);
        (await trader2.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);

        // A token issued after the reset works (it carries the new token version) until the user is deactivated.
        var again = await _platform.ClientForAsync("trader2");
        (await again.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        (await admin.PatchJsonAsync("/api/v1/users/3", new { isActive = false })).Expect(HttpStatusCode.OK);
        (await again.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);

        var subjects = (await RevocationsAsync()).Where(r => r.Kind == RevocationKind.Subject && r.Value == "3").ToList();
        Assert.Equal([1L, 2L], subjects.Select(r => r.MinimumVersion!.Value));
        Assert.Contains("password reset", subjects[0].Reason, StringComparison.Ordinal);
        Assert.Contains("deactivated", subjects[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_changes_to_one_user_at_the_same_moment_cannot_both_write_the_same_token_version()
    {
        var admin = await _platform.ClientForAsync("admin");
        // Another node's change, read before this one commits and saved after it.
        await using var scope = _platform.Services.CreateAsyncScope();
        var other = scope.ServiceProvider.GetRequiredService<TradSys.Web.Persistence.TradSysDbContext>();
        var stale = await other.Users.SingleAsync(u => u.Id == 7);

        (await admin.PatchJsonAsync("/api/v1/users/7", new { roles = new[] { "regulator" } })).Expect(HttpStatusCode.OK);

        stale.Roles = "compliance";
        stale.TokenVersion++;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => other.SaveChangesAsync());
        var subject = Assert.Single(await RevocationsAsync(), r => r.Kind == RevocationKind.Subject);
        Assert.Equal(1L, subject.MinimumVersion);
    }
}

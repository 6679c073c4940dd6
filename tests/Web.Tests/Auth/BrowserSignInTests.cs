using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>The authorization code flow with PKCE over HTTP, refresh-token rotation, login throttling and disabled users.</summary>
public sealed class BrowserSignInTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    private static Dictionary<string, string> CodeGrant(string code, string verifier) => new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = BrowserFlow.RedirectUri,
        ["client_id"] = "portal",
        ["code_verifier"] = verifier,
    };

    [Fact]
    public async Task The_code_flow_issues_tokens_for_the_user_with_their_roles()
    {
        var browser = new BrowserFlow(_platform);
        var (verifier, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync("trader1", challenge);
        var token = await browser.TokenAsync(CodeGrant(code, verifier));
        var body = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        Assert.True(token.IsSuccessStatusCode, body.ToJsonString());
        Assert.NotNull(body["refresh_token"]);

        var api = _platform.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["access_token"]!.GetValue<string>());
        var me = JsonNode.Parse(await api.GetStringAsync("/api/v1/me"))!;
        Assert.Equal("trader1", me["userName"]!.GetValue<string>());
        Assert.Equal("trader", me["roles"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_PKCE_verifier_is_refused()
    {
        var browser = new BrowserFlow(_platform);
        var (_, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync("trader1", challenge);
        var (otherVerifier, _) = BrowserFlow.Pkce();
        var token = await browser.TokenAsync(CodeGrant(code, otherVerifier));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Contains("invalid_grant", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_code_challenge_is_refused()
    {
        var browser = new BrowserFlow(_platform);
        var url = BrowserFlow.AuthorizeUrl("a-plain-challenge-that-is-long-enough-to-be-a-verifier-00000").Replace("S256", "plain", StringComparison.Ordinal);
        var reply = await browser.Http.GetAsync(url);
        Assert.NotEqual(HttpStatusCode.OK, reply.StatusCode);
    }

    [Fact]
    public async Task A_code_is_redeemed_once()
    {
        var browser = new BrowserFlow(_platform);
        var (verifier, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync("trader1", challenge);
        Assert.True((await browser.TokenAsync(CodeGrant(code, verifier))).IsSuccessStatusCode);
        var again = await browser.TokenAsync(CodeGrant(code, verifier));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("invalid_grant", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_a_used_one_is_refused()
    {
        var browser = new BrowserFlow(_platform);
        var (verifier, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync("trader1", challenge);
        var first = JsonNode.Parse(await (await browser.TokenAsync(CodeGrant(code, verifier))).Content.ReadAsStringAsync())!;
        var refresh1 = first["refresh_token"]!.GetValue<string>();

        Dictionary<string, string> Refresh(string token) => new() { ["grant_type"] = "refresh_token", ["refresh_token"] = token, ["client_id"] = "portal" };
        var second = await browser.TokenAsync(Refresh(refresh1));
        var secondBody = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.True(second.IsSuccessStatusCode, secondBody.ToJsonString());
        var refresh2 = secondBody["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(refresh1, refresh2);

        var reused = await browser.TokenAsync(Refresh(refresh1));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("invalid_grant", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_audited()
    {
        var browser = new BrowserFlow(_platform);
        var (_, challenge) = BrowserFlow.Pkce();
        var login = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader1", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("Wrong user name or password.", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _platform.WithDbAsync(async db =>
            Assert.True(await db.AuditLog.AnyAsync(a => a.Action == "login.failed" && a.Actor == "trader1")));
    }

    [Fact]
    public async Task After_five_failures_even_the_right_password_is_refused_until_the_window_passes()
    {
        var browser = new BrowserFlow(_platform);
        var (_, challenge) = BrowserFlow.Pkce();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader1", "guess" + i)).StatusCode);
        }
        var refused = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader1", "trader1-demo-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many failed sign-ins", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        await _platform.WithDbAsync(async db =>
            Assert.True(await db.AuditLog.AnyAsync(a => a.Action == "login.throttled" && a.Actor == "trader1")));

        // Another user from another browser is not held back by trader1's failures (the address limit is higher).
        var other = new BrowserFlow(_platform);
        var ok = await other.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader2", "trader2-demo-password");
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        await _platform.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "trader2");
            user.IsActive = false;
            await db.SaveChangesAsync();
        });
        var browser = new BrowserFlow(_platform);
        var (_, challenge) = BrowserFlow.Pkce();
        var login = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader2", "trader2-demo-password");
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Contains("This user is disabled", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_disabled_after_the_code_gets_no_tokens()
    {
        var browser = new BrowserFlow(_platform);
        var (verifier, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync("trader2", challenge);
        await _platform.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.UserName == "trader2")).IsActive = false;
            await db.SaveChangesAsync();
        });
        var token = await browser.TokenAsync(CodeGrant(code, verifier));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        var browser = new BrowserFlow(_platform);
        var (_, challenge) = BrowserFlow.Pkce();
        var reply = await browser.Http.PostAsync("/connect/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = BrowserFlow.AuthorizeUrl(challenge),
            ["username"] = "trader1",
            ["password"] = "trader1-demo-password",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
    }

    [Fact]
    public async Task Client_credentials_still_work()
    {
        var api = await _platform.ClientForAsync("trader1");
        (await api.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
    }
}

using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The portal's pages behind the session cookie: sign-in through the code flow, role-aware pages, headers, logout.</summary>
public sealed class PortalAccessTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task A_trader_signs_in_and_gets_the_ticket_with_a_secure_session_cookie()
    {
        var browser = new BrowserFlow(_platform);
        var page = await browser.SignInToPortalAsync("/portal/ticket", "trader1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Order ticket", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_Lax()
    {
        var browser = new BrowserFlow(_platform);
        var response = await browser.Http.GetAsync("/portal");
        while (response.StatusCode == HttpStatusCode.Redirect)
        {
            response = await browser.Http.GetAsync(response.Headers.Location);
        }
        // The login page, then the callback sets the cookie: catch its Set-Cookie.
        var html = await response.Content.ReadAsStringAsync();
        var fields = System.Text.RegularExpressions.Regex.Matches(html, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = "viewer1";
        fields["password"] = "viewer1-demo-password";
        response = await browser.Http.PostAsync("/connect/login", new FormUrlEncodedContent(fields));
        string? setCookie = null;
        while (response.StatusCode == HttpStatusCode.Redirect)
        {
            response = await browser.Http.GetAsync(response.Headers.Location);
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith("tradsys.portal=", StringComparison.Ordinal)) is { } c)
            {
                setCookie = c;
            }
        }
        Assert.NotNull(setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_viewer_is_refused_the_ticket_and_has_no_ticket_in_the_nav()
    {
        var browser = new BrowserFlow(_platform);
        var home = await browser.SignInToPortalAsync("/portal", "viewer1");
        var html = await home.Content.ReadAsStringAsync();
        Assert.Contains("viewer1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("nav-ticket", html, StringComparison.Ordinal);
        Assert.Contains("nav-blotter", html, StringComparison.Ordinal);
        var ticket = await browser.Http.GetAsync("/portal/ticket");
        Assert.Equal(HttpStatusCode.Forbidden, ticket.StatusCode);
    }

    [Fact]
    public async Task Without_a_session_a_page_starts_the_sign_in()
    {
        var browser = new BrowserFlow(_platform);
        var page = await browser.Http.GetAsync("/portal/blotter");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/portal/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var signin = await browser.Http.GetAsync(page.Headers.Location);
        Assert.StartsWith("/connect/authorize", signin.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", signin.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_opening_an_unknown_portal_address_gets_a_not_found_page()
    {
        var browser = new BrowserFlow(_platform);
        await browser.SignInToPortalAsync("/portal", "trader1");
        var page = await browser.Http.GetAsync("/portal/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/portal\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_session_an_unknown_portal_address_starts_the_sign_in()
    {
        var browser = new BrowserFlow(_platform);
        var page = await browser.Http.GetAsync("/portal/no-such-page");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/portal/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_site_icon_is_served_to_anyone()
    {
        var http = _platform.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = true });
        var icon = await http.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_bearer_token_does_not_open_the_portal()
    {
        var api = await _platform.ClientForAsync("trader1");
        var page = await api.Http.GetAsync("/portal/ticket");
        // Redirected (the client follows) to the login form: the bearer token is for the API, the portal wants its session.
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Order ticket", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/connect/login\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_is_served()
    {
        var css = await _platform.CreateClient().GetAsync("/lib/bootstrap/css/bootstrap.min.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("Bootstrap", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    public async Task A_trader_and_a_viewer_are_refused_the_review_inbox(string user)
    {
        var browser = new BrowserFlow(_platform);
        var home = await browser.SignInToPortalAsync("/portal", user);
        Assert.DoesNotContain("nav-inbox", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var inbox = await browser.Http.GetAsync("/portal/inbox");
        Assert.Equal(HttpStatusCode.Forbidden, inbox.StatusCode);
    }

    [Fact]
    public async Task A_compliance_officer_opens_the_review_inbox()
    {
        var browser = new BrowserFlow(_platform);
        var page = await browser.SignInToPortalAsync("/portal/inbox", "compliance1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Review inbox", html, StringComparison.Ordinal);
        Assert.Contains("nav-inbox", html, StringComparison.Ordinal);
    }
}

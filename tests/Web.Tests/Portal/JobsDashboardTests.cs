using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The Hangfire dashboard at /hangfire: behind the portal's sign-in, admins only, with its own security headers.</summary>
public sealed class JobsDashboardTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task An_anonymous_browser_is_sent_to_sign_in()
    {
        var browser = new BrowserFlow(_platform);
        var page = await browser.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/portal/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("hangfire", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    public async Task Other_roles_are_refused(string userName)
    {
        var browser = new BrowserFlow(_platform);
        await browser.SignInToPortalAsync("/portal", userName);
        var page = await browser.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.DoesNotContain("TradSys jobs", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stats = await browser.Http.PostAsync("/hangfire/stats", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_does_not_open_the_dashboard()
    {
        var api = await _platform.ClientForAsync("admin");
        var page = await api.Http.GetAsync("/hangfire");
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("TradSys jobs", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/connect/login\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_signs_in_and_gets_the_dashboard_of_this_hosts_storage_with_its_own_policy()
    {
        var browser = new BrowserFlow(_platform);
        var page = await browser.SignInToPortalAsync("/hangfire", "admin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/hangfire", page.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("TradSys jobs", html, StringComparison.Ordinal);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        // The recurring jobs this host registered are in the storage the dashboard reads.
        var recurring = await browser.Http.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        Assert.Contains("audit-chain", await recurring.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The admin's portal pages (users, health): admins only, every other role refused with 403.</summary>
public sealed class AdminPagesTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    [InlineData("compliance1")]
    [InlineData("regulator1")]
    public async Task Other_roles_are_refused_the_admin_pages_and_have_no_admin_links(string userName)
    {
        var browser = new BrowserFlow(_platform);
        var home = await browser.SignInToPortalAsync("/portal", userName);
        var html = await home.Content.ReadAsStringAsync();
        Assert.Contains(userName, html, StringComparison.Ordinal);
        Assert.DoesNotContain("nav-users", html, StringComparison.Ordinal);
        Assert.DoesNotContain("nav-jobs", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/admin/health")).StatusCode);
    }

    [Fact]
    public async Task An_admin_gets_the_users_and_health_pages_and_their_links()
    {
        var browser = new BrowserFlow(_platform);
        var users = await browser.SignInToPortalAsync("/portal/admin/users", "admin");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        var html = await users.Content.ReadAsStringAsync();
        Assert.Contains("nav-users", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/hangfire\"", html, StringComparison.Ordinal);
        Assert.Contains("create-user", html, StringComparison.Ordinal);
        var health = await browser.Http.GetAsync("/portal/admin/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("<h1 class=\"h3\">Health</h1>", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

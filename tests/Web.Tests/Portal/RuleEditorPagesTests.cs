using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The rule packs and the rule editor: the roles of the API's ReadRulePacks policy only; the portal's CSP keeps scripts to this origin.</summary>
public sealed class RuleEditorPagesTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    public async Task Traders_and_viewers_are_refused_the_rule_pages_and_have_no_link(string userName)
    {
        var browser = new BrowserFlow(_platform);
        var home = await browser.SignInToPortalAsync("/portal", userName);
        Assert.DoesNotContain("nav-rules", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/rules/sca")).StatusCode);
    }

    [Theory]
    [InlineData("compliance1")]
    [InlineData("regulator1")]
    [InlineData("admin")]
    public async Task Compliance_regulators_and_admins_get_the_rule_pages(string userName)
    {
        var browser = new BrowserFlow(_platform);
        var list = await browser.SignInToPortalAsync("/portal/rules", userName);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains("nav-rules", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/portal/rules/sca\"", html, StringComparison.Ordinal);
        var editor = await browser.Http.GetAsync("/portal/rules/sca");
        Assert.Equal(HttpStatusCode.OK, editor.StatusCode);
        // Monaco needs inline styles; scripts stay this origin's only.
        var csp = editor.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline';", csp, StringComparison.Ordinal);
        // The editor's scripts are served from BlazorMonaco's static web assets.
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/_content/BlazorMonaco/jsInterop.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/js/rule-editor.js")).StatusCode);
    }
}

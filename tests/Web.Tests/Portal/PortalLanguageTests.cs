using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The portal's language switch: the culture cookie, the page's lang and dir, Bootstrap's RTL build, bad input refused.</summary>
public sealed class PortalLanguageTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Switching_to_Arabic_sets_the_cookie_and_serves_the_ticket_right_to_left()
    {
        var browser = new BrowserFlow(platform);
        var english = await (await browser.SignInToPortalAsync("/portal/ticket", "trader1")).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", english, StringComparison.Ordinal);
        Assert.Contains("lib/bootstrap/css/bootstrap.min.css", english, StringComparison.Ordinal);
        Assert.Contains("id=\"lang-ar\"", english, StringComparison.Ordinal);

        var switched = await browser.Http.GetAsync("/portal/culture?culture=ar&returnUrl=%2Fportal%2Fticket");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/portal/ticket", switched.Headers.Location!.OriginalString);
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Culture=c%3Dar%7Cuic%3Dar", cookie, StringComparison.Ordinal);

        // Razor writes non-Latin text as character references in the prerendered HTML; the browser reads the same text.
        var arabic = WebUtility.HtmlDecode(await (await browser.Http.GetAsync("/portal/ticket")).Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", arabic, StringComparison.Ordinal);
        Assert.Contains("lib/bootstrap/css/bootstrap.rtl.min.css", arabic, StringComparison.Ordinal);
        Assert.Contains("تذكرة الأمر", arabic, StringComparison.Ordinal);
        Assert.Contains("id=\"lang-en\"", arabic, StringComparison.Ordinal);

        // The API is not localized: the same cookie leaves its JSON and problems as they were.
        var problem = await browser.Http.GetAsync("/api/v1/positions?accountId=abc");
        Assert.Equal(HttpStatusCode.Unauthorized, problem.StatusCode);
    }

    [Fact]
    public async Task The_RTL_stylesheet_is_served()
    {
        var css = await platform.CreateClient().GetAsync("/lib/bootstrap/css/bootstrap.rtl.min.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("Bootstrap", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("culture=fr&returnUrl=%2Fportal", "culture", "'fr' is not a portal language: en or ar")]
    [InlineData("returnUrl=%2Fportal", "culture", "is required: en or ar")]
    [InlineData("culture=ar&returnUrl=https%3A%2F%2Fevil.example%2F", "returnUrl", "'https://evil.example/' is not a portal address (it must start with /portal)")]
    [InlineData("culture=ar&returnUrl=%2F%2Fevil.example", "returnUrl", "'//evil.example' is not a portal address (it must start with /portal)")]
    public async Task A_bad_language_or_return_address_is_refused_by_field_with_no_cookie(string query, string field, string message)
    {
        var reply = await platform.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/portal/culture?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.False(reply.Headers.Contains("Set-Cookie"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        Assert.Equal(message, json["errors"]![field]![0]!.GetValue<string>());
    }
}

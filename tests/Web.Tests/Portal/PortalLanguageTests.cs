using System.Net;
using System.Text.RegularExpressions;
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
    public async Task The_sign_in_form_offers_Arabic_and_comes_back_to_the_same_sign_in_right_to_left()
    {
        var browser = new BrowserFlow(platform);
        var form = await FollowAsync(browser, "/portal/ticket");
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", form, StringComparison.Ordinal);
        Assert.Contains("<label class=\"form-label\" for=\"username\">User name</label>", form, StringComparison.Ordinal);
        var returnUrl = ReturnUrl(form);
        var token = Field(form, "__RequestVerificationToken");
        // The switch is a link to the culture endpoint that returns to this very authorization request.
        var link = WebUtility.HtmlDecode(Regex.Match(form, "id=\"lang-ar\"[^>]* href=\"([^\"]+)\"").Groups[1].Value);
        Assert.Equal("/portal/culture?culture=ar&returnUrl=" + Uri.EscapeDataString(returnUrl), link);

        var switched = await browser.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(returnUrl, switched.Headers.Location!.OriginalString);
        var arabic = WebUtility.HtmlDecode(await (await browser.Http.GetAsync(switched.Headers.Location)).Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", arabic, StringComparison.Ordinal);
        Assert.Contains("/lib/bootstrap/css/bootstrap.rtl.min.css", arabic, StringComparison.Ordinal);
        Assert.Contains("<title>تسجيل الدخول · TradSys</title>", arabic, StringComparison.Ordinal);
        Assert.Contains("<label class=\"form-label\" for=\"username\">اسم المستخدم</label>", arabic, StringComparison.Ordinal);
        Assert.Contains("<label class=\"form-label\" for=\"password\">كلمة المرور</label>", arabic, StringComparison.Ordinal);
        Assert.Contains(">تسجيل الدخول</button>", arabic, StringComparison.Ordinal);
        Assert.Contains("id=\"lang-en\"", arabic, StringComparison.Ordinal);
        Assert.DoesNotContain("User name", arabic, StringComparison.Ordinal);
        // The same sign-in: the same return URL and a working antiforgery token.
        Assert.Equal(returnUrl, ReturnUrl(arabic));
        Assert.False(string.IsNullOrEmpty(token));
        Assert.False(string.IsNullOrEmpty(Field(arabic, "__RequestVerificationToken")));

        var signedIn = await browser.Http.PostAsync("/connect/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(arabic, "__RequestVerificationToken"), ["returnUrl"] = ReturnUrl(arabic),
            ["username"] = "trader1", ["password"] = "trader1-demo-password",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(returnUrl, signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task In_Arabic_the_sign_in_works_end_to_end_and_its_refusals_are_Arabic_and_alike()
    {
        var browser = new BrowserFlow(platform);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/portal/culture?culture=ar&returnUrl=%2Fportal%2Fticket")).StatusCode);

        var (_, challenge) = BrowserFlow.Pkce();
        var wrong = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader2", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var wrongHtml = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", wrongHtml, StringComparison.Ordinal);
        Assert.Equal("اسم المستخدم أو كلمة المرور غير صحيحة.", ErrorOf(wrongHtml));
        // An unknown user name reads exactly the same: nothing tells which users exist.
        var unknown = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "nobody-here", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(ErrorOf(wrongHtml), ErrorOf(WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync())));
        var empty = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "trader2", "");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("أدخل كلمة المرور.", ErrorOf(WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync())));

        // Throttled after five failures for one user name, in Arabic too, with the time in Latin digits.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "intruder", "guess")).StatusCode);
        }
        var throttled = await browser.LoginAsync(BrowserFlow.AuthorizeUrl(challenge), "intruder", "guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Matches("^محاولات دخول فاشلة كثيرة باسم المستخدم هذا أو من هذا العنوان\\. حاول مرة أخرى بعد [0-9]{2}:[0-9]{2}:[0-9]{2} UTC\\.$",
            ErrorOf(WebUtility.HtmlDecode(await throttled.Content.ReadAsStringAsync())));

        // The whole sign-in through the Arabic form, to the ticket in Arabic.
        var ticket = await browser.SignInToPortalAsync("/portal/ticket", "trader1");
        Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
        var html = WebUtility.HtmlDecode(await ticket.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", html, StringComparison.Ordinal);
        Assert.Contains("تذكرة الأمر", html, StringComparison.Ordinal);

        // The sign-in flow's plain pages speak Arabic too: an unknown address, and the page after signing out.
        var missing = await browser.Http.GetAsync("/portal/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var missingHtml = WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", missingHtml, StringComparison.Ordinal);
        Assert.Contains("<h1 class=\"h3\">الصفحة غير موجودة</h1>", missingHtml, StringComparison.Ordinal);
        Assert.Contains("لا توجد في البوابة صفحة على العنوان /portal/no-such-page.", missingHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/portal\">العودة إلى البوابة</a>", missingHtml, StringComparison.Ordinal);
        var signedOut = WebUtility.HtmlDecode(await (await browser.Http.GetAsync("/portal/signed-out")).Content.ReadAsStringAsync());
        Assert.Contains("<h1 class=\"h3\">تم تسجيل الخروج</h1>", signedOut, StringComparison.Ordinal);
        Assert.Contains("/lib/bootstrap/css/bootstrap.rtl.min.css", signedOut, StringComparison.Ordinal);
    }

    private static async Task<string> FollowAsync(BrowserFlow browser, string page)
    {
        var response = await browser.Http.GetAsync(page);
        for (var hops = 0; hops < 10 && response.StatusCode == HttpStatusCode.Redirect; hops++)
        {
            response = await browser.Http.GetAsync(response.Headers.Location);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Field(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<input type=\"hidden\" name=\"{name}\" value=\"([^\"]*)\">").Groups[1].Value);

    private static string ReturnUrl(string html)
    {
        var url = Field(html, "returnUrl");
        Assert.StartsWith("/connect/authorize?", url, StringComparison.Ordinal);
        return url;
    }

    private static string ErrorOf(string html) => Regex.Match(html, "<div class=\"alert alert-danger\" role=\"alert\" id=\"login-error\">([^<]*)</div>").Groups[1].Value;

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
    [InlineData("culture=ar&returnUrl=https%3A%2F%2Fevil.example%2F", "returnUrl", "'https://evil.example/' is not a portal address (it must start with /portal, or be the login form's /connect/authorize request)")]
    [InlineData("culture=ar&returnUrl=%2F%2Fevil.example", "returnUrl", "'//evil.example' is not a portal address (it must start with /portal, or be the login form's /connect/authorize request)")]
    // The login form's switch returns to its authorization request, and only there: never to another endpoint or off-site.
    [InlineData("culture=ar&returnUrl=%2Fconnect%2Ftoken", "returnUrl", "'/connect/token' is not a portal address (it must start with /portal, or be the login form's /connect/authorize request)")]
    [InlineData("culture=ar&returnUrl=%2Fconnect%2Fauthorize%3Fx%3D%2F%2Fevil.example", "returnUrl", "'/connect/authorize?x=//evil.example' is not a portal address (it must start with /portal, or be the login form's /connect/authorize request)")]
    public async Task A_bad_language_or_return_address_is_refused_by_field_with_no_cookie(string query, string field, string message)
    {
        var reply = await platform.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/portal/culture?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.False(reply.Headers.Contains("Set-Cookie"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        Assert.Equal(message, json["errors"]![field]![0]!.GetValue<string>());
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace TradSys.Web.Tests.Support;

/// <summary>
/// A browser without JavaScript over the in-memory server: keeps cookies, follows no redirect by itself, and reads the
/// login form's hidden fields. Drives the authorization code flow as the portal or as a bare OAuth client. Given a
/// <see cref="CookieContainer"/>, it shares that browser's cookies with other flows (one browser sent to several nodes).
/// </summary>
public sealed partial class BrowserFlow(PlatformFactory platform, CookieContainer? cookies = null)
{
    public const string RedirectUri = "http://localhost/portal/callback";

    public HttpClient Http { get; } = cookies is null
        ? platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true })
        : platform.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string challenge, string state = "xyz") => QueryHelpers.AddQueryString("/connect/authorize",
        new Dictionary<string, string?>
        {
            ["client_id"] = "portal",
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        });

    /// <summary>Shows the login form for <paramref name="authorizeUrl"/> and posts the credentials; returns the login reply.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string authorizeUrl, string userName, string password)
    {
        var form = await Http.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        var fields = HiddenFields().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = userName;
        fields["password"] = password;
        return await Http.PostAsync("/connect/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>Logs in and follows the flow to the authorization code.</summary>
    public async Task<string> CodeAsync(string userName, string challenge)
    {
        var login = await LoginAsync(AuthorizeUrl(challenge), userName, $"{userName}-demo-password");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authorize = await Http.GetAsync(login.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var callback = authorize.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.ToString(), StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
    }

    public Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form) =>
        Http.PostAsync("/connect/token", new FormUrlEncodedContent(form));

    /// <summary>Signs in to the portal as a browser would: the page, the redirects, the login form, back to the page.</summary>
    public async Task<HttpResponseMessage> SignInToPortalAsync(string page, string userName)
    {
        var response = await Http.GetAsync(page);
        for (var hops = 0; hops < 10 && response.StatusCode == HttpStatusCode.Redirect; hops++)
        {
            response = await Http.GetAsync(response.Headers.Location);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/connect/login\"", html, StringComparison.Ordinal);
        var fields = HiddenFields().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = userName;
        fields["password"] = $"{userName}-demo-password";
        response = await Http.PostAsync("/connect/login", new FormUrlEncodedContent(fields));
        for (var hops = 0; hops < 10 && response.StatusCode == HttpStatusCode.Redirect; hops++)
        {
            response = await Http.GetAsync(response.Headers.Location);
        }
        return response;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenFields();
}

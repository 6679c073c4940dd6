using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Portal;

/// <summary>The tokens the portal holds for a signed-in user.</summary>
public sealed record PortalTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>
/// The portal's side of sign-in: the authorization code flow with PKCE (S256) done by hand against the platform's own
/// identity provider, and the portal's session cookie. The cookie (HttpOnly, Secure on HTTPS, SameSite=Lax, encrypted
/// by ASP.NET Core data protection) carries the user, roles and tokens; it slides with use (idle timeout) and dies at
/// the absolute timeout whatever the use. The access token is refreshed shortly before it expires with the refresh
/// token, which the identity provider rotates on every use.
/// </summary>
/// <remarks>
/// OpenIddict's client stack is in the OpenIddict.AspNetCore package already referenced, but it discovers the server
/// over HTTP at start-up from a fixed issuer URL and validates identity tokens: machinery for a third-party client. The
/// portal lives in the same process as its identity provider, so the code flow is written out here (about a page).
/// </remarks>
public sealed class PortalSession(IHttpClientFactory http, PortalOptions options, IDataProtectionProvider protection,
    TimeProvider clock, ILogger<PortalSession> log)
{
    /// <summary>The portal's cookie authentication scheme.</summary>
    public const string Scheme = "TradSys.Portal";

    /// <summary>The named HTTP client the portal uses to reach the token and revocation endpoints and the REST API.</summary>
    public const string Backchannel = "TradSys.Portal.Backchannel";

    /// <summary>Claim types of the portal's principal beyond sub, name and role.</summary>
    public static class ClaimTypes
    {
        /// <summary>The user's display name.</summary>
        public const string DisplayName = "display_name";
        /// <summary>The current access token.</summary>
        public const string AccessToken = "tradsys:access_token";
        /// <summary>The current refresh token.</summary>
        public const string RefreshToken = "tradsys:refresh_token";
        /// <summary>When the access token expires (ISO 8601).</summary>
        public const string ExpiresAt = "tradsys:expires_at";
        /// <summary>When the session began (ISO 8601): the absolute timeout counts from it.</summary>
        public const string SessionStarted = "tradsys:session_started";
    }

    private const string CorrelationCookie = "tradsys.portal.flow";
    private readonly IDataProtector _flowProtector = protection.CreateProtector("TradSys.Portal.Flow");
    // Two requests of one browser that both find the access token about to expire must not both redeem the same refresh
    // token (the second would be a reuse, refused, and would revoke the session): the first redeems, the other awaits it.
    private readonly ConcurrentDictionary<string, Lazy<Task<PortalTokens?>>> _refreshes = new(StringComparer.Ordinal);

    /// <summary>The portal's options.</summary>
    public PortalOptions Options => options;

    /// <summary>Starts the code flow: a PKCE verifier and a state kept in a short protected cookie, then to /connect/authorize.</summary>
    public IResult Challenge(HttpContext context, string? returnUrl)
    {
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        if (!string.Equals(origin, options.Origin, StringComparison.OrdinalIgnoreCase))
        {
            // The redirect URI is registered on the portal's origin: move the browser there first, so its cookies are there.
            return Results.Redirect(options.Origin + "/portal/signin" + context.Request.QueryString);
        }
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var state = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var flow = JsonSerializer.Serialize(new Flow(state, verifier, SafeReturnUrl(returnUrl)));
        context.Response.Cookies.Append(CorrelationCookie, _flowProtector.Protect(flow), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/portal",
            MaxAge = TimeSpan.FromMinutes(10),
        });
        var query = new Dictionary<string, string?>
        {
            [Parameters.ClientId] = PortalOptions.ClientId,
            [Parameters.ResponseType] = ResponseTypes.Code,
            [Parameters.RedirectUri] = options.RedirectUri,
            [Parameters.Scope] = $"{Scopes.OpenId} {Scopes.Profile} {Scopes.Roles} {Scopes.OfflineAccess}",
            [Parameters.State] = state,
            [Parameters.CodeChallenge] = challenge,
            [Parameters.CodeChallengeMethod] = CodeChallengeMethods.Sha256,
        };
        return Results.Redirect(QueryHelpers.AddQueryString("/connect/authorize", query));
    }

    /// <summary>The redirect back from the identity provider: checks the state, redeems the code with the verifier, signs in.</summary>
    public async Task<IResult> CallbackAsync(HttpContext context, TradSysDbContext db, AuditTrail audit)
    {
        var query = context.Request.Query;
        var flow = ReadFlow(context);
        context.Response.Cookies.Delete(CorrelationCookie, new CookieOptions { Path = "/portal" });
        if (flow is null || !string.Equals(flow.State, query[Parameters.State], StringComparison.Ordinal))
        {
            return Page(context, StatusCodes.Status400BadRequest, "Sign-in failed",
                "The sign-in reply does not match a sign-in this browser started (or it took more than 10 minutes).");
        }
        if (!string.IsNullOrEmpty(query[Parameters.Error]))
        {
            return Page(context, StatusCodes.Status403Forbidden, "Sign-in refused", "The identity provider refused the sign-in ({0}: {1}).",
                query[Parameters.Error].ToString(), query[Parameters.ErrorDescription].ToString());
        }
        var tokens = await RedeemAsync(new Dictionary<string, string>
        {
            [Parameters.GrantType] = GrantTypes.AuthorizationCode,
            [Parameters.Code] = query[Parameters.Code].ToString(),
            [Parameters.RedirectUri] = options.RedirectUri,
            [Parameters.ClientId] = PortalOptions.ClientId,
            [Parameters.CodeVerifier] = flow.Verifier,
        }, context.RequestAborted);
        if (tokens is null)
        {
            return Page(context, StatusCodes.Status403Forbidden, "Sign-in refused", "The identity provider did not accept the sign-in.");
        }
        var me = await MeAsync(tokens.AccessToken, context.RequestAborted);
        var now = clock.GetUtcNow();
        var principal = PrincipalOf(me, tokens, now);
        await context.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        await audit.AppendAsync(db, clock, me.UserName, "portal.signed-in", $"user/{me.UserId}", new { roles = me.Roles }, context.RequestAborted);
        return Results.Redirect(flow.ReturnUrl);
    }

    /// <summary>Logout: revokes the refresh and access tokens, drops the cookie, then ends the identity provider's session.</summary>
    public async Task<IResult> LogoutAsync(HttpContext context, TradSysDbContext db, AuditTrail audit)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Succeeded && TokensOf(result.Principal) is { } tokens)
        {
            await RevokeAsync(tokens.RefreshToken, TokenTypeHints.RefreshToken, context.RequestAborted);
            await RevokeAsync(tokens.AccessToken, TokenTypeHints.AccessToken, context.RequestAborted);
            var name = result.Principal.FindFirst(Claims.Name)?.Value ?? "?";
            await audit.AppendAsync(db, clock, name, "portal.signed-out", $"user/{result.Principal.FindFirst(Claims.Subject)?.Value}",
                new { }, context.RequestAborted);
        }
        await context.SignOutAsync(Scheme);
        return Results.Redirect(QueryHelpers.AddQueryString("/connect/logout", Parameters.PostLogoutRedirectUri, options.PostLogoutRedirectUri));
    }

    /// <summary>
    /// Cookie validation on every request: refuses a session past its absolute timeout, and refreshes the access token
    /// when it expires within a minute (a refused refresh ends the session).
    /// </summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var now = clock.GetUtcNow();
        if (!DateTimeOffset.TryParse(principal.FindFirst(ClaimTypes.SessionStarted)?.Value, CultureInfo.InvariantCulture,
                DateTimeStyles.RoundtripKind, out var started) || now - started >= options.AbsoluteTimeout)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var tokens = TokensOf(principal);
        if (tokens is null)
        {
            context.RejectPrincipal();
            return;
        }
        if (tokens.ExpiresAt - now > TimeSpan.FromMinutes(1))
        {
            return;
        }
        var renewed = await RefreshAsync(tokens.RefreshToken, context.HttpContext.RequestAborted);
        if (renewed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var me = new Me(long.Parse(principal.FindFirst(Claims.Subject)!.Value, CultureInfo.InvariantCulture),
            principal.FindFirst(Claims.Name)!.Value, principal.FindFirst(ClaimTypes.DisplayName)?.Value,
            [.. principal.FindAll(Claims.Role).Select(c => c.Value)]);
        context.ReplacePrincipal(PrincipalOf(me, renewed, started));
        context.ShouldRenew = true;
    }

    /// <summary>The tokens in a portal principal, or null.</summary>
    public static PortalTokens? TokensOf(ClaimsPrincipal? principal)
    {
        var access = principal?.FindFirst(ClaimTypes.AccessToken)?.Value;
        var refresh = principal?.FindFirst(ClaimTypes.RefreshToken)?.Value;
        var expires = principal?.FindFirst(ClaimTypes.ExpiresAt)?.Value;
        return access is null || refresh is null || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out var at)
            ? null
            : new PortalTokens(access, refresh, at);
    }

    /// <summary>When the session of <paramref name="principal"/> reaches its absolute timeout.</summary>
    public DateTimeOffset? SessionEndsAt(ClaimsPrincipal principal) =>
        DateTimeOffset.TryParse(principal.FindFirst(ClaimTypes.SessionStarted)?.Value, CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out var started)
            ? started + options.AbsoluteTimeout
            : null;

    private Task<PortalTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
        var lazy = _refreshes.GetOrAdd(key, k => new Lazy<Task<PortalTokens?>>(async () =>
        {
            try
            {
                return await RedeemAsync(new Dictionary<string, string>
                {
                    [Parameters.GrantType] = GrantTypes.RefreshToken,
                    [Parameters.RefreshToken] = refreshToken,
                    [Parameters.ClientId] = PortalOptions.ClientId,
                }, CancellationToken.None);
            }
            finally
            {
                _ = ForgetLaterAsync(key);
            }
        }));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task ForgetLaterAsync(string key)
    {
        await Task.Delay(TimeSpan.FromSeconds(30), clock, CancellationToken.None);
        _refreshes.TryRemove(key, out _);
    }

    private async Task<PortalTokens?> RedeemAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var client = Client();
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            log.LogWarning("The token endpoint refused the portal's {Grant} grant: {Status} {Body}", form[Parameters.GrantType],
                (int)response.StatusCode, body);
            return null;
        }
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new PortalTokens(root.GetProperty("access_token").GetString()!, root.GetProperty("refresh_token").GetString()!,
            clock.GetUtcNow().AddSeconds(root.GetProperty("expires_in").GetInt64()));
    }

    private async Task RevokeAsync(string token, string hint, CancellationToken cancellationToken)
    {
        using var client = Client();
        using var response = await client.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Parameters.Token] = token,
            [Parameters.TokenTypeHint] = hint,
            [Parameters.ClientId] = PortalOptions.ClientId,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            log.LogWarning("Revoking the portal's {Hint} failed: {Status}", hint, (int)response.StatusCode);
        }
    }

    private async Task<Me> MeAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var me = await response.Content.ReadFromJsonAsync<Me>(cancellationToken);
        return me ?? throw new InvalidOperationException("/api/v1/me answered nothing");
    }

    /// <summary>A client for the platform's own endpoints (the back channel).</summary>
    public HttpClient Client()
    {
        var client = http.CreateClient(Backchannel);
        client.BaseAddress = new Uri(options.Backchannel);
        return client;
    }

    private static ClaimsPrincipal PrincipalOf(Me me, PortalTokens tokens, DateTimeOffset sessionStarted)
    {
        var identity = new ClaimsIdentity(Scheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, me.UserId.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(Claims.Name, me.UserName));
        identity.AddClaim(new Claim(ClaimTypes.DisplayName, me.DisplayName ?? me.UserName));
        foreach (var role in me.Roles)
        {
            identity.AddClaim(new Claim(Claims.Role, role));
        }
        identity.AddClaim(new Claim(ClaimTypes.AccessToken, tokens.AccessToken));
        identity.AddClaim(new Claim(ClaimTypes.RefreshToken, tokens.RefreshToken));
        identity.AddClaim(new Claim(ClaimTypes.ExpiresAt, tokens.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(ClaimTypes.SessionStarted, sessionStarted.ToString("O", CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(identity);
    }

    private Flow? ReadFlow(HttpContext context)
    {
        var raw = context.Request.Cookies[CorrelationCookie];
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Flow>(_flowProtector.Unprotect(raw));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && (returnUrl.StartsWith("/portal", StringComparison.Ordinal) || returnUrl.StartsWith(JobsDashboard.Path, StringComparison.Ordinal))
            && !returnUrl.Contains("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : "/portal";

    /// <summary>
    /// A small plain page for the outcomes of the sign-in flow that have no portal to show them in, in the request's language
    /// (right to left in Arabic): <paramref name="title"/> and <paramref name="message"/> are the portal's text keys (English),
    /// the message a format with <paramref name="args"/>.
    /// </summary>
    internal static IResult Page(HttpContext context, int status, string title, string message, params object[] args)
    {
        var L = context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<PortalText>>();
        var e = System.Text.Encodings.Web.HtmlEncoder.Default;
        var culture = CultureInfo.CurrentUICulture;
        var rightToLeft = PortalCultures.IsRightToLeft(culture);
        var heading = e.Encode(L[title]);
        return Results.Content($"""
            <!DOCTYPE html><html lang="{culture.TwoLetterISOLanguageName}" dir="{(rightToLeft ? "rtl" : "ltr")}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{heading} · TradSys</title><link rel="stylesheet" href="{(rightToLeft ? "/lib/bootstrap/css/bootstrap.rtl.min.css" : "/lib/bootstrap/css/bootstrap.min.css")}"><link rel="stylesheet" href="/portal.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
            <body><main class="container py-5"><h1 class="h3">{heading}</h1><p id="message">{e.Encode(L[message, args])}</p>
            <p><a href="/portal">{e.Encode(L["Back to the portal"])}</a></p></main></body></html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private sealed record Flow(string State, string Verifier, string ReturnUrl);

    private sealed record Me(long UserId, string UserName, string? DisplayName, string[] Roles);
}

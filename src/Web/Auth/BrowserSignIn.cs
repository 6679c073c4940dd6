using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Auth;

/// <summary>
/// The identity provider's browser side: <c>/connect/authorize</c> (shows the login form, then issues an authorization
/// code), <c>/connect/login</c> (checks the user name and password against <see cref="User.PasswordHash"/>, with
/// antiforgery and <see cref="LoginThrottle"/>), <c>/connect/logout</c> (end session), and the redemption of codes and
/// refresh tokens at the token endpoint. Every outcome is audited.
/// </summary>
public static class BrowserSignIn
{
    /// <summary>The identity provider's short-lived cookie between a good password and the code it leads to.</summary>
    public const string LoginScheme = "TradSys.Login";

    private const string AuthorizePath = "/connect/authorize";
    private static readonly PasswordHasher<User> Hasher = new();
    // Compared against when the user name is unknown, so an unknown name costs as much time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new User { UserName = "-", DisplayName = "-", Roles = "" }, "not a password");

    public static IEndpointRouteBuilder MapBrowserSignIn(this IEndpointRouteBuilder app)
    {
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/connect/login", LoginAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)LogoutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, TradSysDbContext db, AuditTrail audit, TimeProvider clock,
        IAntiforgery antiforgery)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the OpenIddict server request is missing");
        var login = await http.AuthenticateAsync(LoginScheme);
        if (!login.Succeeded || login.Principal.FindFirst(Claims.Subject)?.Value is not { } subject)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return ApiClients.Forbid(Errors.LoginRequired, "the user is not signed in");
            }
            return LoginPage.Render(http, antiforgery, ReturnUrlOf(http, request), userName: null, message: null, StatusCodes.Status200OK);
        }

        // The login cookie is spent on this one code: the next authorization asks for the password again.
        await http.SignOutAsync(LoginScheme);
        var userId = long.Parse(subject, CultureInfo.InvariantCulture);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, http.RequestAborted);
        if (user is null || !user.IsActive)
        {
            await audit.AppendAsync(db, clock, user?.UserName ?? subject, "login.refused", $"client/{request.ClientId}",
                new { reason = "user disabled" }, http.RequestAborted);
            return ApiClients.Forbid(Errors.AccessDenied, "the user is disabled");
        }
        var identity = IdentityOf(user);
        identity.SetScopes(request.GetScopes().Intersect([Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess]));
        identity.SetDestinations(DestinationsOf);
        await audit.AppendAsync(db, clock, user.UserName, "authorization.code-issued", $"client/{request.ClientId}",
            new { scopes = identity.GetScopes() }, http.RequestAborted);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> LoginAsync(HttpContext http, TradSysDbContext db, AuditTrail audit, TimeProvider clock,
        IAntiforgery antiforgery, LoginThrottle throttle)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "the login form is posted as application/x-www-form-urlencoded");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var L = LoginPage.Text(http); // the form's own texts, in the visitor's language
        var returnUrl = form["returnUrl"].ToString();
        if (!IsAuthorizeUrl(returnUrl))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["returnUrl"] = ["must be the /connect/authorize request the login form was shown for"],
            });
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return LoginPage.Render(http, antiforgery, returnUrl, null,
                L["The form expired or did not come from this site; sign in again."], StatusCodes.Status400BadRequest);
        }
        var userName = form["username"].ToString().Trim();
        if (userName.Length > 64)
        {
            return LoginPage.Render(http, antiforgery, returnUrl, null, L["The user name is at most 64 characters."],
                StatusCodes.Status400BadRequest);
        }
        var password = form["password"].ToString();
        if (userName.Length == 0 || password.Length == 0)
        {
            return LoginPage.Render(http, antiforgery, returnUrl, userName,
                userName.Length == 0 ? L["Enter your user name."] : L["Enter your password."], StatusCodes.Status400BadRequest);
        }
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (await throttle.RefusedUntilAsync(userName, address, http.RequestAborted) is { } until)
        {
            await audit.AppendAsync(db, clock, userName, "login.throttled", $"address/{address}",
                new { until = until.UtcDateTime }, http.RequestAborted);
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return LoginPage.Render(http, antiforgery, returnUrl, userName,
                L["Too many failed sign-ins for this user name or from this address. Try again after {0} UTC.",
                    until.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)],
                StatusCodes.Status429TooManyRequests);
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, http.RequestAborted);
        var verified = Hasher.VerifyHashedPassword(user ?? new User { UserName = "-", DisplayName = "-", Roles = "" },
            user?.PasswordHash ?? DummyHash, password) != PasswordVerificationResult.Failed && user?.PasswordHash is not null;
        if (!verified)
        {
            await throttle.RecordFailureAsync(userName, address, http.RequestAborted);
            await audit.AppendAsync(db, clock, userName, "login.failed", $"address/{address}",
                new { reason = user is null ? "unknown user" : "wrong password" }, http.RequestAborted);
            // The same words for an unknown user name and a wrong password, in every language: nothing tells which it was.
            return LoginPage.Render(http, antiforgery, returnUrl, userName, L["Wrong user name or password."],
                StatusCodes.Status401Unauthorized);
        }
        if (!user!.IsActive)
        {
            await audit.AppendAsync(db, clock, user.UserName, "login.refused", $"address/{address}",
                new { reason = "user disabled" }, http.RequestAborted);
            return LoginPage.Render(http, antiforgery, returnUrl, userName,
                L["This user is disabled. Ask an administrator to enable it."], StatusCodes.Status403Forbidden);
        }

        await throttle.RecordSuccessAsync(userName, http.RequestAborted);
        await audit.AppendAsync(db, clock, user.UserName, "login.succeeded", $"address/{address}", new { }, http.RequestAborted);
        var identity = new ClaimsIdentity(LoginScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Id.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(Claims.Name, user.UserName));
        await http.SignInAsync(LoginScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(LoginScheme);
        // OpenIddict redirects to the request's post_logout_redirect_uri when the client registered it; otherwise here.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// Redeems an authorization code or a refresh token at the token endpoint (OpenIddict has already checked the PKCE
    /// verifier, the client and that the code or refresh token was not used before). The user is read again: a user
    /// disabled since the code was issued gets nothing, and the roles are the current ones.
    /// </summary>
    internal static async Task<IResult> RedeemAsync(HttpContext http, OpenIddictRequest request, TradSysDbContext db,
        AuditTrail audit, TimeProvider clock)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = result.Principal?.GetClaim(Claims.Subject);
        var user = subject is null || !long.TryParse(subject, CultureInfo.InvariantCulture, out var userId)
            ? null
            : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, http.RequestAborted);
        var grant = request.GrantType!;
        if (user is null || !user.IsActive)
        {
            await audit.AppendAsync(db, clock, user?.UserName ?? subject ?? "?", "token.refused", $"client/{request.ClientId}",
                new { grant, reason = "user disabled" }, http.RequestAborted);
            return ApiClients.Forbid(Errors.InvalidGrant, "the user is disabled");
        }
        var identity = IdentityOf(user);
        identity.SetScopes(result.Principal!.GetScopes());
        identity.SetAuthorizationId(result.Principal!.GetAuthorizationId());
        identity.SetDestinations(DestinationsOf);
        await audit.AppendAsync(db, clock, user.UserName, "token.issued", $"client/{request.ClientId}",
            new { grant, roles = user.RoleList() }, http.RequestAborted);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static ClaimsIdentity IdentityOf(User user)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString(CultureInfo.InvariantCulture));
        identity.SetClaim(Claims.Name, user.UserName);
        identity.SetClaim(Claims.PreferredUsername, user.DisplayName);
        identity.SetClaims(Claims.Role, [.. user.RoleList()]);
        // Access token only (DestinationsOf): the revocation check compares it with the user's current minimum.
        identity.SetClaim(TokenClaims.Version, user.TokenVersion.ToString(CultureInfo.InvariantCulture));
        return identity;
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Subject or Claims.Name or Claims.PreferredUsername or Claims.Role => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [Destinations.AccessToken],
    };

    private static string ReturnUrlOf(HttpContext http, OpenIddictRequest request)
    {
        // A POSTed authorization request is turned into the equivalent GET, so the login form can send the browser back to it.
        if (HttpMethods.IsGet(http.Request.Method))
        {
            return AuthorizePath + http.Request.QueryString;
        }
        var query = QueryString.Create(request.GetParameters()
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value)));
        return AuthorizePath + query;
    }

    /// <summary>
    /// True for a <c>/connect/authorize?...</c> address on this site: where the login form posts back to, and where its
    /// language switch may return (<c>/portal/culture</c>).
    /// </summary>
    internal static bool IsAuthorizeUrl(string url) =>
        url.StartsWith(AuthorizePath + "?", StringComparison.Ordinal) && !url.Contains("//", StringComparison.Ordinal)
        && !url.Contains('\\', StringComparison.Ordinal);
}

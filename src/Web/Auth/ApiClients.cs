using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Auth;

/// <summary>
/// The token endpoint. API clients use OAuth 2.0 client credentials: every client is tied to one user through the
/// application property <see cref="UserIdProperty"/>; the token carries that user's id and roles, read from the
/// database when the token is issued. The portal redeems authorization codes and refresh tokens here too
/// (<see cref="BrowserSignIn.RedeemAsync"/>).
/// </summary>
public static class ApiClients
{
    public const string UserIdProperty = "tradsys_user_id";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", IssueTokenAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext http, IOpenIddictApplicationManager applications,
        TradSysDbContext db, AuditTrail audit, TimeProvider clock)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the OpenIddict server request is missing");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await BrowserSignIn.RedeemAsync(http, request, db, audit, clock);
        }
        if (!request.IsClientCredentialsGrantType())
        {
            return Forbid(Errors.UnsupportedGrantType, "the token endpoint serves client_credentials, authorization_code and refresh_token");
        }
        var application = await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted);
        if (application is null)
        {
            return Forbid(Errors.InvalidClient, "unknown client");
        }
        var properties = await applications.GetPropertiesAsync(application, http.RequestAborted);
        if (!properties.TryGetValue(UserIdProperty, out var userIdElement) || userIdElement.ValueKind != JsonValueKind.Number)
        {
            return Forbid(Errors.InvalidClient, "this client is not tied to a user");
        }
        var userId = userIdElement.GetInt64();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, http.RequestAborted);
        if (user is null || !user.IsActive)
        {
            return Forbid(Errors.InvalidClient, "the user behind this client is disabled");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        identity.SetClaim(Claims.Name, user.UserName);
        identity.SetClaims(Claims.Role, [.. user.RoleList()]);
        identity.SetClaim(TokenClaims.Version, user.TokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        identity.SetDestinations(_ => [Destinations.AccessToken]);

        await audit.AppendAsync(db, clock, user.UserName, "token.issued", $"client/{request.ClientId}",
            new { roles = user.RoleList() }, http.RequestAborted);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    internal static IResult Forbid(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}

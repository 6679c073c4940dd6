using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace TradSys.Web.Auth;

/// <summary>
/// Authentication for the whole host, with a short path for the REST API.
///
/// ASP.NET Core's authentication middleware first offers every request to each scheme that handles requests of its own
/// (OpenIddict's server, validation and client: <c>/connect/*</c> and the portal's sign-in callback), then authenticates the
/// default scheme. Offering an order request to OpenIddict's server and client handlers cost about 4 % of its CPU, for a
/// "no" every time: neither has an endpoint under <c>/api</c>; offering it to the validation handler cost about 7 % more
/// (a validation transaction and its services, a database context among them, per request), which only a token not seen
/// before needs. So <c>/api</c> requests only authenticate the bearer token (the default scheme, exactly as the middleware
/// would), and <see cref="BearerTokenHandler"/> offers the request to OpenIddict's validation handler when it meets a new
/// token; every other request goes through ASP.NET Core's own middleware, unchanged.
/// </summary>
public static class ApiAuthentication
{
    /// <summary>
    /// The key <c>UseAuthentication</c> sets on the application builder; without it the web application adds its own
    /// authentication middleware in front of the pipeline (and every request would be authenticated twice, the API's through
    /// every OpenIddict handler again).
    /// </summary>
    private const string AuthenticationMiddlewareSet = "__AuthenticationMiddlewareSet";

    public static IApplicationBuilder UsePlatformAuthentication(this IApplicationBuilder app)
    {
        app.Properties[AuthenticationMiddlewareSet] = true;
        return app.UseMiddleware<Middleware>();
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    private sealed class Middleware(RequestDelegate next, IAuthenticationSchemeProvider schemes)
    {
        private readonly AuthenticationMiddleware _full = new(next, schemes);

        public Task InvokeAsync(HttpContext context) => IsApi(context) ? AuthenticateBearerAsync(context) : _full.Invoke(context);

        private async Task AuthenticateBearerAsync(HttpContext context)
        {
            var result = await context.AuthenticateAsync(BearerTokenHandler.SchemeName);
            if (result.Principal is not null)
            {
                context.User = result.Principal;
            }
            if (result.Succeeded)
            {
                // As the authentication middleware does: authorization reads the result here instead of authenticating again.
                var feature = new Authenticated(result);
                context.Features.Set<IHttpAuthenticationFeature>(feature);
                context.Features.Set<IAuthenticateResultFeature>(feature);
            }
            await next(context);
        }
    }

    private sealed class Authenticated(AuthenticateResult result) : IAuthenticateResultFeature, IHttpAuthenticationFeature
    {
        public AuthenticateResult? AuthenticateResult { get; set; } = result;

        public System.Security.Claims.ClaimsPrincipal? User
        {
            get => AuthenticateResult?.Principal;
            set => AuthenticateResult = value is null ? null : AuthenticateResult.Success(new AuthenticationTicket(value, BearerTokenHandler.SchemeName));
        }
    }
}

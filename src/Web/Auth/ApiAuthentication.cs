using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using OpenIddict.Validation.AspNetCore;

namespace TradSys.Web.Auth;

/// <summary>
/// Authentication for the whole host, with a short path for the REST API.
///
/// ASP.NET Core's authentication middleware first offers every request to each scheme that handles requests of its own
/// (OpenIddict's server, validation and client: <c>/connect/*</c> and the portal's sign-in callback), then authenticates the
/// default scheme. Offering an order request to OpenIddict's server and client handlers cost about 4 % of its CPU, for a
/// "no" every time: neither has an endpoint under <c>/api</c>. So <c>/api</c> requests go to OpenIddict's validation handler
/// only (it prepares the context in which <see cref="BearerTokenHandler"/> checks a token it has not seen) and then
/// authenticate the bearer token (the default scheme, exactly as the middleware would); every other request goes through
/// ASP.NET Core's own middleware, unchanged.
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
            // OpenIddict's validation handler must still see the request first: it sets up the validation context that
            // BearerTokenHandler's first check of a new token runs in. It handles no request itself.
            var handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
            if (await handlers.GetHandlerAsync(context, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme) is IAuthenticationRequestHandler validation
                && await validation.HandleRequestAsync())
            {
                return;
            }
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

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using OpenIddict.Abstractions;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using TradSys.Web.Portal.Components;
using TradSys.Web.Portal.Services;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Portal;

/// <summary>The Blazor portal (Interactive Server): its sign-in, session cookie, security headers and pages.</summary>
public static class PortalExtensions
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        // Static web assets (blazor.web.js, the scoped CSS bundle, BlazorMonaco's and QuickGrid's files) stay in the build's
        // obj folder and the package cache until the app is published, and ASP.NET Core reads their manifest only in
        // Development. The README's run command starts the build output in Production: read the manifest there too, or the
        // portal's scripts answer 500 and no page becomes interactive. A published app has no manifest (its files are under
        // wwwroot) and this does nothing.
        if (!builder.Environment.IsDevelopment() && builder.Environment is IWebHostEnvironment web)
        {
            StaticWebAssetsLoader.UseStaticWebAssets(web, builder.Configuration);
            // Serving the build's manifest also turns on ASP.NET Core's runtime handling of static assets, whatever the
            // environment: a catch-all route whose constraint looks for a file on disk during the routing of every GET (an
            // lstat and a path normalisation for each GET: 6.5 % of the server's CPU samples under the quote load), and
            // "Cache-Control: no-cache" on every asset, fingerprinted ones included, so browsers revalidate each file on every
            // page. Outside Development the portal serves the files it was built with, cached as their manifest says.
            builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        }
        var options = PortalOptions.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<PortalSession>();
        services.AddHttpClient(PortalSession.Backchannel);
        services.AddHostedService<PortalClientRegistration>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(PortalCultures.Configure);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        services.AddScoped<PortalApi>();
        services.AddSingleton<OrderUpdateFeed>();
        services.AddSingleton<MarketDataFeed>();
        services.AddAuthentication().AddCookie(PortalSession.Scheme, o =>
        {
            o.Cookie.Name = "tradsys.portal";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = options.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/portal/signin";
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<PortalSession>().ValidateAsync(context);
            // A page the role may not use is refused outright (403), not redirected somewhere that pretends otherwise.
            o.Events.OnRedirectToAccessDenied = async context =>
            {
                await PortalSession.Page(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed",
                    "Your role may not use this page.").ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.Use(SecurityHeaders);
        // The portal's pages, its circuits (/_blazor) and the login form (/connect/authorize shows it, /connect/login answers it)
        // speak the user's language; the API and the token endpoint stay culture-neutral.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/portal") || c.Request.Path.StartsWithSegments("/_blazor")
                         || c.Request.Path.StartsWithSegments("/connect/authorize") || c.Request.Path.StartsWithSegments("/connect/login"),
            branch => branch.UseRequestLocalization());
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();

        var session = app.Services.GetRequiredService<PortalSession>();
        app.MapGet("/portal/signin", (HttpContext http, string? returnUrl) => session.Challenge(http, returnUrl))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/portal/callback", (HttpContext http, TradSysDbContext db, AuditTrail audit) => session.CallbackAsync(http, db, audit))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/portal/logout", async (HttpContext http, TradSysDbContext db, AuditTrail audit, IAntiforgery antiforgery) =>
                await antiforgery.IsRequestValidAsync(http)
                    ? await session.LogoutAsync(http, db, audit)
                    : PortalSession.Page(http, StatusCodes.Status400BadRequest, "Not signed out",
                        "The logout form expired or did not come from this site: use the portal's Log out button."))
            .DisableAntiforgery()
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalSession.Scheme }).ExcludeFromDescription();
        app.MapGet("/portal/culture", SetCulture).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/portal/signed-out", (HttpContext http) => PortalSession.Page(http, StatusCodes.Status200OK, "Signed out",
            "You are signed out.")).AllowAnonymous().ExcludeFromDescription();
        app.MapJobsDashboard();

        app.MapPortalDownloads();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalSession.Scheme });
        // An address under /portal that no page has: the portal's own not-found page for a signed-in user (the sign-in for
        // anyone else), not the API's JSON 401 that the host's fallback gives a request without a bearer token.
        app.MapFallback("/portal/{**path}", (HttpContext http) => PortalSession.Page(http, StatusCodes.Status404NotFound, "Page not found",
                "The portal has no page at {0}.", http.Request.Path.ToString()))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalSession.Scheme }).ExcludeFromDescription();
        // Browsers ask for /favicon.ico on every page; the icon is a static file anyone may fetch.
        app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The language switch of the navbar and of the login form: keeps the choice in the culture cookie for a year and goes back
    /// to the page (a full load, so the page's new circuit starts in that language), or to the login form's own authorization
    /// request (<c>/connect/authorize?...</c>), so a visitor not signed in yet keeps the sign-in they started. A language other
    /// than en or ar, or any other return address (off this site, or elsewhere on it), is refused with the field named and no
    /// cookie set.
    /// </summary>
    private static IResult SetCulture(HttpContext http, string? culture, string? returnUrl)
    {
        var errors = new Dictionary<string, List<string>>();
        var chosen = PortalCultures.Find(culture);
        if (chosen is null)
        {
            errors["culture"] = [string.IsNullOrEmpty(culture) ? "is required: en or ar" : $"'{culture}' is not a portal language: en or ar"];
        }
        var back = string.IsNullOrEmpty(returnUrl) ? "/portal" : returnUrl;
        var portalPage = back.StartsWith("/portal", StringComparison.Ordinal) && !back.StartsWith("//", StringComparison.Ordinal)
                         && !back.Contains('\\', StringComparison.Ordinal);
        if (!portalPage && !Auth.BrowserSignIn.IsAuthorizeUrl(back))
        {
            errors["returnUrl"] = [$"'{returnUrl}' is not a portal address (it must start with /portal, or be the login form's /connect/authorize request)"];
        }
        if (errors.Count > 0)
        {
            return Http.Problems.Invalid(errors);
        }
        http.Response.Cookies.Append(PortalCultures.CookieName,
            Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.MakeCookieValue(new(chosen!)),
            new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
        return TypedResults.LocalRedirect(back);
    }

    /// <summary>
    /// Security headers on every response; the HTML of the portal and the login pages also gets a content security policy
    /// suited to Blazor Server (scripts and styles from this origin only, the circuit's WebSocket to this origin, no framing);
    /// the Hangfire dashboard gets its own (it needs inline scripts and styles).
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        // The path as requested: the dashboard moves its prefix into PathBase before the response starts.
        var path = context.Request.Path;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (path.StartsWithSegments("/portal") || path.StartsWithSegments("/connect"))
            {
                // Styles admit 'unsafe-inline' because the rule editor's Monaco writes its styles into <style> elements at run
                // time (no nonce support in the version BlazorMonaco ships). It cannot be scoped to the editor's page: Blazor's
                // interactive navigation keeps the policy of the page first loaded. Scripts stay 'self' only; Monaco's workers
                // load from this origin, so worker-src falls back to script-src and needs nothing more.
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                                                "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; " +
                                                "form-action 'self'; frame-ancestors 'none'";
                headers.XFrameOptions = "DENY";
                headers.CacheControl = "no-store";
            }
            else if (path.StartsWithSegments(JobsDashboard.Path))
            {
                headers.ContentSecurityPolicy = JobsDashboard.ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>Registers (or updates) the portal as a public OpenIddict client with PKCE, on the portal's origin.</summary>
    private sealed class PortalClientRegistration(IServiceScopeFactory scopes, PortalOptions options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = PortalOptions.ClientId,
                ClientType = ClientTypes.Public,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = "TradSys portal",
                RedirectUris = { new Uri(options.RedirectUri) },
                PostLogoutRedirectUris = { new Uri(options.PostLogoutRedirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.Endpoints.Revocation, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Profile, Permissions.Scopes.Roles,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            var existing = await applications.FindByClientIdAsync(PortalOptions.ClientId, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

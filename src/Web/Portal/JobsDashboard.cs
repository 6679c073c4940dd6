using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace TradSys.Web.Portal;

/// <summary>
/// The Hangfire dashboard at <c>/hangfire</c>, for admins, behind the portal's sign-in: the endpoint requires the portal's
/// session cookie and the admin role (an anonymous browser is sent to sign in, another role gets the portal's 403 page), and
/// the dashboard's own authorization filter checks the same again. It shows this host's job storage (a DI singleton), not
/// the process-wide <see cref="JobStorage.Current"/>.
/// </summary>
public static class JobsDashboard
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/hangfire";

    /// <summary>
    /// The dashboard's content security policy: its pages carry inline scripts and styles, so they get their own policy
    /// (this origin plus inline), still with no framing, no plug-ins and forms posting to this origin only.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
                                                "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
                                                "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Maps the dashboard with this host's storage, admin only.</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this WebApplication app)
    {
        var options = new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdminOnlyFilter()],
            DashboardTitle = "TradSys jobs",
            AppPath = "/portal",
            DisplayStorageConnectionString = false,
        };
        return app.MapHangfireDashboard(Path, options, app.Services.GetRequiredService<JobStorage>())
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalSession.Scheme, Roles = PortalRoles.Admin });
    }

    /// <summary>
    /// The dashboard's own check (it refuses by itself when reached without the endpoint's policy): the portal session's
    /// principal must hold the admin role. A bearer token is not a session and does not open the dashboard.
    /// </summary>
    private sealed class AdminOnlyFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            // The endpoint's policy has already authenticated the portal scheme into HttpContext.User; authenticate again
            // only when that did not happen (running the cookie's validation twice in a request would refresh twice).
            if (!http.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == PortalSession.Scheme))
            {
                var result = await http.AuthenticateAsync(PortalSession.Scheme);
                if (!result.Succeeded)
                {
                    return false;
                }
                http.User = result.Principal;
            }
            return http.User.IsInRole(PortalRoles.Admin);
        }
    }
}

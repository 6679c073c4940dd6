using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace TradSys.Web.Portal.Services;

/// <summary>
/// The signed-in user of a circuit, re-checked every minute: once the session passes its absolute timeout the circuit
/// forgets the user (the pages show "not allowed" and the next page load asks for a new sign-in). A circuit talks over
/// its WebSocket, not HTTP, so the cookie's own checks do not run while it lives.
/// </summary>
public sealed class PortalAuthenticationStateProvider(ILoggerFactory loggers, PortalSession session, TimeProvider clock)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(session.SessionEndsAt(authenticationState.User) is { } end && clock.GetUtcNow() < end);
}

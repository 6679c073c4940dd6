namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One failed sign-in (the portal's login form) or failed client authentication (<c>/connect/token</c>), counted against one
/// key: a user name, a client id or a client address. In the shared database, so that every node of a cluster counts every
/// node's failures (<see cref="Auth.LoginThrottle"/>); rows older than their throttle's window are deleted as new ones arrive.
/// </summary>
public sealed class SignInFailure
{
    public long Id { get; set; }

    /// <summary>Which throttle counted it: <c>login</c> or <c>token</c> (each has its own limits and window).</summary>
    public required string Scope { get; set; }

    /// <summary>What it counts against: <c>u:</c> and the user name or client id in upper case, or <c>a:</c> and the address.</summary>
    public required string Key { get; set; }

    /// <summary>When it failed (UTC).</summary>
    public DateTime At { get; set; }
}

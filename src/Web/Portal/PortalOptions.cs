namespace TradSys.Web.Portal;

/// <summary>
/// The portal's settings (configuration section <c>Portal</c>). The portal is a first-party OAuth client of the
/// platform's own identity provider, on the platform's own origin.
/// </summary>
public sealed record PortalOptions(string Origin, string Backchannel, TimeSpan IdleTimeout, TimeSpan AbsoluteTimeout)
{
    /// <summary>The OpenIddict client id of the portal.</summary>
    public const string ClientId = "portal";

    /// <summary>Where the identity provider sends the browser back with the code.</summary>
    public string RedirectUri => Origin + "/portal/callback";

    /// <summary>Where the identity provider sends the browser after logout.</summary>
    public string PostLogoutRedirectUri => Origin + "/portal/signed-out";

    /// <summary>
    /// Origin: <c>Portal:Origin</c> (the URL browsers use, e.g. behind a TLS proxy), else the first of <c>Urls</c> with a
    /// wildcard host read as 127.0.0.1, else http://localhost (the in-memory test server). Backchannel (where the portal
    /// itself posts to the token endpoint): <c>Portal:Backchannel</c>, else the same.
    /// </summary>
    public static PortalOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Portal");
        var listening = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
        var origin = Normalise(section["Origin"] ?? listening ?? "http://localhost");
        var idle = section.GetValue("IdleTimeoutMinutes", 30);
        var absolute = section.GetValue("AbsoluteTimeoutMinutes", 8 * 60);
        if (idle <= 0 || absolute <= 0 || idle > absolute)
        {
            throw new InvalidOperationException(
                $"Configuration Portal:IdleTimeoutMinutes ({idle}) and Portal:AbsoluteTimeoutMinutes ({absolute}) must be positive, idle at most absolute.");
        }
        return new PortalOptions(origin, Normalise(section["Backchannel"] ?? origin), TimeSpan.FromMinutes(idle), TimeSpan.FromMinutes(absolute));
    }

    private static string Normalise(string url)
    {
        foreach (var wildcard in new[] { "://0.0.0.0", "://[::]", "://*", "://+" })
        {
            url = url.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }
        return url.TrimEnd('/');
    }
}

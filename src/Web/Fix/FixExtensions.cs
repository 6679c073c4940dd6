namespace TradSys.Web.Fix;

/// <summary>The FIX sessions the platform keeps open (<c>Fix:Sessions</c>; none by default), their health check, and the venue routes over them (<c>Routing:Venues</c>).</summary>
public static class FixExtensions
{
    public static IHostApplicationBuilder AddFixSessions(this IHostApplicationBuilder builder)
    {
        AddEmbeddedVenues(builder.Configuration);
        // A bad configuration stops the start with every problem named, rather than a session that never connects.
        FixSessionConfig.ReadValid(builder.Configuration);
        builder.Services.AddSingleton<FixSessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FixSessions>());
        // The venue routes over those sessions (Routing:Venues; none by default: every order matches internally).
        builder.Services.AddSingleton<Venues.VenueRouter>();
        builder.Services.AddHostedService<Venues.VenueRouting>();
        builder.Services.AddHealthChecks().AddCheck<FixSessionsHealthCheck>("fix-sessions", tags: ["fix"]);
        // The acceptors (client order entry, exchange simulators), when Fix:Acceptor or Fix:Simulators configure them.
        FixAcceptors.ReadValid(builder.Configuration);
        builder.Services.AddSingleton<FixAcceptors>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FixAcceptors>());
        builder.Services.AddHealthChecks().AddCheck<FixAcceptorsHealthCheck>("fix-acceptors", tags: ["fix"]);
        return builder;
    }

    /// <summary>
    /// <c>Fix:EmbeddedVenues:Enabled=true</c> in the embedded mode (SQLite): EGX and ADX run as in-process simulators on 127.0.0.1
    /// (<c>EgxPort</c> 9881, <c>AdxPort</c> 9882), the platform logs on to each over FIX as BROKER1, and each venue's orders are
    /// routed there, as if the configuration named the <c>Fix:Simulators</c>, <c>Fix:Sessions</c> and <c>Routing:Venues</c> entries
    /// itself (sessions <c>egx-sim</c> and <c>adx-sim</c>). Keys the configuration already has are kept. Off by default, and never in
    /// the production mode (PostgreSQL), where a venue is a real gateway.
    /// </summary>
    public static void AddEmbeddedVenues(IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Fix:EmbeddedVenues");
        if (!section.GetValue<bool>("Enabled") || TradSys.Web.Hosting.PlatformOptions.From(configuration).Database != TradSys.Web.Hosting.DatabaseProvider.Sqlite)
        {
            return;
        }
        var simulators = configuration.GetSection("Fix:Simulators").GetChildren().Count();
        var sessions = configuration.GetSection("Fix:Sessions").GetChildren().Count();
        var keys = new Dictionary<string, string?>();
        foreach (var (venue, port) in new[] { ("EGX", section["EgxPort"] ?? "9881"), ("ADX", section["AdxPort"] ?? "9882") })
        {
            if (configuration[$"Routing:Venues:{venue}:Session"] is not null)
            {
                continue;
            }
            var name = venue.ToLowerInvariant() + "-sim";
            keys[$"Fix:Simulators:{simulators}:Venue"] = venue;
            keys[$"Fix:Simulators:{simulators}:Port"] = port;
            keys[$"Fix:Simulators:{simulators}:TargetCompIds:0"] = "BROKER1";
            simulators++;
            keys[$"Fix:Sessions:{sessions}:Name"] = name;
            keys[$"Fix:Sessions:{sessions}:Host"] = "127.0.0.1";
            keys[$"Fix:Sessions:{sessions}:Port"] = port;
            keys[$"Fix:Sessions:{sessions}:SenderCompId"] = "BROKER1";
            keys[$"Fix:Sessions:{sessions}:TargetCompId"] = venue;
            // The simulator keeps its numbers in the same database, but a reset on each logon keeps a demo simple.
            keys[$"Fix:Sessions:{sessions}:ResetOnLogon"] = "true";
            sessions++;
            keys[$"Routing:Venues:{venue}:Session"] = name;
        }
        configuration.AddInMemoryCollection(keys);
    }
}

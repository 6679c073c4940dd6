namespace TradSys.Web.Fix;

/// <summary>The FIX sessions the platform keeps open (<c>Fix:Sessions</c>; none by default), their health check, and the venue routes over them (<c>Routing:Venues</c>).</summary>
public static class FixExtensions
{
    public static IHostApplicationBuilder AddFixSessions(this IHostApplicationBuilder builder)
    {
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
        return builder;
    }
}

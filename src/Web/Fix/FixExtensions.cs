namespace TradSys.Web.Fix;

/// <summary>The FIX sessions the platform keeps open (<c>Fix:Sessions</c>; none by default) and their health check.</summary>
public static class FixExtensions
{
    public static IHostApplicationBuilder AddFixSessions(this IHostApplicationBuilder builder)
    {
        // A bad configuration stops the start with every problem named, rather than a session that never connects.
        FixSessionConfig.ReadValid(builder.Configuration);
        builder.Services.AddSingleton<FixSessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FixSessions>());
        builder.Services.AddHealthChecks().AddCheck<FixSessionsHealthCheck>("fix-sessions", tags: ["fix"]);
        // The acceptors (client order entry, exchange simulators), when Fix:Acceptor or Fix:Simulators configure them.
        FixAcceptors.ReadValid(builder.Configuration);
        builder.Services.AddSingleton<FixAcceptors>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FixAcceptors>());
        return builder;
    }
}

using System.Net;
using OpenTelemetry.Metrics;

namespace TradSys.Web.Observability;

/// <summary>
/// OpenTelemetry metrics for Prometheus: the platform's own instruments (<see cref="PlatformMetrics"/>), ASP.NET Core's
/// (requests, Kestrel connections, rate limiting), the runtime's (GC, thread pool, JIT) and what Npgsql and MassTransit publish
/// themselves, served in Prometheus's text format at <see cref="Path"/>. Prometheus scrapes without a token, so the endpoint
/// answers only peers in <see cref="MetricsAccess"/>'s networks (loopback unless configured) and never a request that came
/// through a proxy. docs/metrics.md lists every metric and says how to scrape.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string Path = "/metrics";

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var access = MetricsAccess.From(builder.Configuration);
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton<PlatformMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PlatformMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Npgsql", "MassTransit")
            // Every scrape collects afresh: the default caches the answer for 300 ms, which would show a scrape taken just after
            // an order without it.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        // First in the pipeline (before authentication, which would ask for a token Prometheus does not have).
        builder.Services.AddTransient<IStartupFilter, MetricsStartupFilter>();
        return builder;
    }

    private sealed class MetricsStartupFilter(MetricsAccess access) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path.Equals(Path, StringComparison.Ordinal) && access.Refusal(context) is { } reason)
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = reason },
                    });
                    return;
                }
                await nextMiddleware(context);
            });
            app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
            next(app);
        };
    }
}

/// <summary>
/// Who may scrape <c>/metrics</c>: a direct peer whose address is in <see cref="Networks"/> (configuration
/// <c>Metrics:AllowedNetworks</c>, a list of CIDR ranges; loopback only when unset), and never a request carrying
/// <c>X-Forwarded-For</c>, <c>X-Real-IP</c> or <c>Forwarded</c>: a reverse proxy on the same machine connects from loopback,
/// and its clients must not reach the metrics through it.
/// </summary>
public sealed class MetricsAccess
{
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Real-IP", "Forwarded"];

    /// <summary>The networks whose peers may scrape.</summary>
    public IReadOnlyList<IPNetwork> Networks { get; }

    public MetricsAccess(IReadOnlyList<IPNetwork> networks) => Networks = networks;

    /// <summary>Reads <c>Metrics:AllowedNetworks</c>; a value that is not a CIDR range stops the start with its key and value.</summary>
    public static MetricsAccess From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Metrics:AllowedNetworks");
        var configured = section.GetChildren().ToList();
        if (configured.Count == 0)
        {
            return new MetricsAccess([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]);
        }
        var networks = new List<IPNetwork>(configured.Count);
        foreach (var entry in configured)
        {
            if (!IPNetwork.TryParse(entry.Value, out var network))
            {
                throw new InvalidOperationException(
                    $"configuration {entry.Path}: '{entry.Value}' is not a network in CIDR notation (e.g. 10.0.0.0/8 or 127.0.0.1/32)");
            }
            networks.Add(network);
        }
        return new MetricsAccess(networks);
    }

    /// <summary>Why this request may not scrape, or null when it may.</summary>
    public string? Refusal(HttpContext context)
    {
        foreach (var header in ProxyHeaders)
        {
            if (context.Request.Headers.ContainsKey(header))
            {
                return $"/metrics is not served through a proxy (the request carries {header}); scrape the node directly";
            }
        }
        if (context.Connection.RemoteIpAddress is not { } peer)
        {
            return "/metrics is served only to peers in Metrics:AllowedNetworks; this connection has no peer address";
        }
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }
        foreach (var network in Networks)
        {
            if (network.Contains(peer))
            {
                return null;
            }
        }
        return $"/metrics is served only to peers in Metrics:AllowedNetworks; {peer} is not in them";
    }
}

using System.Globalization;
using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace TradSys.Web.Observability;

/// <summary>
/// OpenTelemetry metrics for Prometheus: the platform's own instruments (<see cref="PlatformMetrics"/>), ASP.NET Core's
/// (requests, Kestrel connections, rate limiting), the runtime's (GC, thread pool, JIT) and what Npgsql and MassTransit publish
/// themselves, served in Prometheus's text format at <see cref="Path"/>. Prometheus scrapes without a token, so the endpoint
/// answers only peers in <see cref="MetricsAccess"/>'s networks (loopback unless configured) and never a request that came
/// through a proxy. docs/metrics.md lists every metric and says how to scrape.
/// <para>
/// Traces (<see cref="TracingSettings"/>): the order path's own source (<see cref="OrderTracing"/>), ASP.NET Core's requests,
/// HttpClient's calls, Npgsql's commands and MassTransit's sends and receives, exported over OTLP when an endpoint is configured
/// and off otherwise. Logs (<c>Logging:Format</c>): JSON lines with scopes by configuration, each carrying the trace and span ids.
/// </para>
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string Path = "/metrics";

    /// <summary>Log categories held at Warning or above because below it they write credentials (docs/metrics.md, "Logs").</summary>
    public static readonly IReadOnlyList<string> CredentialCategories = ["OpenIddict", "Microsoft.AspNetCore.Hosting.Diagnostics"];

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var access = MetricsAccess.From(builder.Configuration);
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton<PlatformMetrics>();
        builder.Services.AddSingleton<Fix.FixSessionTracker>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PlatformMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Npgsql", "MassTransit")
            // Every scrape collects afresh: the default caches the answer for 300 ms, which would show a scrape taken just after
            // an order without it.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.AddTracing();
        builder.AddLogFormat();
        // First in the pipeline (before authentication, which would ask for a token Prometheus does not have).
        builder.Services.AddTransient<IStartupFilter, MetricsStartupFilter>();
        return builder;
    }

    /// <summary>
    /// Subscribes to the order path and the libraries' sources only when tracing is on (<see cref="TracingSettings"/>): off, the
    /// platform has no tracer provider and <see cref="OrderTracing"/> creates nothing.
    /// </summary>
    private static void AddTracing(this IHostApplicationBuilder builder)
    {
        var settings = TracingSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<OrderTracing>();
        if (!settings.Enabled)
        {
            return;
        }
        builder.Services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing
                .ConfigureResource(resource => resource.AddService(settings.ServiceName))
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.SampleRatio)))
                .AddSource(OrderTracing.SourceName, "Npgsql", "MassTransit")
                // Prometheus's scrapes would be most of the traces; query strings are redacted by the instrumentation.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal))
                .AddHttpClientInstrumentation();
            if (settings.OtlpEndpoint is not null || settings.OtlpFromEnvironment)
            {
                tracing.AddOtlpExporter(o =>
                {
                    if (settings.OtlpEndpoint is { } endpoint)
                    {
                        o.Endpoint = endpoint;
                    }
                    if (settings.OtlpProtocol is { } protocol)
                    {
                        o.Protocol = protocol;
                    }
                });
            }
        });
    }

    /// <summary>
    /// <c>Logging:Format</c>: <c>json</c> writes one JSON object per line on the console with its scopes (order entry's account and
    /// client order id, the request's) and the trace and span ids of the activity it was logged in; unset or <c>text</c> keeps the
    /// console's plain lines. Anything else stops the start with a message naming the setting.
    /// </summary>
    private static void AddLogFormat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OrderLog>();
        // Never a credential in a log, whatever Logging:LogLevel says: at Information OpenIddict logs each token request with its
        // PKCE code_verifier, and ASP.NET Core's request lines carry the query string (the WebSocket's ?access_token=).
        foreach (var category in CredentialCategories)
        {
            builder.Logging.AddFilter(category, level => level >= LogLevel.Warning);
        }
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var format = builder.Configuration["Logging:Format"];
        if (string.IsNullOrWhiteSpace(format) || string.Equals(format, "text", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        if (!string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"configuration Logging:Format: '{format}' is not a log format; use json or text");
        }
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }

    // FixSessionTracker comes with the endpoint so that tradsys.fix.sessions is exported (at 0) from the start, before any session.
    private sealed class MetricsStartupFilter(MetricsAccess access, Fix.FixSessionTracker fixSessions) : IStartupFilter
    {
        private readonly Fix.FixSessionTracker _fixSessions = fixSessions;

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

/// <summary>
/// Whether and how the platform traces (docs/metrics.md, "Traces"). On when an OTLP endpoint is configured
/// (<c>Telemetry:Otlp:Endpoint</c>, or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> / <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>),
/// or when <c>Telemetry:Tracing:Enabled</c> is true (spans for an in-process listener, exported nowhere); off otherwise.
/// <c>Telemetry:Tracing:SampleRatio</c> (0 to 1, default 1) samples new traces; a request that arrives with a trace context
/// follows its caller's decision (parent-based).
/// </summary>
public sealed record TracingSettings(bool Enabled, double SampleRatio, Uri? OtlpEndpoint, bool OtlpFromEnvironment,
    OpenTelemetry.Exporter.OtlpExportProtocol? OtlpProtocol, string ServiceName)
{
    /// <summary>Reads the settings; a value that is not valid stops the start with its key and value.</summary>
    public static TracingSettings From(IConfiguration configuration)
    {
        var errors = new List<string>();
        Uri? endpoint = null;
        if (configuration["Telemetry:Otlp:Endpoint"] is { Length: > 0 } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                endpoint = uri;
            }
            else
            {
                errors.Add($"configuration Telemetry:Otlp:Endpoint: '{text}' is not an http or https URL (e.g. http://127.0.0.1:4317)");
            }
        }
        OpenTelemetry.Exporter.OtlpExportProtocol? protocol = configuration["Telemetry:Otlp:Protocol"] switch
        {
            null or "" => null,
            "grpc" => OpenTelemetry.Exporter.OtlpExportProtocol.Grpc,
            "http/protobuf" => OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf,
            var other => Invalid(errors, $"configuration Telemetry:Otlp:Protocol: '{other}' is not grpc or http/protobuf"),
        };
        var fromEnvironment = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        var enabled = endpoint is not null || fromEnvironment;
        if (configuration["Telemetry:Tracing:Enabled"] is { Length: > 0 } on)
        {
            if (bool.TryParse(on, out var value))
            {
                enabled |= value;
            }
            else
            {
                errors.Add($"configuration Telemetry:Tracing:Enabled: '{on}' is not true or false");
            }
        }
        var ratio = 1.0;
        if (configuration["Telemetry:Tracing:SampleRatio"] is { Length: > 0 } sample
            && !(double.TryParse(sample, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) && ratio is >= 0 and <= 1))
        {
            errors.Add($"configuration Telemetry:Tracing:SampleRatio: '{sample}' is not a number from 0 to 1 (the share of new traces kept)");
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }
        var service = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "tradsys";
        return new TracingSettings(enabled, ratio, endpoint, fromEnvironment, protocol, service);
    }

    private static OpenTelemetry.Exporter.OtlpExportProtocol? Invalid(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }
}

using Microsoft.Extensions.Options;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Observability;
using TradSys.Web.Persistence;

namespace TradSys.Web.Streaming;

/// <summary>
/// The real-time gateway: <c>/ws</c> (JSON over WebSockets: market data, the public tape, the caller's order updates, portfolio and
/// risk alerts, on this node) and its AsyncAPI 3 document at <c>/asyncapi/v1.json</c>. docs/streaming.md describes the protocol.
/// </summary>
public static class StreamingExtensions
{
    /// <summary>The gateway's path.</summary>
    public const string Path = "/ws";

    /// <summary>The AsyncAPI document's path.</summary>
    public const string AsyncApiPath = "/asyncapi/v1.json";

    public static IHostApplicationBuilder AddStreaming(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StreamingOptions>().Bind(builder.Configuration.GetSection("Streaming"))
            .Validate(o => o.HeartbeatSeconds > 0 && o.SendQueueCapacity >= 2 && o.MaxMessageBytes >= 64 && o.TokenCheckMilliseconds > 0 &&
                           o.CloseTimeoutSeconds > 0 && o.PortfolioIntervalMilliseconds >= 10,
                "Streaming: HeartbeatSeconds, TokenCheckMilliseconds and CloseTimeoutSeconds must be positive, SendQueueCapacity at least 2, " +
                "MaxMessageBytes at least 64 and PortfolioIntervalMilliseconds at least 10")
            .ValidateOnStart();
        builder.Services.AddSingleton<StreamHub>();
        builder.Services.AddSingleton<SocketOrderEntry>();
        builder.Services.AddSingleton<PortfolioStream>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PortfolioStream>());
        // Before everything in Program.cs's pipeline (authentication among it): the WebSocket upgrade, and a browser's token.
        builder.Services.AddTransient<IStartupFilter, StreamingStartupFilter>();
        return builder;
    }

    public static WebApplication MapStreamingGateway(this WebApplication app)
    {
        // Whoever may read quotes and orders on REST (Policies.Read) may connect; order_updates applies REST's account rules.
        app.Map(Path, AcceptAsync).RequireAuthorization(Policies.Read).ExcludeFromDescription();
        app.MapGet(AsyncApiPath, () => TypedResults.Text(AsyncApiDocument.Json, "application/json")).AllowAnonymous().ExcludeFromDescription();
        // The hub listens to the feeds from the start, not from the first connection.
        app.Services.GetRequiredService<StreamHub>();
        return app;
    }

    private static async Task<IResult> AcceptAsync(HttpContext http, StreamHub hub, IOptions<StreamingOptions> options, RevocationSet revocations,
        TimeProvider clock, TradSysDbContext db, PlatformMetrics metrics)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.Invalid("Upgrade", "/ws takes WebSocket connections only (GET with 'Upgrade: websocket'); see /asyncapi/v1.json");
        }
        if (AccessTokenEntry.From(http.User) is not { } token)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "the access token has no expiry");
        }
        var caller = Caller.From(http.User);
        var readable = await caller.ReadableAccountsAsync(db, http.RequestAborted);
        var orderEntry = new SocketOrderEntryContext(http.RequestServices.GetRequiredService<SocketOrderEntry>(),
            http.Request.Headers.Authorization.ToString(), SocketOrigin.Of(http));
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new StreamConnection(socket, hub, options.Value, caller, token, readable, revocations, clock,
            http.RequestServices.GetRequiredService<IServiceScopeFactory>(), orderEntry);
        metrics.WebSocketOpened();
        try
        {
            await connection.RunAsync(http.RequestAborted);
        }
        finally
        {
            metrics.WebSocketClosed();
        }
        return TypedResults.Empty;
    }

    /// <summary>
    /// WebSocket upgrades, and <c>?access_token=</c> on <c>/ws</c> only: a browser's WebSocket cannot send an Authorization header,
    /// so the token from the query becomes the header (and leaves the query) before authentication, which then treats it exactly
    /// as REST's bearer token (validation, cache, revocation). Everywhere else a token in the query is still refused.
    /// </summary>
    private sealed class StreamingStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWebSockets();
            app.Use((context, nextMiddleware) =>
            {
                var request = context.Request;
                if (request.Path.Equals(Path, StringComparison.Ordinal) && request.Query.TryGetValue("access_token", out var token))
                {
                    if (request.Headers.Authorization.Count == 0 && token.Count == 1 && !string.IsNullOrEmpty(token[0]))
                    {
                        request.Headers.Authorization = "Bearer " + token[0];
                    }
                    var rest = request.Query.Where(q => q.Key != "access_token").ToDictionary(q => q.Key, q => q.Value);
                    request.QueryString = QueryString.Create(rest);
                }
                return nextMiddleware(context);
            });
            // Order entry over the socket runs through everything after this point, as a REST request would (SocketOrderEntry).
            var entry = app.ApplicationServices.GetRequiredService<SocketOrderEntry>();
            app.Use(pipeline =>
            {
                entry.Capture(pipeline);
                return pipeline;
            });
            next(app);
        };
    }
}

using System.Globalization;
using System.Net;
using TradSys.Web.Http;

namespace TradSys.Web.Cluster;

/// <summary>
/// A standby's writer requests carried out by the leader (issue 18): on the REST endpoints whose handler goes to the single writer
/// (the order commands; cash statements and bookings; positions, exposure and VaR, which value or read through the writer; trading
/// statuses, limits and their proposals, whose state is the writer's; listings and their CSV import; venue calendars and their holiday
/// import; workflow tasks), a node that stands by passes the request as it came (method, path and query, body as a stream with its
/// <c>Content-Type</c>, JSON or <c>text/csv</c> alike, <c>Authorization</c>, <c>If-Match</c>, <c>Idempotency-Key</c>, and the
/// <c>Host</c> and scheme the caller used, as nginx passes them) to the leader's advertised URL (<see cref="ClusterOptions.AdvertisedUrl"/>,
/// read from the lease row) with one direct HTTP call, and answers with the leader's status, body and the headers that matter
/// (<c>ETag</c> and <c>Location</c> included), plus <c>X-Forwarded-To-Node</c> naming the node that carried it out. The depth and
/// quote reads are forwarded by their handlers only when the standby's followed view of the market data cannot answer them
/// (<see cref="WriterForwarding"/>).
/// <list type="bullet">
/// <item>The standby runs no stage of its own (it validates nothing, so nothing is evaluated twice; a CSV import's dry run included):
/// the leader runs them all, its 400s, 409s and 412s come back unchanged. The caller's token is valid on every node (the nodes share
/// the signing keys); the standby has checked it and the endpoint's role already, as the leader does again.</item>
/// <item>One hop at most: the forwarded request carries <c>X-TradSys-Forwarded-By</c>, and a node that receives one never forwards
/// it again; if it is not (or no longer) the leader its writer answers the standby's 503 "not carried out" as before.</item>
/// <item>No forwarding (the endpoint runs here and its writer answers 503 as before) when this node advertises no URL of its own
/// (<c>Cluster:AdvertisedUrl</c>: the setting is what turns forwarding on), or no leader's URL is known (none seen yet, or the
/// leader advertises none). The leader unreachable: 503 "not carried out"; no answer within
/// <see cref="ClusterOptions.ForwardTimeout"/>, or the connection lost after the request was sent: 503 "Outcome unknown", saying
/// what makes sending it again safe for that endpoint (<see cref="ForwardedToTheWriter"/>'s <c>resend</c>). A request that would
/// change nothing (a trading status with the reason in force, a reassignment to whom the task is assigned already, an import whose
/// every line is listed already) writes nothing and says so in its answer; a refused one (a decision already made, a booking already
/// booked) says what happened in its problem.</item>
/// </list>
/// The balancer's resend of a 503 (nginx's <c>proxy_next_upstream</c>) stays the fallback for what is not forwarded.
/// </summary>
public static class CommandForwarding
{
    /// <summary>On the forwarded request: the node that forwarded it (so it is never forwarded again).</summary>
    public const string ForwardedByHeader = "X-TradSys-Forwarded-By";

    /// <summary>On the answer to the caller: the node that carried the command out (the leader the standby forwarded it to).</summary>
    public const string ForwardedToNodeHeader = "X-Forwarded-To-Node";

    /// <summary>The named client of <see cref="IHttpClientFactory"/> the calls use.</summary>
    public const string HttpClientName = "cluster-forwarding";

    /// <summary>The caller's headers the leader needs to carry the request out as if it had been sent there.</summary>
    private static readonly string[] RequestHeaders = ["Authorization", "Idempotency-Key", "If-Match", "If-None-Match", "Accept", "Accept-Language"];

    /// <summary>The leader's headers the caller needs (the body's type and language are the content's).</summary>
    private static readonly string[] ResponseHeaders = ["Location", "ETag", "Retry-After", "WWW-Authenticate", "Content-Type", "Content-Language",
        "Idempotent-Replayed"];

    /// <summary>
    /// On a standby, this endpoint's request goes to the writer's leader (see <see cref="CommandForwarding"/>).
    /// <paramref name="resend"/> says what makes sending the same request again safe when the leader's answer never came (the 503
    /// "Outcome unknown"); by default the order commands' rules (a new order is idempotent by its clientOrderId, a cancel or amend
    /// already carried out is refused).
    /// </summary>
    public static TBuilder ForwardedToTheWriter<TBuilder>(this TBuilder builder, string? resend = null) where TBuilder : IEndpointConventionBuilder
    {
        if (resend is not null)
        {
            builder.WithMetadata(new ResendNote(resend));
        }
        return builder.AddEndpointFilter<TBuilder, Forwarder>();
    }

    /// <summary>What the 503 "Outcome unknown" of a forwarded read says: a read changes nothing, so sending it again is safe.</summary>
    public const string ReadResend = "this is a read, which changes nothing: sending it again is safe";

    /// <summary>The named HTTP client: no redirects, cookies or proxy; a short connect timeout (the leader is on the same network).</summary>
    internal static IServiceCollection AddCommandForwarding(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                AutomaticDecompression = DecompressionMethods.None,
            });
        services.AddSingleton<WriterForwarding>();
        return services;
    }

    /// <summary>An endpoint's own words on what makes a resend safe (<see cref="ForwardedToTheWriter"/>).</summary>
    private sealed record ResendNote(string Text);

    /// <summary>The endpoint filter: the request forwarded when this node stands by and can, the endpoint run here otherwise.</summary>
    private sealed class Forwarder(WriterForwarding forwarding) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            var resend = http.GetEndpoint()?.Metadata.GetMetadata<ResendNote>()?.Text;
            return await forwarding.TryForwardAsync(http, resend) ?? await next(context);
        }
    }

    /// <summary>
    /// Passing a request to the writer's leader (the filter's work; also called by a handler that forwards only when it cannot answer
    /// itself, as the depth and quote reads of a standby do when their followed view cannot answer).
    /// </summary>
    internal sealed class WriterForwarding(ClusterOptions options, IWriterLeadership leadership, IHttpClientFactory clients, ILogger<WriterForwarding> log)
    {
        /// <summary>
        /// The leader's answer (or the 503 of a failed forward) when this node stands by and forwards; null when the request is to run
        /// here: this node leads, forwards nothing (no <c>Cluster:AdvertisedUrl</c>), knows no leader's URL, or the request was forwarded
        /// to it already.
        /// </summary>
        public async Task<IResult?> TryForwardAsync(HttpContext http, string? resend)
        {
            var term = leadership.Current;
            if (!options.Enabled || options.AdvertisedUrl is null || term.Leads || term.LeaderUrl is not { } leaderUrl ||
                http.Request.Headers.ContainsKey(ForwardedByHeader))
            {
                return null;
            }
            var leader = term.Leader ?? "the leader";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(ClusterOptions.ForwardTimeout);
            try
            {
                using var request = Request(http, leaderUrl);
                using var response = await clients.CreateClient(HttpClientName)
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                return new LeadersAnswer(response, body, leader);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                log.LogWarning("A command forwarded to the writer's leader {Leader} at {Url} had no answer within {Timeout}", leader, leaderUrl,
                    ClusterOptions.ForwardTimeout);
                return Problems.OutcomeUnknown(
                    $"this node is a standby of the order writer and passed the command to node '{leader}', which writes shard '{term.Shard}', " +
                    $"but had no answer within {ClusterOptions.ForwardTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: " +
                    "the command may or may not have been carried out", resend);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Connection refused, the name not resolved, or the connect timeout (an OperationCanceledException of the handler's own):
                // the request never reached the leader. A connection lost after the request was sent is unknown as well.
                var sent = ex is HttpRequestException { HttpRequestError: not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                    or HttpRequestError.SecureConnectionError) };
                log.LogWarning(ex, "A command could not be forwarded to the writer's leader {Leader} at {Url}", leader, leaderUrl);
                return sent
                    ? Problems.OutcomeUnknown($"this node is a standby of the order writer and passed the command to node '{leader}', which writes " +
                        $"shard '{term.Shard}', but lost the connection before its answer ({ex.Message}): the command may or may not have been carried out",
                        resend)
                    : Problems.NotCarriedOut($"this node is a standby of the order writer; node '{leader}' writes shard '{term.Shard}' but could not be " +
                        $"reached at {leaderUrl} ({ex.Message}): the command was not carried out, send it again");
            }
        }

        /// <summary>The caller's request as the leader is to see it, marked as forwarded.</summary>
        private HttpRequestMessage Request(HttpContext http, Uri leaderUrl)
        {
            var incoming = http.Request;
            var target = new Uri(leaderUrl.AbsoluteUri.TrimEnd('/') + incoming.PathBase + incoming.Path + incoming.QueryString);
            var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
            foreach (var name in RequestHeaders)
            {
                if (incoming.Headers.TryGetValue(name, out var values))
                {
                    request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
            request.Headers.TryAddWithoutValidation(ForwardedByHeader, options.NodeName);
            // The request as the caller addressed it, as nginx passes it on: the token's issuer is the address the caller used (the
            // token endpoint's own base URI), which the leader checks against the request's; and the caller's address for the logs.
            request.Headers.Host = incoming.Host.Value;
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
            request.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
            if (http.Connection.RemoteIpAddress is { } caller)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", caller.ToString());
            }
            if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0 || incoming.ContentType is not null)
            {
                var content = new StreamContent(incoming.Body);
                if (incoming.ContentType is { } type)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
                content.Headers.ContentLength = incoming.ContentLength;
                request.Content = content;
            }
            return request;
        }
    }

    /// <summary>The leader's answer, as the caller gets it from the standby.</summary>
    private sealed class LeadersAnswer(HttpResponseMessage response, byte[] body, string leader) : IResult
    {
        private readonly int _status = (int)response.StatusCode;
        private readonly List<KeyValuePair<string, string[]>> _headers = [.. Headers(response)];

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var answer = httpContext.Response;
            answer.StatusCode = _status;
            foreach (var (name, values) in _headers)
            {
                answer.Headers[name] = values;
            }
            answer.Headers[ForwardedToNodeHeader] = leader;
            answer.ContentLength = body.Length;
            if (body.Length > 0)
            {
                await answer.Body.WriteAsync(body, httpContext.RequestAborted);
            }
        }

        private static IEnumerable<KeyValuePair<string, string[]>> Headers(HttpResponseMessage response)
        {
            foreach (var name in ResponseHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
                {
                    yield return new(name, [.. values]);
                }
            }
        }
    }
}

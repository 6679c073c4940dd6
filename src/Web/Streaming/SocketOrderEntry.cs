using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace TradSys.Web.Streaming;

/// <summary>
/// Order entry over the socket (<c>order.new</c>, <c>order.amend</c>, <c>order.cancel</c>): each request goes through this host's own
/// HTTP pipeline, in process, as <c>POST /api/v1/orders</c>, <c>PATCH /api/v1/orders/{id}</c> or <c>DELETE /api/v1/orders/{id}</c>
/// with the connection's access token, so it passes exactly what a REST request passes (authentication and revocation, the
/// <c>trade</c> policy, the order-entry throttle, validation, the pre-trade stages, the rules and workflows, the single writer)
/// and is answered with REST's status, body and <c>Retry-After</c>. Nothing is re-implemented here, so the two cannot drift.
/// </summary>
public sealed class SocketOrderEntry(IServiceScopeFactory scopes)
{
    private RequestDelegate? _pipeline;

    /// <summary>The host's request pipeline, captured when it is built (<see cref="StreamingExtensions"/>'s startup filter).</summary>
    internal void Capture(RequestDelegate pipeline) => _pipeline = pipeline;

    /// <summary>Runs one REST request in process and returns its status, JSON body and Retry-After (seconds), if any.</summary>
    /// <param name="method">POST, PATCH or DELETE.</param>
    /// <param name="path">The REST path.</param>
    /// <param name="body">The JSON body (empty for none).</param>
    /// <param name="authorization">The connection's Authorization header value.</param>
    /// <param name="idempotencyKey">An amendment's Idempotency-Key header value, or null.</param>
    /// <param name="origin">The WebSocket upgrade request, whose scheme, host and client address the request carries.</param>
    /// <param name="cancellationToken">The connection's lifetime.</param>
    internal async Task<SocketOrderResult> SendAsync(string method, string path, ReadOnlyMemory<byte> body, string authorization,
        string? idempotencyKey, SocketOrigin origin, CancellationToken cancellationToken)
    {
        var pipeline = _pipeline ?? throw new InvalidOperationException("the request pipeline was not captured at start");
        var features = new FeatureCollection();
        var request = new HttpRequestFeature
        {
            Method = method,
            Scheme = origin.Scheme,
            Path = path,
            PathBase = "",
            QueryString = "",
            RawTarget = path,
            Protocol = "HTTP/1.1",
            Body = new MemoryStream(body.ToArray(), writable: false),
        };
        request.Headers.Host = origin.Host.ToUriComponent();
        request.Headers.Authorization = authorization;
        request.Headers.Accept = "application/json";
        if (idempotencyKey is not null)
        {
            request.Headers[Apis.AmendKeys.Header] = idempotencyKey;
        }
        if (body.Length > 0)
        {
            request.Headers.ContentType = "application/json";
            request.Headers.ContentLength = body.Length;
        }
        features.Set<IHttpRequestFeature>(request);
        var response = new Response();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(response.Body));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            RemoteIpAddress = origin.RemoteAddress,
            LocalIpAddress = origin.LocalAddress,
            ConnectionId = origin.ConnectionId,
        });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature());
        var context = new DefaultHttpContext(features);
        await using var services = new RequestServicesFeature(context, scopes);
        features.Set<IServiceProvidersFeature>(services);
        try
        {
            await pipeline(context);
            await response.StartAsync();
        }
        finally
        {
            await response.CompleteAsync();
        }
        var retryAfter = response.Headers.RetryAfter is { Count: 1 } r && int.TryParse(r[0], out var seconds) ? seconds : (int?)null;
        return new SocketOrderResult(response.StatusCode, response.Body.ToArray(), retryAfter,
            response.Headers.ContainsKey(Apis.AmendKeys.ReplayedHeader));
    }

    /// <summary>A response held in memory, with the callbacks middleware registers run as a server would run them.</summary>
    private sealed class Response : IHttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public MemoryStream Body { get; } = new();
        public int StatusCode { get; set; } = StatusCodes.Status200OK;
        public string? ReasonPhrase { get; set; }
        public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();
        Stream IHttpResponseFeature.Body { get => Body; set => throw new NotSupportedException("the in-process response's body is fixed"); }
        public bool HasStarted { get; private set; }

        public void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task StartAsync()
        {
            if (HasStarted)
            {
                return;
            }
            HasStarted = true;
            for (var i = _starting.Count - 1; i >= 0; i--)
            {
                await _starting[i].Callback(_starting[i].State);
            }
        }

        public async Task CompleteAsync()
        {
            for (var i = _completed.Count - 1; i >= 0; i--)
            {
                await _completed[i].Callback(_completed[i].State);
            }
        }
    }
}

/// <summary>What the WebSocket upgrade request said of where the connection comes from.</summary>
internal sealed record SocketOrigin(string Scheme, HostString Host, IPAddress? RemoteAddress, IPAddress? LocalAddress, string ConnectionId)
{
    public static SocketOrigin Of(HttpContext http) => new(http.Request.Scheme, http.Request.Host, http.Connection.RemoteIpAddress,
        http.Connection.LocalIpAddress, http.Connection.Id);
}

/// <summary>
/// A REST answer: its status, its JSON body (an order, or problem details), Retry-After in seconds, and whether it was an amendment
/// answered as carried out already (REST's <c>Idempotent-Replayed</c>).
/// </summary>
internal sealed record SocketOrderResult(int Status, byte[] Body, int? RetryAfter, bool Replayed = false);

/// <summary>One connection's order entry: the pipeline, and the token and origin its requests carry.</summary>
internal sealed record SocketOrderEntryContext(SocketOrderEntry Entry, string Authorization, SocketOrigin Origin)
{
    public Task<SocketOrderResult> SendAsync(string method, string path, ReadOnlyMemory<byte> body, string? idempotencyKey,
        CancellationToken cancellationToken) =>
        Entry.SendAsync(method, path, body, Authorization, idempotencyKey, Origin, cancellationToken);
}

using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using TradSys.Web.Portal;

namespace TradSys.Portal.Tests.Components;

/// <summary>The REST API as the components see it, answered from canned JSON; records what was posted.</summary>
public sealed class StubApi : HttpMessageHandler, IHttpClientFactory
{
    public Dictionary<string, (HttpStatusCode Status, string Json)> Replies { get; } = new(StringComparer.Ordinal);

    public List<(string Method, string Path, string? Body, string? IfMatch)> Requests { get; } = [];

    /// <summary>Each request's If-None-Match header (null when absent), in the order of <see cref="Requests"/>.</summary>
    public List<string?> IfNoneMatch { get; } = [];

    /// <summary>A header to add to a reply (such as an ETag), by the same "METHOD /path" key as <see cref="Replies"/>.</summary>
    public Dictionary<string, (string Name, string Value)> ReplyHeaders { get; } = new(StringComparer.Ordinal);

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.PathAndQuery;
        Requests.Add((request.Method.Method, path, body, request.Headers.TryGetValues("If-Match", out var ifMatch) ? ifMatch.Single() : null));
        IfNoneMatch.Add(request.Headers.TryGetValues("If-None-Match", out var ifNoneMatch) ? ifNoneMatch.Single() : null);
        var key = $"{request.Method.Method} {request.RequestUri.AbsolutePath}";
        var (status, json) = Replies.TryGetValue(key, out var reply) ? reply : (HttpStatusCode.NotFound, "{\"title\":\"not stubbed\"}");
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ReplyHeaders.TryGetValue(key, out var header))
        {
            response.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        return response;
    }

    public PortalSession Session() => new(this,
        new PortalOptions("http://portal.test", "http://portal.test", TimeSpan.FromMinutes(30), TimeSpan.FromHours(8)),
        new EphemeralDataProtectionProvider(), TimeProvider.System, NullLogger<PortalSession>.Instance);

    /// <summary>The claims a signed-in portal user carries (the token values are never read by the stub).</summary>
    public static Claim[] SessionClaims() =>
    [
        new(PortalSession.ClaimTypes.AccessToken, "access"),
        new(PortalSession.ClaimTypes.RefreshToken, "refresh"),
        new(PortalSession.ClaimTypes.ExpiresAt, DateTimeOffset.UtcNow.AddHours(1).ToString("O")),
        new(PortalSession.ClaimTypes.SessionStarted, DateTimeOffset.UtcNow.ToString("O")),
    ];
}

using System.Buffers;
using System.Net.Http.Headers;

namespace TradSys.LoadTest.Http;

/// <summary>
/// The same exchange through <see cref="HttpClient"/> (SocketsHttpHandler, one pooled connection per worker), for
/// comparing the tool's own cost with the raw client's (<c>--client httpclient</c>).
/// </summary>
public sealed class HttpClientTransport : IHttpTransport
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client;
    private readonly Uri _base;
    private byte[] _body = ArrayPool<byte>.Shared.Rent(4096);
    private int _bodyLength;
    private string? _token;
    private string _authorization = "";

    public HttpClientTransport(HttpClient client, Uri baseAddress)
    {
        _client = client;
        _base = baseAddress;
    }

    public int Reconnects => 0;

    public ReadOnlyMemory<byte> ResponseBody => _body.AsMemory(0, _bodyLength);

    /// <summary>A client whose pool holds up to <paramref name="connections"/> keep-alive connections.</summary>
    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async ValueTask<int> ExchangeAsync(LoadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ReferenceEquals(request.BearerToken, _token))
        {
            _token = request.BearerToken;
            _authorization = _token is null ? "" : "Bearer " + _token;
        }
        using var message = new HttpRequestMessage(LoadRequest.Method(request.Verb), new Uri(_base, request.Path));
        if (_token is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }
        if (request.IdempotencyKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        if (request.Verb is HttpVerb.Post or HttpVerb.Patch)
        {
            message.Content = new ByteArrayContent(request.Body.WrittenSpan.ToArray());
            message.Content.Headers.ContentType = Json;
        }
        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _bodyLength = 0;
        while (true)
        {
            if (_bodyLength == _body.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_body.Length * 2);
                _body.AsSpan(0, _bodyLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_body);
                _body = bigger;
            }
            var read = await stream.ReadAsync(_body.AsMemory(_bodyLength), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            _bodyLength += read;
        }
        return (int)response.StatusCode;
    }

    public ValueTask DisposeAsync()
    {
        ArrayPool<byte>.Shared.Return(_body);
        _body = [];
        return ValueTask.CompletedTask;
    }
}

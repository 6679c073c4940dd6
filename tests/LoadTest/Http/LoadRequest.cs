using System.Buffers;

namespace TradSys.LoadTest.Http;

/// <summary>The HTTP methods the workloads use.</summary>
public enum HttpVerb
{
    Get,
    Post,
    Patch,
    Delete,
}

/// <summary>
/// One request as a workload describes it: method, path, bearer token and (for POST and PATCH) a JSON body. A transport
/// turns it into bytes. One instance per connection, reused for every request (the body buffer is cleared, not freed).
/// </summary>
public sealed class LoadRequest
{
    public HttpVerb Verb { get; set; }

    /// <summary>Absolute path with query, ASCII.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The access token, or null for no Authorization header.</summary>
    public string? BearerToken { get; set; }

    /// <summary>The JSON body; empty for GET and DELETE.</summary>
    public ArrayBufferWriter<byte> Body { get; } = new(1024);

    /// <summary>An <c>Idempotency-Key</c> header's value (visible ASCII), or null for none; cleared by <see cref="Reset"/>.</summary>
    public string? IdempotencyKey { get; set; }

    public void Reset(HttpVerb verb, string path)
    {
        Verb = verb;
        Path = path;
        IdempotencyKey = null;
        Body.ResetWrittenCount();
    }

    internal static ReadOnlySpan<byte> VerbBytes(HttpVerb verb) => verb switch
    {
        HttpVerb.Get => "GET "u8,
        HttpVerb.Post => "POST "u8,
        HttpVerb.Patch => "PATCH "u8,
        HttpVerb.Delete => "DELETE "u8,
        _ => throw new ArgumentOutOfRangeException(nameof(verb)),
    };

    internal static HttpMethod Method(HttpVerb verb) => verb switch
    {
        HttpVerb.Get => HttpMethod.Get,
        HttpVerb.Post => HttpMethod.Post,
        HttpVerb.Patch => HttpMethod.Patch,
        HttpVerb.Delete => HttpMethod.Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(verb)),
    };
}

/// <summary>One keep-alive connection's worth of request/response exchange, as the load loop uses it.</summary>
public interface IHttpTransport : IAsyncDisposable
{
    /// <summary>Sends the request and reads the whole response; returns the status code.</summary>
    ValueTask<int> ExchangeAsync(LoadRequest request, CancellationToken cancellationToken);

    /// <summary>The last response's body; valid until the next exchange.</summary>
    ReadOnlyMemory<byte> ResponseBody { get; }

    /// <summary>How many times the transport had to open a new connection after the first.</summary>
    int Reconnects { get; }
}

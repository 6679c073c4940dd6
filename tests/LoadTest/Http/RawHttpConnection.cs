using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TradSys.LoadTest.Http;

/// <summary>
/// A lean HTTP/1.1 keep-alive client over one socket: the request is formatted into a reused buffer (request line,
/// Host, Authorization, Content-Type and Content-Length, body), sent, and the response read by
/// <see cref="HttpResponseReader"/>. One request at a time; if the server answers Connection: close the next request
/// opens a new socket. It exists because the tool shares the machine's two cores with the server it measures: per
/// request it formats bytes and parses a status line and a few headers, and allocates nothing of its own.
/// </summary>
public sealed class RawHttpConnection : IHttpTransport
{
    private readonly IPEndPoint _endPoint;
    private readonly byte[] _hostHeader;
    private Socket? _socket;
    private HttpResponseReader? _reader;
    private byte[] _send = new byte[8 * 1024];
    private string? _token;
    private byte[] _authorization = [];
    private bool _opened;

    private RawHttpConnection(IPEndPoint endPoint)
    {
        _endPoint = endPoint;
        _hostHeader = Encoding.ASCII.GetBytes($"Host: {endPoint}\r\n");
    }

    public int Reconnects { get; private set; }

    public ReadOnlyMemory<byte> ResponseBody => _reader is null ? ReadOnlyMemory<byte>.Empty : _reader.BodyMemory;

    /// <summary>The reader of the current socket (tests look at its framing).</summary>
    internal HttpResponseReader? Reader => _reader;

    public static async Task<RawHttpConnection> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var connection = new RawHttpConnection(endPoint);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        CloseSocket();
        var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _reader = new HttpResponseReader((memory, ct) => socket.ReceiveAsync(memory, SocketFlags.None, ct));
        if (_opened)
        {
            Reconnects++;
        }
        _opened = true;
    }

    public async ValueTask<int> ExchangeAsync(LoadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_socket is null || _reader is null || !_reader.KeepAlive && _reader.StatusCode != 0)
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        var length = Format(request);
        var socket = _socket!;
        var sent = 0;
        while (sent < length)
        {
            sent += await socket.SendAsync(_send.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        return await _reader!.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the request's bytes into the send buffer; returns their length.</summary>
    internal int Format(LoadRequest request)
    {
        if (!ReferenceEquals(request.BearerToken, _token))
        {
            _token = request.BearerToken;
            _authorization = _token is null ? [] : Encoding.ASCII.GetBytes($"Authorization: Bearer {_token}\r\n");
        }
        var body = request.Body.WrittenSpan;
        var needed = 64 + request.Path.Length + _hostHeader.Length + _authorization.Length + body.Length + (request.IdempotencyKey?.Length + 20 ?? 0);
        if (needed > _send.Length)
        {
            _send = new byte[Math.Max(needed, _send.Length * 2)];
        }
        var span = _send.AsSpan();
        var at = 0;
        Append(span, ref at, LoadRequest.VerbBytes(request.Verb));
        at += Encoding.ASCII.GetBytes(request.Path, span[at..]);
        Append(span, ref at, " HTTP/1.1\r\n"u8);
        Append(span, ref at, _hostHeader);
        Append(span, ref at, _authorization);
        if (request.IdempotencyKey is { } key)
        {
            Append(span, ref at, "Idempotency-Key: "u8);
            at += Encoding.ASCII.GetBytes(key, span[at..]);
            Append(span, ref at, "\r\n"u8);
        }
        if (request.Verb is HttpVerb.Post or HttpVerb.Patch)
        {
            Append(span, ref at, "Content-Type: application/json\r\nContent-Length: "u8);
            Utf8Formatter.TryFormat(body.Length, span[at..], out var written);
            at += written;
            Append(span, ref at, "\r\n"u8);
        }
        Append(span, ref at, "\r\n"u8);
        Append(span, ref at, body);
        return at;
    }

    private static void Append(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    private void CloseSocket()
    {
        _reader?.Dispose();
        _reader = null;
        _socket?.Dispose();
        _socket = null;
    }

    public ValueTask DisposeAsync()
    {
        CloseSocket();
        return ValueTask.CompletedTask;
    }
}

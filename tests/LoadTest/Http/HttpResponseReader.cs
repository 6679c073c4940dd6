using System.Buffers;
using System.Buffers.Text;

namespace TradSys.LoadTest.Http;

/// <summary>
/// Reads HTTP/1.1 responses, one after the other, from a byte source (a keep-alive socket, or crafted bytes in tests):
/// the status line, the headers that frame the body (Content-Length, Transfer-Encoding: chunked, Connection), and the
/// body into a pooled buffer that stays valid until the next <see cref="ReadAsync"/>. Bytes that arrive after a
/// response (the start of the next one) are kept for the next call. Reads may split anywhere: in the status line, in a
/// header, in a chunk-size line, in a chunk.
/// </summary>
/// <remarks>
/// What it does not do, because the tool never asks for it: interim 1xx responses other than skipping them, trailers
/// other than skipping them, HTTP/2. A response without Content-Length or chunked framing runs to the end of the
/// connection and says KeepAlive = false.
/// </remarks>
public sealed class HttpResponseReader : IDisposable
{
    /// <summary>A status line or header longer than this is refused (a sane server never sends one).</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>A body larger than this is refused.</summary>
    public const int MaxBodyLength = 64 * 1024 * 1024;

    private readonly Func<Memory<byte>, CancellationToken, ValueTask<int>> _receive;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private byte[] _body;
    private int _bodyLength;
    private bool _eof;

    /// <param name="receive">Reads some bytes into the memory; returns 0 at the end of the stream.</param>
    /// <param name="bufferSize">Initial receive buffer size (grows for a long header line).</param>
    public HttpResponseReader(Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, int bufferSize = 16 * 1024)
    {
        _receive = receive;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _body = ArrayPool<byte>.Shared.Rent(4096);
    }

    /// <summary>The last response's status code.</summary>
    public int StatusCode { get; private set; }

    /// <summary>False when the last response said Connection: close, was HTTP/1.0 without keep-alive, or ran to the end of the stream.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>Whether the last response was chunked (for tests and diagnostics).</summary>
    public bool WasChunked { get; private set; }

    /// <summary>The last response's body (de-chunked); valid until the next read.</summary>
    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _bodyLength);

    /// <summary>The last response's body as memory; valid until the next read.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _body.AsMemory(0, _bodyLength);

    /// <summary>Bytes received and not yet consumed (the start of a following response).</summary>
    public int Buffered => _end - _start;

    /// <summary>Reads one whole response; returns its status code.</summary>
    /// <exception cref="IOException">The stream ended before the response was complete.</exception>
    /// <exception cref="InvalidDataException">The bytes are not an HTTP/1.x response.</exception>
    public async ValueTask<int> ReadAsync(CancellationToken cancellationToken)
    {
        _bodyLength = 0;
        if (_start == _end && !await TryFillAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("the server closed the connection");
        }
        while (true)
        {
            _bodyLength = 0;
            WasChunked = false;
            var (lineStart, lineLength) = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var (status, http11) = ParseStatusLine(_buffer.AsSpan(lineStart, lineLength));
            StatusCode = status;
            var keepAlive = http11;
            long contentLength = -1;
            var chunked = false;
            while (true)
            {
                (lineStart, lineLength) = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (lineLength == 0)
                {
                    break;
                }
                var line = _buffer.AsSpan(lineStart, lineLength);
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    throw new InvalidDataException($"malformed header line: '{Ascii(line)}'");
                }
                var name = line[..colon];
                var value = line[(colon + 1)..].Trim((byte)' ').Trim((byte)'\t');
                if (System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0)
                    {
                        throw new InvalidDataException($"bad Content-Length: '{Ascii(value)}'");
                    }
                    contentLength = length;
                }
                else if (System.Text.Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                {
                    chunked = ContainsToken(value, "chunked"u8);
                }
                else if (System.Text.Ascii.EqualsIgnoreCase(name, "Connection"u8))
                {
                    if (ContainsToken(value, "close"u8))
                    {
                        keepAlive = false;
                    }
                    else if (ContainsToken(value, "keep-alive"u8))
                    {
                        keepAlive = true;
                    }
                }
            }
            if (status is >= 100 and < 200)
            {
                // Interim response (100 Continue, 103 Early Hints): no body; the real one follows.
                continue;
            }
            KeepAlive = keepAlive;
            if (status is 204 or 304)
            {
                return status;
            }
            if (chunked)
            {
                WasChunked = true;
                await ReadChunkedBodyAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (contentLength >= 0)
            {
                if (contentLength > MaxBodyLength)
                {
                    throw new InvalidDataException($"Content-Length {contentLength} is over the tool's limit of {MaxBodyLength}");
                }
                await ReadBodyBytesAsync((int)contentLength, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                KeepAlive = false;
            }
            return status;
        }
    }

    private async ValueTask ReadChunkedBodyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (lineStart, lineLength) = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var line = _buffer.AsSpan(lineStart, lineLength);
            var semicolon = line.IndexOf((byte)';');
            var hex = (semicolon >= 0 ? line[..semicolon] : line).Trim((byte)' ');
            if (hex.IsEmpty || !Utf8Parser.TryParse(hex, out long size, out var used, 'x') || used != hex.Length || size < 0)
            {
                throw new InvalidDataException($"bad chunk size line: '{Ascii(line)}'");
            }
            if (size == 0)
            {
                // Trailers (none expected), then the empty line that ends the message.
                do
                {
                    (_, lineLength) = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
                while (lineLength != 0);
                return;
            }
            if (_bodyLength + size > MaxBodyLength)
            {
                throw new InvalidDataException($"chunked body over the tool's limit of {MaxBodyLength} bytes");
            }
            await ReadBodyBytesAsync((int)size, cancellationToken).ConfigureAwait(false);
            (_, lineLength) = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (lineLength != 0)
            {
                throw new InvalidDataException("chunk data not followed by CRLF");
            }
        }
    }

    /// <summary>Appends exactly <paramref name="count"/> bytes of body.</summary>
    private async ValueTask ReadBodyBytesAsync(int count, CancellationToken cancellationToken)
    {
        EnsureBodyCapacity(_bodyLength + count);
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
            var take = Math.Min(count, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(_body.AsSpan(_bodyLength));
            _bodyLength += take;
            _start += take;
            count -= take;
        }
    }

    private async ValueTask ReadToEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start == _end)
            {
                if (!await TryFillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            var take = _end - _start;
            if (_bodyLength + take > MaxBodyLength)
            {
                throw new InvalidDataException($"body over the tool's limit of {MaxBodyLength} bytes");
            }
            EnsureBodyCapacity(_bodyLength + take);
            _buffer.AsSpan(_start, take).CopyTo(_body.AsSpan(_bodyLength));
            _bodyLength += take;
            _start = _end;
        }
    }

    /// <summary>The next CRLF-terminated line (without the CRLF) as a range of the receive buffer, valid until the next fill.</summary>
    private async ValueTask<(int Start, int Length)> ReadLineAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start + searched, _end - _start - searched);
            var lf = available.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var end = _start + searched + lf;
                var start = _start;
                var length = end - start;
                if (length > 0 && _buffer[end - 1] == (byte)'\r')
                {
                    length--;
                }
                _start = end + 1;
                return (start, length);
            }
            searched = _end - _start;
            if (searched > MaxLineLength)
            {
                throw new InvalidDataException($"a status, header or chunk-size line longer than {MaxLineLength} bytes");
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (!await TryFillAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("the server closed the connection in the middle of a response");
        }
    }

    /// <summary>Receives more bytes after the unconsumed ones; false at the end of the stream.</summary>
    private async ValueTask<bool> TryFillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            return false;
        }
        if (_start > 0)
        {
            // Keep the unconsumed bytes at the front so the free space is contiguous.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var read = await _receive(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read <= 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }

    private void EnsureBodyCapacity(int needed)
    {
        if (needed <= _body.Length)
        {
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _body.Length * 2));
        _body.AsSpan(0, _bodyLength).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_body);
        _body = bigger;
    }

    private static (int Status, bool Http11) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.1 201 Created
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var used) || used != 3
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new InvalidDataException($"not an HTTP/1.x status line: '{Ascii(line)}'");
        }
        return (status, line[7] == (byte)'1');
    }

    private static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (System.Text.Ascii.EqualsIgnoreCase(value[range].Trim((byte)' '), token))
            {
                return true;
            }
        }
        return false;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) =>
        System.Text.Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 200)]);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_body);
        _buffer = [];
        _body = [];
    }
}

using System.Text;
using TradSys.LoadTest.Http;

namespace TradSys.LoadTest.Tests.Http;

public class HttpResponseReaderTests
{
    private const string Chunked =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nTransfer-Encoding: chunked\r\nLocation: /api/v1/orders/1\r\n\r\n" +
        "7\r\n{\"a\":12\r\n" +
        "a;ext=1\r\n,\"b\":\"xyz\"\r\n" +
        "1\r\n}\r\n" +
        "0\r\n\r\n";

    private const string ContentLength = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nServer: Kestrel\r\n\r\nhello world";

    [Fact]
    public async Task Content_length_body_is_read_whole()
    {
        var reader = Reader(ContentLength);
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("hello world", Text(reader));
        Assert.True(reader.KeepAlive);
        Assert.False(reader.WasChunked);
    }

    [Fact]
    public async Task Chunked_body_is_joined_and_chunk_extensions_are_ignored()
    {
        var reader = Reader(Chunked);
        Assert.Equal(201, await reader.ReadAsync(default));
        Assert.Equal("{\"a\":12,\"b\":\"xyz\"}", Text(reader));
        Assert.True(reader.WasChunked);
        Assert.True(reader.KeepAlive);
        Assert.Equal(0, reader.Buffered);
    }

    [Fact]
    public async Task Trailers_after_the_last_chunk_are_skipped()
    {
        var reader = Reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n" + ContentLength);
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("abc", Text(reader));
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("hello world", Text(reader));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task Reads_split_anywhere_give_the_same_responses(int piece)
    {
        // Both responses back to back (keep-alive), delivered a few bytes at a time: every boundary falls somewhere.
        var reader = Reader(Chunked + ContentLength, piece);
        Assert.Equal(201, await reader.ReadAsync(default));
        Assert.Equal("{\"a\":12,\"b\":\"xyz\"}", Text(reader));
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("hello world", Text(reader));
    }

    [Fact]
    public async Task Every_split_point_of_a_chunked_response_parses()
    {
        var bytes = Encoding.ASCII.GetBytes(Chunked);
        for (var split = 1; split < bytes.Length; split++)
        {
            var reader = new HttpResponseReader(Source([bytes[..split], bytes[split..]]));
            Assert.Equal(201, await reader.ReadAsync(default));
            Assert.Equal("{\"a\":12,\"b\":\"xyz\"}", Text(reader));
        }
    }

    [Fact]
    public async Task Two_responses_in_one_read_are_read_one_after_the_other()
    {
        var reader = new HttpResponseReader(Source([Encoding.ASCII.GetBytes(ContentLength + Chunked)]));
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.True(reader.Buffered > 0);
        Assert.Equal(201, await reader.ReadAsync(default));
        Assert.Equal("{\"a\":12,\"b\":\"xyz\"}", Text(reader));
    }

    [Fact]
    public async Task Connection_close_and_http_1_0_are_not_keep_alive()
    {
        var close = Reader("HTTP/1.1 409 Conflict\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Equal(409, await close.ReadAsync(default));
        Assert.False(close.KeepAlive);

        var old = Reader("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Equal(200, await old.ReadAsync(default));
        Assert.False(old.KeepAlive);

        var oldKeepAlive = Reader("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Equal(200, await oldKeepAlive.ReadAsync(default));
        Assert.True(oldKeepAlive.KeepAlive);
    }

    [Fact]
    public async Task Header_names_are_case_insensitive()
    {
        var reader = Reader("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc");
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("abc", Text(reader));
    }

    [Fact]
    public async Task An_interim_100_continue_is_skipped()
    {
        var reader = Reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        Assert.Equal(201, await reader.ReadAsync(default));
        Assert.Equal("ok", Text(reader));
    }

    [Fact]
    public async Task A_204_has_no_body_even_when_more_bytes_follow()
    {
        var reader = Reader("HTTP/1.1 204 No Content\r\n\r\n" + ContentLength);
        Assert.Equal(204, await reader.ReadAsync(default));
        Assert.Equal("", Text(reader));
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("hello world", Text(reader));
    }

    [Fact]
    public async Task A_body_without_framing_runs_to_the_end_of_the_connection()
    {
        var reader = Reader("HTTP/1.1 200 OK\r\n\r\nuntil the end", 4);
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal("until the end", Text(reader));
        Assert.False(reader.KeepAlive);
    }

    [Fact]
    public async Task A_large_chunked_body_grows_the_buffers()
    {
        var chunk = new string('x', 40_000);
        var reader = Reader($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{chunk.Length:x}\r\n{chunk}\r\n{chunk.Length:x}\r\n{chunk}\r\n0\r\n\r\n", 1500);
        Assert.Equal(200, await reader.ReadAsync(default));
        Assert.Equal(80_000, reader.Body.Length);
    }

    [Fact]
    public async Task A_connection_closed_before_an_answer_is_an_io_error()
    {
        var reader = Reader("");
        var error = await Assert.ThrowsAsync<IOException>(async () => await reader.ReadAsync(default));
        Assert.Contains("closed the connection", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-")]
    public async Task A_response_cut_short_is_an_io_error(string text)
    {
        var reader = Reader(text);
        var error = await Assert.ThrowsAsync<IOException>(async () => await reader.ReadAsync(default));
        Assert.Contains("in the middle of a response", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SMTP 220 ready\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXX\r\n")]
    public async Task Bytes_that_are_not_http_are_refused(string text)
    {
        var reader = Reader(text);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(default));
    }

    private static string Text(HttpResponseReader reader) => Encoding.UTF8.GetString(reader.Body);

    private static HttpResponseReader Reader(string text, int piece = int.MaxValue)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var pieces = new List<byte[]>();
        for (var i = 0; i < bytes.Length; i += piece)
        {
            pieces.Add(bytes[i..Math.Min(bytes.Length, i + (piece == int.MaxValue ? bytes.Length : piece))]);
        }
        return new HttpResponseReader(Source(pieces));
    }

    /// <summary>A byte source that hands out the given pieces, one per read (split further when the buffer is smaller), then the end.</summary>
    private static Func<Memory<byte>, CancellationToken, ValueTask<int>> Source(IReadOnlyList<byte[]> pieces)
    {
        var queue = new Queue<byte[]>(pieces);
        return (memory, _) =>
        {
            if (!queue.TryDequeue(out var piece))
            {
                return ValueTask.FromResult(0);
            }
            var n = Math.Min(piece.Length, memory.Length);
            piece.AsSpan(0, n).CopyTo(memory.Span);
            if (n < piece.Length)
            {
                var rest = new Queue<byte[]>();
                rest.Enqueue(piece[n..]);
                while (queue.TryDequeue(out var p))
                {
                    rest.Enqueue(p);
                }
                queue = rest;
            }
            return ValueTask.FromResult(n);
        };
    }
}

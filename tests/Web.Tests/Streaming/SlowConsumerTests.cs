using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Auth;
using TradSys.Web.Streaming;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// A client that stops reading. The test server's in-memory WebSocket never pushes back, so the connection here runs over a
/// real (managed) WebSocket on a pipe that holds at most 512 unread bytes, as a TCP connection to a stalled client would; the
/// orders and market data come from the whole platform through REST.
/// </summary>
public sealed class SlowConsumerTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    private sealed class Harness : IAsyncDisposable
    {
        public required WebSocket Client { get; init; }
        public required WebSocket Server { get; init; }
        public required StreamConnection Connection { get; init; }
        public required Task Run { get; init; }

        public Task SendAsync(string json) => Client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

        /// <summary>The next message, or the close frame (as a JSON object with "close" and "reason").</summary>
        public async Task<JsonNode> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await Client.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new JsonObject { ["close"] = (int)result.CloseStatus!.Value, ["reason"] = result.CloseStatusDescription };
                }
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            return JsonNode.Parse(message.ToArray())!;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Abort();
            Server.Abort();
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
            Client.Dispose();
            Server.Dispose();
        }
    }

    private Harness Connect(int queueCapacity)
    {
        var toClient = new Pipe(new PipeOptions(pauseWriterThreshold: 512, resumeWriterThreshold: 256));
        var toServer = new Pipe();
        var noPing = TimeSpan.Zero;
        var server = WebSocket.CreateFromStream(new Duplex(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = noPing });
        var client = WebSocket.CreateFromStream(new Duplex(toClient.Reader.AsStream(), toServer.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = noPing });
        var services = _platform.Services;
        // trader1 (user 2, account 1001), with a token good for an hour, as /ws would have authenticated it.
        var caller = new Caller(2, "trader1", new HashSet<string>([Roles.Trader], StringComparer.Ordinal));
        var token = new AccessTokenEntry(new ClaimsPrincipal(), DateTimeOffset.UtcNow.AddHours(1), null, null, "2", 0);
        var options = new StreamingOptions { SendQueueCapacity = queueCapacity, CloseTimeoutSeconds = 30 };
        var connection = new StreamConnection(server, services.GetRequiredService<StreamHub>(), options, caller, token, [1001],
            services.GetRequiredService<RevocationSet>(), TimeProvider.System, services.GetRequiredService<IServiceScopeFactory>(),
            new SocketOrderEntryContext(services.GetRequiredService<SocketOrderEntry>(), "Bearer none",
                new SocketOrigin("http", new Microsoft.AspNetCore.Http.HostString("localhost"), null, null, "slow-consumer-test")));
        return new Harness { Client = client, Server = server, Connection = connection, Run = connection.RunAsync(CancellationToken.None) };
    }

    [Fact]
    public async Task Order_updates_are_never_dropped_a_client_that_cannot_take_them_is_closed_as_a_slow_consumer()
    {
        await using var harness = Connect(queueCapacity: 4);
        await harness.SendAsync("""{"op":"subscribe","channel":"order_updates"}""");
        var trader1 = await _platform.ClientForAsync("trader1");
        for (var i = 0; i < 60 && !harness.Connection.CloseRequested; i++)
        {
            (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 10)).Expect(HttpStatusCode.Created);
            await Task.Delay(20);
        }
        Assert.True(harness.Connection.CloseRequested, "the connection was not closed although its client read nothing");
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "slow consumer"), harness.Connection.Closed);

        // The client reads again: what was sent before, then the close frame with the reason; the updates sent are in order.
        var messages = new List<JsonNode>();
        JsonNode next;
        while ((next = await harness.ReceiveAsync())["close"] is null)
        {
            messages.Add(next);
        }
        Assert.Equal((int)WebSocketCloseStatus.PolicyViolation, next["close"]!.GetValue<int>());
        Assert.Equal("slow consumer", next["reason"]!.GetValue<string>());
        Assert.Equal("welcome", messages[0]["type"]!.GetValue<string>());
        var sequences = messages.Where(m => m["type"]!.GetValue<string>() == "order_update").Select(m => m["sequence"]!.GetValue<long>()).ToList();
        Assert.NotEmpty(sequences);
        Assert.Equal(sequences.Order(), sequences);
    }

    [Fact]
    public async Task Market_data_for_a_slow_client_is_conflated_to_the_latest_state_and_flagged()
    {
        await using var harness = Connect(queueCapacity: 4);
        await harness.SendAsync("""{"op":"subscribe","channel":"market_data","symbol":"COMI.INT"}""");
        var trader1 = await _platform.ClientForAsync("trader1");
        const int orders = 15;
        for (var i = 0; i < orders; i++)
        {
            // A new price level each time: every order is one market-data update of COMI.INT.
            (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m - i * 0.05m, 10)).Expect(HttpStatusCode.Created);
        }

        var referenceData = _platform.Services.GetRequiredService<TradSys.Web.ReferenceData.ReferenceDataCache>();
        Assert.True(_platform.Services.GetRequiredService<TradSys.Web.Ordering.CommittedQuotes>()
            .TryGetBook(referenceData.Get("COMI.INT").Spec.Id, out var committed));
        var messages = new List<JsonNode>();
        long last = -1;
        while (last < committed.Sequence)
        {
            var message = await harness.ReceiveAsync();
            Assert.Null(message["close"]);
            messages.Add(message);
            if (IsMarketData(message))
            {
                var sequence = message["sequence"]!.GetValue<long>();
                Assert.True(sequence > last, $"sequence {sequence} after {last}");
                last = sequence;
            }
        }
        Assert.False(harness.Connection.CloseRequested);
        var conflated = messages.Where(m => m["conflated"]?.GetValue<bool>() == true).ToList();
        Assert.NotEmpty(conflated);
        Assert.True(messages.Count(m => IsMarketData(m)) < orders + 1, "some updates were conflated away");
        // The last state the client has is the whole book: every order's level.
        var book = new Dictionary<decimal, long>();
        foreach (var m in messages.Where(m => IsMarketData(m)))
        {
            if (m["type"]!.GetValue<string>() == "snapshot")
            {
                book.Clear();
            }
            foreach (var level in m["bids"]!.AsArray())
            {
                book[level!["price"]!.GetValue<decimal>()] = level["quantity"]!.GetValue<long>();
            }
        }
        Assert.Equal(10, book.Count(l => l.Value > 0)); // the top 10 levels of 15
        Assert.Equal(79.00m, book.Where(l => l.Value > 0).Max(l => l.Key));
    }

    private static bool IsMarketData(JsonNode message) => message["type"]!.GetValue<string>() is "snapshot" or "update";

    /// <summary>One stream over two pipes' ends, as a socket is.</summary>
    private sealed class Duplex(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => write.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            read.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            write.WriteAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                read.Dispose();
                write.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

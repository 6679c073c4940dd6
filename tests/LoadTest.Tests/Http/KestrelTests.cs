using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradSys.LoadTest.Floor;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Orders;

namespace TradSys.LoadTest.Tests.Http;

/// <summary>The raw client against a real Kestrel on 127.0.0.1: framing as Kestrel sends it, keep-alive, Connection: close.</summary>
public sealed class KestrelTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private WebApplication _floor = null!;
    private IPEndPoint _endPoint = null!;
    private IPEndPoint _floorEndPoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/fixed", async (HttpContext http) =>
        {
            http.Response.ContentLength = 10;
            await http.Response.WriteAsync("0123456789");
        });
        _app.MapGet("/chunked", async (HttpContext http, int parts, int size) =>
        {
            for (var i = 0; i < parts; i++)
            {
                await http.Response.WriteAsync(new string((char)('a' + i % 26), size));
                await http.Response.Body.FlushAsync();
            }
        });
        _app.MapGet("/close", async (HttpContext http) =>
        {
            http.Response.Headers.Connection = "close";
            await http.Response.WriteAsync("bye");
        });
        _app.MapPost("/echo", async (HttpContext http) =>
        {
            using var body = new StreamReader(http.Request.Body);
            var text = await body.ReadToEndAsync();
            http.Response.StatusCode = 201;
            await http.Response.WriteAsync($"{http.Request.Headers.Authorization}|{http.Request.ContentType}|{text}|{http.Request.Headers["Idempotency-Key"]}");
        });
        await _app.StartAsync();
        _endPoint = EndPointOf(_app);
        _floor = FloorServer.Build(0);
        await _floor.StartAsync();
        _floorEndPoint = EndPointOf(_floor);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _floor.DisposeAsync();
    }

    private static IPEndPoint EndPointOf(WebApplication app)
    {
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return Loopback.EndPointOf(address);
    }

    [Fact]
    public async Task Content_length_and_chunked_answers_follow_each_other_on_one_connection()
    {
        await using var connection = await RawHttpConnection.ConnectAsync(_endPoint, default);
        var request = new LoadRequest();
        for (var round = 0; round < 3; round++)
        {
            request.Reset(HttpVerb.Get, "/fixed");
            Assert.Equal(200, await connection.ExchangeAsync(request, default));
            Assert.Equal("0123456789", Encoding.ASCII.GetString(connection.ResponseBody.Span));
            Assert.False(connection.Reader!.WasChunked);

            request.Reset(HttpVerb.Get, "/chunked?parts=5&size=3000");
            Assert.Equal(200, await connection.ExchangeAsync(request, default));
            Assert.True(connection.Reader!.WasChunked);
            var body = Encoding.ASCII.GetString(connection.ResponseBody.Span);
            Assert.Equal(15_000, body.Length);
            Assert.Equal(new string('e', 3000), body[12_000..]);
        }
        Assert.Equal(0, connection.Reconnects);
    }

    [Fact]
    public async Task A_body_and_the_bearer_token_reach_the_server()
    {
        await using var connection = await RawHttpConnection.ConnectAsync(_endPoint, default);
        var request = new LoadRequest { BearerToken = "abc.def" };
        request.Reset(HttpVerb.Post, "/echo");
        request.Body.Write("{\"x\":1}"u8);
        Assert.Equal(201, await connection.ExchangeAsync(request, default));
        Assert.Equal("Bearer abc.def|application/json|{\"x\":1}|", Encoding.UTF8.GetString(connection.ResponseBody.Span));

        // An idempotency key goes as its header; the next request, reset, goes without one.
        request.Reset(HttpVerb.Post, "/echo");
        request.IdempotencyKey = "run7-3-a12";
        request.Body.Write("{}"u8);
        Assert.Equal(201, await connection.ExchangeAsync(request, default));
        Assert.Equal("Bearer abc.def|application/json|{}|run7-3-a12", Encoding.UTF8.GetString(connection.ResponseBody.Span));
        request.Reset(HttpVerb.Post, "/echo");
        request.Body.Write("{}"u8);
        Assert.Equal(201, await connection.ExchangeAsync(request, default));
        Assert.Equal("Bearer abc.def|application/json|{}|", Encoding.UTF8.GetString(connection.ResponseBody.Span));
    }

    [Fact]
    public async Task Connection_close_makes_the_next_request_reconnect()
    {
        await using var connection = await RawHttpConnection.ConnectAsync(_endPoint, default);
        var request = new LoadRequest();
        request.Reset(HttpVerb.Get, "/close");
        Assert.Equal(200, await connection.ExchangeAsync(request, default));
        Assert.Equal("bye", Encoding.ASCII.GetString(connection.ResponseBody.Span));
        Assert.False(connection.Reader!.KeepAlive);
        request.Reset(HttpVerb.Get, "/fixed");
        Assert.Equal(200, await connection.ExchangeAsync(request, default));
        Assert.Equal(1, connection.Reconnects);
    }

    [Fact]
    public async Task The_floor_answers_an_order_201_and_its_reply_parses()
    {
        await using var connection = await RawHttpConnection.ConnectAsync(_floorEndPoint, default);
        var instruments = new[] { InstrumentInfo.FloorDefault("COMI.INT") };
        var flow = new OrderFlow(0, [new TradingAccount(1001, "trader1", "token")], instruments, new OrderMix(100, 0, 0), 1, "t", null);
        var request = new LoadRequest();
        var stats = new TradSys.LoadTest.Load.SessionStats();
        for (var i = 0; i < 20; i++)
        {
            var kind = flow.Next(request);
            var status = await connection.ExchangeAsync(request, default);
            Assert.Equal(201, status);
            flow.OnAnswer(kind, status, connection.ResponseBody.Span, stats);
        }
        Assert.Equal(0, stats.BadReplies);
        Assert.Equal(20, stats.NewOrderOutcomes["Accepted"]);
        Assert.Equal(20, flow.WorkingCount);
    }

    [Fact]
    public async Task The_floor_serves_amends_cancels_and_quotes()
    {
        await using var connection = await RawHttpConnection.ConnectAsync(_floorEndPoint, default);
        var request = new LoadRequest();
        request.Reset(HttpVerb.Patch, "/api/v1/orders/5");
        request.Body.Write("{\"price\":80.01}"u8);
        Assert.Equal(200, await connection.ExchangeAsync(request, default));
        var reply = new OrderReply();
        Assert.True(reply.TryParse(connection.ResponseBody.Span));
        Assert.Equal(5, reply.OrderId);
        Assert.Equal(80.01m, reply.Price);

        request.Reset(HttpVerb.Delete, "/api/v1/orders/5");
        Assert.Equal(200, await connection.ExchangeAsync(request, default));
        Assert.True(reply.TryParse(connection.ResponseBody.Span));
        Assert.Equal(ReplyStatus.Canceled, reply.Status);

        request.Reset(HttpVerb.Get, "/api/v1/instruments/COMI.INT/quote");
        Assert.Equal(200, await connection.ExchangeAsync(request, default));
        Assert.Contains("\"symbol\":\"COMI.INT\"", Encoding.UTF8.GetString(connection.ResponseBody.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClient_transport_reads_the_same_answers()
    {
        using var client = HttpClientTransport.CreateClient(1);
        await using var transport = new HttpClientTransport(client, new Uri($"http://{_endPoint}"));
        var request = new LoadRequest { BearerToken = "t" };
        request.Reset(HttpVerb.Get, "/chunked?parts=3&size=10");
        Assert.Equal(200, await transport.ExchangeAsync(request, default));
        Assert.Equal("aaaaaaaaaabbbbbbbbbbcccccccccc", Encoding.ASCII.GetString(transport.ResponseBody.Span));
        request.Reset(HttpVerb.Post, "/echo");
        request.IdempotencyKey = "k-1";
        request.Body.Write("{}"u8);
        Assert.Equal(201, await transport.ExchangeAsync(request, default));
        Assert.Equal("Bearer t|application/json|{}|k-1", Encoding.UTF8.GetString(transport.ResponseBody.Span));
    }
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// A test client of <c>/ws</c> over the in-memory test server (ASP.NET Core's TestHost WebSocket client, which hands back a
/// System.Net.WebSockets.WebSocket): sends JSON, reads messages one at a time, and reports how the server closed. Not yet the
/// typed client library issue 17 asks for.
/// </summary>
public sealed class StreamClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private StreamClient(WebSocket socket) => Socket = socket;

    public WebSocket Socket { get; }

    /// <summary>Connects with a client-credentials token of <paramref name="clientId"/> in the Authorization header.</summary>
    public static async Task<StreamClient> ConnectAsync(PlatformFactory platform, string clientId)
    {
        var token = await TokenAsync(platform, clientId);
        return await ConnectAsync(platform, token, inQuery: false);
    }

    /// <summary>Connects with <paramref name="token"/> (none: anonymous) in the header or in <c>?access_token=</c>.</summary>
    public static Task<StreamClient> ConnectAsync(PlatformFactory platform, string? token, bool inQuery) =>
        ConnectAsync(platform.Server, token, inQuery);

    /// <summary>Connects to any test server (another platform factory's, such as a cluster node's) with <paramref name="token"/>.</summary>
    public static async Task<StreamClient> ConnectAsync(Microsoft.AspNetCore.TestHost.TestServer server, string? token, bool inQuery = false)
    {
        var client = server.CreateWebSocketClient();
        if (token is not null && !inQuery)
        {
            client.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
        }
        var uri = new Uri(server.BaseAddress, token is not null && inQuery ? "/ws?access_token=" + Uri.EscapeDataString(token) : "/ws");
        var socket = await client.ConnectAsync(new Uri("ws://" + uri.Authority + uri.PathAndQuery), CancellationToken.None);
        var stream = new StreamClient(socket);
        var welcome = await stream.NextAsync("welcome");
        Assert.True(welcome["heartbeatSeconds"]!.GetValue<int>() > 0);
        return stream;
    }

    public static async Task<string> TokenAsync(PlatformFactory platform, string clientId)
    {
        var api = await platform.ClientForAsync(clientId);
        return api.Http.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    public Task SendAsync(object message) => SendTextAsync(System.Text.Json.JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message (heartbeats included); fails when the server closes or nothing comes in time.</summary>
    public async Task<JsonNode> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(buffer, timeout.Token);
            Assert.True(result.MessageType != WebSocketMessageType.Close,
                $"the server closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    /// <summary>The next message of <paramref name="type"/>, skipping heartbeats only (anything else first fails the test).</summary>
    public async Task<JsonNode> NextAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            var actual = message["type"]!.GetValue<string>();
            if (actual == "heartbeat" && type != "heartbeat")
            {
                continue;
            }
            Assert.True(actual == type, $"expected a {type} message, got {message.ToJsonString()}");
            return message;
        }
    }

    /// <summary>The next message matching <paramref name="match"/>, skipping any others (heartbeats, other symbols' updates).</summary>
    public async Task<JsonNode> FirstAsync(Func<JsonNode, bool> match)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>Reads until the server's close frame; returns its status and reason (messages before it are returned too).</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason, List<JsonNode> Before)> ClosedAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        var before = new List<JsonNode>();
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (result.CloseStatus, result.CloseStatusDescription, before);
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                before.Add(JsonNode.Parse(message.ToArray())!);
                message.SetLength(0);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Socket.Abort();
            }
        }
        Socket.Dispose();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TradSys.LoadTest.Floor;

/// <summary>
/// The floor: the least an HTTP endpoint on this machine can do for the same requests, to measure the platform against
/// in the same run. Plain Kestrel on 127.0.0.1 with minimal-API routing and System.Text.Json, no authentication, no
/// logging: POST /api/v1/orders parses the body into <see cref="FloorOrderRequest"/> (the platform's request fields) and
/// answers 201 with a small order reply; PATCH and DELETE /api/v1/orders/{id} parse likewise and answer 200 (so the same
/// amend and cancel mix runs against it); GET /api/v1/instruments/{symbol}/quote answers 200 with a quote-shaped object.
/// The bearer token the requests carry is not looked at.
/// </summary>
public static class FloorServer
{
    public static WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.AddServerHeader = false;
        });
        var app = builder.Build();
        long ids = 0;
        app.MapPost("/api/v1/orders", (FloorOrderRequest order) =>
        {
            var id = Interlocked.Increment(ref ids);
            return TypedResults.Created($"/api/v1/orders/{id}", new FloorOrderReply(id, order.ClientOrderId, order.AccountId, order.Symbol,
                order.Side, order.Price, (long)(order.Quantity ?? 0), 0, (long)(order.Quantity ?? 0), "Accepted", []));
        });
        app.MapPatch("/api/v1/orders/{id:long}", (long id, FloorAmendRequest amend) =>
            TypedResults.Ok(new FloorOrderReply(id, null, null, null, null, amend.Price, (long)(amend.Quantity ?? 10), 0,
                (long)(amend.Quantity ?? 10), "Accepted", [])));
        app.MapDelete("/api/v1/orders/{id:long}", (long id) =>
            TypedResults.Ok(new FloorOrderReply(id, null, null, null, null, null, 10, 0, 0, "Canceled", null)));
        app.MapGet("/api/v1/instruments/{symbol}/quote", (string symbol) =>
            TypedResults.Ok(new FloorQuote(symbol, "EGP", 80.49m, 100, 80.51m, 200, 80.50m, 10, 12_345, 678, 993_772.50m,
                80.00m, 81.20m, 79.80m, 80.47m, DateTime.UtcNow, "Continuous", null, 0)));
        return app;
    }

    /// <summary>Runs the floor until stdin closes (when started by the tool), a signal, or <paramref name="maxSeconds"/>.</summary>
    public static async Task<int> RunAsync(int port, int maxSeconds, bool stopOnStdinClose)
    {
        await using var app = Build(port);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine($"floor listening on {address}");
        Console.Out.Flush();
        var stopping = new TaskCompletionSource();
        app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        var stops = new List<Task> { stopping.Task, Task.Delay(TimeSpan.FromSeconds(maxSeconds)) };
        if (stopOnStdinClose)
        {
            stops.Add(Task.Run(async () =>
            {
                while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
                {
                }
            }));
        }
        await Task.WhenAny(stops).ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }
}

/// <summary>The platform's order request fields (SubmitOrderRequest), so the floor's JSON work is the same.</summary>
public sealed record FloorOrderRequest(long? AccountId, string? ClientOrderId, string? Symbol, string? Side, string? Type,
    string? TimeInForce, decimal? Price, decimal? Quantity, decimal? StopPrice = null, decimal? DisplayQuantity = null,
    DateTimeOffset? ExpireAt = null, string? ShortMarking = null, string? LocateId = null, bool? UsesMargin = null, bool? Advised = null,
    string? CounterpartyLei = null, string? Uti = null, bool? Cleared = null, decimal? MarkupBps = null, bool? MarkupDisclosed = null);

/// <summary>The platform's amend request fields.</summary>
public sealed record FloorAmendRequest(decimal? Price, decimal? Quantity, decimal? StopPrice = null);

/// <summary>A small order reply with the fields the tool reads.</summary>
public sealed record FloorOrderReply(long OrderId, string? ClientOrderId, long? AccountId, string? Symbol, string? Side, decimal? Price,
    long Quantity, long FilledQuantity, long LeavesQuantity, string Status, IReadOnlyList<object>? Trades);

/// <summary>A level-1 quote shaped like the platform's.</summary>
public sealed record FloorQuote(string Symbol, string Currency, decimal? Bid, long BidQuantity, decimal? Ask, long AskQuantity,
    decimal? Last, long LastQuantity, long Volume, long Trades, decimal Turnover, decimal? Open, decimal? High, decimal? Low,
    decimal? Vwap, DateTime AsOf, string Phase, decimal? IndicativePrice, long IndicativeVolume);

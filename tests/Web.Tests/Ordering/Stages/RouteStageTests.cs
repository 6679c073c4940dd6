using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Stages;

/// <summary>
/// The route stage (src/Web/Ordering/Stages/RouteStage.cs) with EGX routed to a FIX session whose venue does not answer: an
/// EGX order is refused at once with the reason, nothing is queued, and an order on the internal venue still matches as before.
/// (The routed order going out and its fill coming back are tested against QuickFIX C++ in the integration tests.)
/// </summary>
public sealed class RouteStageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset ContinuousTrading = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero); // Thursday 11:30 in Cairo

    private readonly PlatformFactory _platform = new()
    {
        Settings = new()
        {
            ["Fix:Sessions:0:Name"] = "egx-primary", ["Fix:Sessions:0:Host"] = "127.0.0.1",
            ["Fix:Sessions:0:Port"] = ClosedLoopbackPort().ToString(CultureInfo.InvariantCulture),
            ["Fix:Sessions:0:SenderCompId"] = "BROKER1", ["Fix:Sessions:0:TargetCompId"] = "EGX",
            ["Fix:Sessions:0:ReconnectSeconds"] = "60", ["Fix:Sessions:0:MaxReconnectSeconds"] = "60",
            ["Routing:Venues:EGX:Session"] = "egx-primary",
        },
    };

    public Task InitializeAsync()
    {
        _platform.Clock.Fixed = ContinuousTrading;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task An_order_for_a_venue_whose_session_is_down_is_refused_at_once_naming_the_venue_and_the_session_state()
    {
        var trader1 = await _platform.ClientForAsync("trader1");

        var reply = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100, clientOrderId: "route-down-1")).Expect(HttpStatusCode.Created);

        Assert.Equal("Rejected", reply.Str("status"));
        Assert.Equal(5001, reply.Json["rejectCode"]!.GetValue<int>());
        Assert.Equal("venue EGX is not reachable: its FIX session 'egx-primary' is Disconnected, not logged on; the order was not sent " +
                     "(nothing is queued: send it again once the venue is back)", reply.Str("rejectReason"));
        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var order = db.Orders.Single(o => o.Id == reply.OrderId);
        Assert.Null(order.RoutedSession);
        Assert.Empty(db.VenueExecutions);
        Assert.Equal(["Rejected"], db.OrderEvents.Where(e => e.OrderId == reply.OrderId).Select(e => e.Kind.ToString()).ToList());
    }

    [Fact]
    public async Task An_order_on_a_venue_without_a_route_matches_internally_as_before()
    {
        var trader1 = await _platform.ClientForAsync("trader1");

        var reply = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.50m, 100, clientOrderId: "route-none-1")).Expect(HttpStatusCode.Created);

        Assert.Equal("Accepted", reply.Str("status"));
        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        Assert.Null(db.Orders.Single(o => o.Id == reply.OrderId).RoutedSession);
    }

    /// <summary>A loopback port nothing listens on (taken and released): connecting to it is refused.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

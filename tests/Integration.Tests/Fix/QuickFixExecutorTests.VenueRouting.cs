using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Fix.Venues;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests.Fix;

/// <summary>
/// Venue routing end to end against QuickFIX C++'s executor: EGX routed (<c>Routing:Venues:EGX:Session</c>) to the executor's
/// session, a trader's COMI order goes out over FIX after its commit, the executor's fill comes back through the single writer
/// (Filled, its trade and the position in PostgreSQL), a resent report with the same ExecID changes nothing (also after a
/// restart), and with the executor gone the next order is refused at once with the reason.
/// </summary>
public sealed partial class QuickFixExecutorTests
{
    private static readonly DateTimeOffset EgxContinuous = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero); // Thursday 11:30 in Cairo

    [Fact]
    public async Task An_EGX_order_routed_to_QuickFIX_is_filled_there_and_booked_once_and_a_down_session_refuses_the_next_order()
    {
        int port = FreeLoopbackPort();
        var (pid, executorLog) = await StartExecutor(port);
        string database;
        long orderId;
        VenueExecutionRecord applied;
        try
        {
            var platform = new ProductionPlatformFactory
            {
                DropDatabaseOnDispose = false,
                Settings = new()
                {
                    ["Fix:Sessions:0:Name"] = "exec", ["Fix:Sessions:0:Host"] = "127.0.0.1",
                    ["Fix:Sessions:0:Port"] = port.ToString(CultureInfo.InvariantCulture),
                    ["Fix:Sessions:0:SenderCompId"] = "BROKER1", ["Fix:Sessions:0:TargetCompId"] = "EXEC", ["Fix:Sessions:0:ResetOnLogon"] = "true",
                    ["Fix:Sessions:0:ReconnectSeconds"] = "1", ["Fix:Sessions:0:MaxReconnectSeconds"] = "2",
                    ["Routing:Venues:EGX:Session"] = "exec",
                },
            };
            database = platform.DatabaseName;
            await using (platform)
            {
                platform.Clock.Fixed = EgxContinuous;
                var sessions = platform.Services.GetRequiredService<FixSessions>();
                await UntilAsync(sessions, s => s.State == FixSessionState.Active);
                var trader1 = await platform.ClientForAsync("trader1");

                // Accepted as pending new: durable before it goes out, and not matched inside the platform.
                var reply = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100, clientOrderId: "venue-route-1")).Expect(HttpStatusCode.Created);
                Assert.Equal("New", reply.Str("status"));
                orderId = reply.OrderId;

                var filled = await UntilOrderAsync(trader1, orderId, o => o["status"]!.GetValue<string>() == "Filled");
                Assert.Equal(100, filled["filledQuantity"]!.GetValue<long>());
                Assert.Equal(0, filled["leavesQuantity"]!.GetValue<long>());
                Assert.Equal(80m, filled["averagePrice"]!.GetValue<decimal>());

                await using (var scope = platform.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
                    var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
                    Assert.Equal("exec", order.RoutedSession);
                    Assert.False(string.IsNullOrEmpty(order.VenueOrderId));
                    var trade = await db.Trades.AsNoTracking().SingleAsync(t => t.BuyOrderId == orderId);
                    Assert.Equal((100L, 80m, 1001L, 0L, 0L), (trade.Quantity, trade.Price, trade.BuyAccountId, trade.SellAccountId, trade.SellOrderId));
                    applied = await db.VenueExecutions.AsNoTracking().SingleAsync(x => x.OrderId == orderId);
                    Assert.Equal(("exec", trade.Id, 100L, "Filled"), (applied.Session, applied.TradeId!.Value, applied.LastQuantity, applied.OrderState));
                    Assert.Equal(["Routed", "Filled"],
                        await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == orderId).OrderBy(e => e.Sequence).Select(e => e.Kind.ToString()).ToListAsync());
                }
                var positions = (await trader1.GetAsync("/api/v1/positions?accountId=1001&symbol=COMI")).Expect(HttpStatusCode.OK).Json.AsArray();
                var position = Assert.Single(positions)!;
                Assert.Equal(100, position["quantity"]!.GetValue<long>());
                Assert.Equal(80m, position["averageCost"]!.GetValue<decimal>());

                // The venue resends its report (PossDup): the writer applies nothing.
                var writer = platform.Services.GetRequiredService<OrderWriter>();
                var again = await writer.SendAsync(new VenueExecutionCommand(Resent(applied, orderId)), CancellationToken.None);
                Assert.Equal(SequencerOutcome.VenueExecutionDuplicate, again.Outcome);
                Assert.Single(await TradesOfAsync(platform, orderId));

                // With the venue gone, the next order is refused at once, saying why; nothing waits to go out.
                KillExecutor(pid);
                await UntilAsync(sessions, s => s.State == FixSessionState.Disconnected);
                var refused = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.00m, 100, clientOrderId: "venue-route-2")).Expect(HttpStatusCode.Created);
                Assert.Equal("Rejected", refused.Str("status"));
                Assert.Equal(5001, refused.Json["rejectCode"]!.GetValue<int>());
                Assert.StartsWith("venue EGX is not reachable: its FIX session 'exec' is Disconnected, not logged on", refused.Str("rejectReason"),
                    StringComparison.Ordinal);
            }

            // After a restart the applied ExecIDs are still known: the same report is a duplicate, not a second fill.
            await using (var restarted = new ProductionPlatformFactory(database))
            {
                var writer = restarted.Services.GetRequiredService<OrderWriter>();
                var again = await writer.SendAsync(new VenueExecutionCommand(Resent(applied, orderId)), CancellationToken.None);
                Assert.Equal(SequencerOutcome.VenueExecutionDuplicate, again.Outcome);
                Assert.Single(await TradesOfAsync(restarted, orderId));
            }

            string messages = await File.ReadAllTextAsync(executorLog);
            output.WriteLine(messages.Replace('\u0001', '|'));
            Assert.DoesNotContain("\u000135=3\u0001", messages, StringComparison.Ordinal);
            Assert.DoesNotContain("\u000135=j\u0001", messages, StringComparison.Ordinal);
            Assert.Contains($"\u000111=TS{orderId}\u0001", messages, StringComparison.Ordinal);
        }
        finally
        {
            KillExecutor(pid);
        }
    }

    /// <summary>The executor's fill as the venue would resend it: same ExecID, PossDupFlag Y.</summary>
    private static VenueExecution Resent(VenueExecutionRecord applied, long orderId) =>
        new(applied.Session, false, applied.ExecId, FixVenueMessages.ClOrdIdOf(orderId), null, "resent", 'F', VenueOrderState.Filled,
            applied.LastQuantity, applied.LastPrice!.Value, applied.LastQuantity, 0, true, null);

    private static async Task<List<TradeRecord>> TradesOfAsync(ProductionPlatformFactory platform, long orderId)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        return await db.Trades.AsNoTracking().Where(t => t.BuyOrderId == orderId || t.SellOrderId == orderId).ToListAsync();
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> UntilOrderAsync(ApiClient client, long orderId, Func<System.Text.Json.Nodes.JsonNode, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var order = (await client.GetAsync($"/api/v1/orders/{orderId}")).Expect(HttpStatusCode.OK).Json;
            if (done(order))
            {
                return order;
            }
            Assert.True(waited.Elapsed < Wait, $"order {orderId} did not get there in {Wait.TotalSeconds} s: {order.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}

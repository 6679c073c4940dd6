using System.Net;
using TradSys.Client;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Streaming;

/// <summary>
/// The typed client library (tests/Client) against the whole platform's gateway: typed events for every channel a trader uses,
/// a book kept from snapshot and updates, errors as exceptions naming the problem, and the resume of order updates after a drop.
/// </summary>
public sealed class ClientLibraryTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task A_client_follows_the_book_the_tape_and_its_own_orders_as_typed_events()
    {
        await using var stream = await OpenAsync("trader1");
        Assert.Equal("trader1", stream.Welcome.User);
        Assert.Contains("order_updates", stream.Welcome.Channels);

        var ack = await stream.SubscribeAsync(Subscription.MarketData("fab.int"));
        Assert.Equal(("subscribe", "market_data", "FAB.INT"), (ack.Op, ack.Channel, ack.Symbol));
        await stream.SubscribeAsync(Subscription.Trades("FAB.INT"));
        var orders = await stream.SubscribeAsync(Subscription.OrderUpdates());
        Assert.Contains(1001L, orders.Accounts!);

        var book = new BookView("FAB.INT");
        Assert.Equal(BookChange.Applied, book.Apply(await NextAsync<MarketDataSnapshot>(stream)));
        Assert.Empty(book.Bids);

        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 15.50m, 40)).Expect(HttpStatusCode.Created);
        await CollectAsync(stream, book, _ => book.Bids.Count == 1);
        Assert.Equal(new BookLevel(15.50m, 40, 1), book.Bids[0]);
        Assert.Equal(15.50m, book.Quote!.Bid);

        (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 30)).Expect(HttpStatusCode.Created);
        var events = await CollectAsync(stream, book, seen =>
            seen.OfType<Trade>().Any() && seen.OfType<OrderUpdate>().Any(u => u.FilledQuantity == 30) && book.Bids is [{ Quantity: 10 }]);
        var trade = events.OfType<Trade>().Single();
        Assert.Equal(("FAB.INT", 15.50m, 30L, "Sell"), (trade.Symbol, trade.Price, trade.Quantity, trade.AggressorSide));
        Assert.Equal(15.50m, book.Quote!.Last);
        // The day's open, high, low and turnover, as the REST quote has them (15.50 x 30).
        var rest = (await trader1.GetAsync("/api/v1/instruments/FAB.INT/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((15.50m, 15.50m, 15.50m, 465.00m), (book.Quote.Open, book.Quote.High, book.Quote.Low, book.Quote.Turnover));
        Assert.Equal((rest["open"]!.GetValue<decimal>(), rest["high"]!.GetValue<decimal>(), rest["low"]!.GetValue<decimal>(), rest["turnover"]!.GetValue<decimal>()),
            (book.Quote.Open!.Value, book.Quote.High!.Value, book.Quote.Low!.Value, book.Quote.Turnover!.Value));

        // trader1's own order, in journal order, up to its fill; trader2's order is not on trader1's stream.
        var updates = events.OfType<OrderUpdate>().ToList();
        Assert.All(updates, u => Assert.Equal(1001, u.AccountId));
        Assert.Equal(updates.Select(u => u.Sequence).Order(), updates.Select(u => u.Sequence));
        var fill = updates.Single(u => u.FillQuantity is not null);
        Assert.Equal((30L, 15.50m, 10L), (fill.FillQuantity!.Value, fill.FillPrice!.Value, fill.LeavesQuantity));
        Assert.Equal(updates[^1].Sequence, stream.LastOrderSequence);
    }

    [Fact]
    public async Task A_refused_subscription_is_an_exception_naming_the_problem_and_the_connection_stays_usable()
    {
        await using var stream = await OpenAsync("trader1");
        var unknown = await Assert.ThrowsAsync<StreamRequestException>(() => stream.SubscribeAsync(Subscription.MarketData("NOPE.INT")));
        Assert.Equal("unknown_symbol", unknown.Error.Code);
        Assert.Contains("NOPE.INT", unknown.Message, StringComparison.Ordinal);
        var theirs = await Assert.ThrowsAsync<StreamRequestException>(() => stream.SubscribeAsync(Subscription.Portfolio(2001)));
        Assert.Equal("account_not_yours", theirs.Error.Code);

        var pong = await stream.PingAsync();
        Assert.True(pong.Time > DateTimeOffset.UtcNow.AddMinutes(-1));
        var ack = await stream.SubscribeAsync(Subscription.Portfolio(1001));
        Assert.Equal(1001, ack.AccountId);
        var portfolio = await NextAsync<Portfolio>(stream);
        Assert.Equal(1001, portfolio.AccountId);
        Assert.Equal(1001, portfolio.Cash.AccountId);
    }

    [Fact]
    public async Task After_a_drop_the_client_resumes_from_its_last_sequence_and_gets_every_update_it_missed_once()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        long seen;
        await using (var first = await OpenAsync("trader1"))
        {
            await first.SubscribeAsync(Subscription.OrderUpdates(accountId: 1001));
            (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.00m, 10)).Expect(HttpStatusCode.Created);
            await NextAsync<OrderUpdate>(first);
            seen = first.LastOrderSequence;
            Assert.True(seen > 0);
            first.Abort();
            Assert.IsType<Closed>(await first.ReadAsync());
        }

        // Missed while away: two orders.
        var missed = new List<long>();
        foreach (var price in new[] { 79.10m, 79.20m })
        {
            var created = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", price, 10)).Expect(HttpStatusCode.Created);
            missed.Add(created.Long("orderId"));
        }

        await using var again = await OpenAsync("trader1");
        await again.SubscribeAsync(Subscription.OrderUpdates(accountId: 1001, fromSequence: seen));
        var live = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79.30m, 10)).Expect(HttpStatusCode.Created).Long("orderId");

        var received = new List<OrderUpdate>();
        while (!received.Any(u => u.OrderId == live))
        {
            received.Add(await NextAsync<OrderUpdate>(again));
        }
        Assert.Equal([.. missed, live], received.Select(u => u.OrderId).Distinct());
        Assert.All(received, u => Assert.True(u.Sequence > seen));
        Assert.Equal(received.Count, received.Select(u => u.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task A_gateway_that_cannot_be_reached_is_a_connect_exception_naming_it()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var refused = await Assert.ThrowsAsync<StreamConnectException>(() =>
            TradSysStream.ConnectAsync(new Uri("ws://127.0.0.1:9/ws"), "a-token", timeout.Token));
        Assert.Null(refused.Status);
        Assert.Contains("ws://127.0.0.1:9/ws", refused.Message, StringComparison.Ordinal);
    }

    private async Task<TradSysStream> OpenAsync(string clientId)
    {
        var token = await StreamClient.TokenAsync(_platform, clientId);
        var client = _platform.Server.CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
        var socket = await client.ConnectAsync(new Uri("ws://localhost/ws"), CancellationToken.None);
        return await TradSysStream.OpenAsync(socket);
    }

    /// <summary>The next event of type <typeparamref name="T"/>; market data on the way is applied to <paramref name="book"/>.</summary>
    private static async Task<T> NextAsync<T>(TradSysStream stream, BookView? book = null) where T : StreamEvent
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var next = await stream.ReadAsync(timeout.Token);
            switch (next)
            {
                case T wanted:
                    return wanted;
                case Closed closed:
                    Assert.Fail($"the connection closed: {closed.Code} {closed.Reason}");
                    break;
                case MarketDataUpdate update when book is not null:
                    Assert.Equal(BookChange.Applied, book.Apply(update));
                    break;
                case MarketDataSnapshot snapshot when book is not null:
                    book.Apply(snapshot);
                    break;
            }
        }
    }

    /// <summary>
    /// Reads events, applying market data to <paramref name="book"/>, until <paramref name="done"/> holds for the events read
    /// (market data included); returns them.
    /// </summary>
    private static async Task<List<StreamEvent>> CollectAsync(TradSysStream stream, BookView book, Func<List<StreamEvent>, bool> done)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var seen = new List<StreamEvent>();
        while (!done(seen))
        {
            var next = await stream.ReadAsync(timeout.Token);
            seen.Add(next);
            switch (next)
            {
                case MarketDataUpdate update:
                    Assert.Equal(BookChange.Applied, book.Apply(update));
                    break;
                case MarketDataSnapshot snapshot:
                    book.Apply(snapshot);
                    break;
                case Closed closed:
                    Assert.Fail($"the connection closed: {closed.Code} {closed.Reason}");
                    break;
            }
        }
        return seen;
    }
}

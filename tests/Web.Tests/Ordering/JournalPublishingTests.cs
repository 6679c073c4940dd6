using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Contracts;
using TradSys.Engine;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering;

/// <summary>
/// The outbox publishes the order journal as one <see cref="JournalCommitted"/> message per committed batch (never a message per
/// entry), in journal order, with every entry and trade once.
/// </summary>
public sealed class JournalPublishingTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private SubmitCommand Submit(long userId, long accountId, Side side, decimal price, long quantity)
    {
        _ = platform.CreateClient();
        var instrument = platform.Services.GetRequiredService<ReferenceDataCache>().Get("COMI.INT");
        return new SubmitCommand("test", userId, accountId, $"pub-{Guid.NewGuid():N}",
            new TradableInstrumentRef(instrument.Spec.Id, "COMI.INT", instrument.Decimals, instrument.Row.Currency),
            side, OrderType.Limit, TimeInForce.Day, Price.FromDecimal(price, instrument.Decimals), new Quantity(quantity));
    }

    [Fact]
    public async Task A_batch_is_published_as_one_message_and_the_messages_follow_the_journal_without_gaps_or_repeats()
    {
        _ = platform.CreateClient();
        var messages = new ConcurrentQueue<JournalCommitted>();
        var bus = platform.Services.GetRequiredService<IBus>();
        var endpoint = bus.ConnectReceiveEndpoint($"journal-test-{Guid.NewGuid():N}", e =>
        {
            // One message at a time, so the order heard is the order published.
            e.ConcurrentMessageLimit = 1;
            e.Handler<JournalCommitted>(context =>
            {
                messages.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;
        try
        {
            // Twenty resting buys, then one sell that takes them all: the sell's batch holds 21 fills and 20 trades.
            var buys = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => platform.SendAsync(Submit(2, 1001, Side.Buy, 74.50m, 10))));
            Assert.All(buys, b => Assert.Equal(SequencerOutcome.Created, b.Outcome));
            var sell = await platform.SendAsync(Submit(3, 2001, Side.Sell, 74.50m, 200));
            Assert.Equal(SequencerOutcome.Created, sell.Outcome);
            var sellId = sell.Order!.Id;

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !messages.Any(m => m.Updates.Any(u => u.OrderId == sellId && u.Status == "Filled")))
            {
                await Task.Delay(50);
            }

            var batch = Assert.Single(messages, m => m.Updates.Any(u => u.OrderId == sellId));
            Assert.Equal(20, batch.Trades.Count(t => t.SellOrderId == sellId));
            Assert.Equal(buys.Select(b => b.Order!.Id).Order(), batch.Trades.Select(t => t.BuyOrderId).Order());
            Assert.All(buys, b => Assert.Contains(batch.Updates, u => u.OrderId == b.Order!.Id && u.Status == "Filled"));
            Assert.Equal("Filled", batch.Updates.Last(u => u.OrderId == sellId).Status);

            // Every entry once, in order, without a gap, across all the messages this test heard.
            var sequences = messages.SelectMany(m => m.Updates).Select(u => u.Sequence).ToList();
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + i), sequences);
            var tradeIds = messages.SelectMany(m => m.Trades).Select(t => t.TradeId).ToList();
            Assert.Equal(Enumerable.Range(0, tradeIds.Count).Select(i => tradeIds[0] + i), tradeIds);
            Assert.All(messages, m => Assert.InRange(m.Updates.Count + m.Trades.Count, 1, JournalCommitted.MaxEntries));
        }
        finally
        {
            await endpoint.StopAsync();
        }
    }
}

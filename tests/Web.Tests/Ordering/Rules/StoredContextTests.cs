using System.Text.Json;
using TradSys.Rules.Context;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>A decision's context is stored in parts (its own views, shared account and instrument snapshots) and read back whole.</summary>
public sealed class StoredContextTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private static OrderContext Context(long accountId = 1001, decimal creditLimit = 5_000_000m, long quantity = 100)
    {
        var context = new OrderContext();
        context.Order.ClientOrderId = "c-1";
        context.Order.Quantity = quantity;
        context.Order.Price = 80.05m;
        context.Account.Id = accountId;
        context.Account.CreditLimit = creditLimit;
        context.Account.Jurisdiction = Jurisdiction.Adgm;
        context.Instrument.Symbol = "COMI.INT";
        context.Instrument.Sharia.AsOf = new DateOnly(2026, 9, 30);
        context.Venue.Mic = "XOFF";
        context.Market.TradeDate = new DateOnly(2026, 11, 23);
        context.Market.BestBid = 80m;
        context.Aggregates.OpenOrderCount = 3;
        return context;
    }

    [Fact]
    public void The_parts_compose_into_exactly_the_whole_context()
    {
        var context = Context();
        var own = JsonSerializer.Serialize(new StoredContext.OrderPart(context.Order, context.Market, context.Aggregates), OrderContextJson.Options);
        var account = JsonSerializer.Serialize(context.Account, OrderContextJson.Options);
        var instrument = JsonSerializer.Serialize(new StoredContext.InstrumentPart(context.Instrument, context.Venue), OrderContextJson.Options);

        Assert.Equal(OrderContextJson.Serialize(context), StoredContext.Compose(own, account, instrument));
        // A decision stored before snapshots kept the whole context: read as it is.
        Assert.Equal("{\"whole\":1}", StoredContext.Compose("{\"whole\":1}", null, null));
    }

    [Fact]
    public void Orders_that_read_the_same_account_and_instrument_share_their_snapshots_and_a_change_makes_a_new_one()
    {
        var snapshots = new ContextSnapshots();
        var account = DemoData.Accounts().Single(a => a.Id == 1001);
        var instrument = DemoData.Instruments().Single(i => i.Symbol == "COMI.INT");
        var day = new DateOnly(2026, 11, 23);

        var first = snapshots.Of(Context(quantity: 100), account, instrument, day, Now);
        var second = snapshots.Of(Context(quantity: 200), account, instrument, day, Now);
        Assert.Equal(first, second);
        Assert.Equal(2, snapshots.Pending.Count);
        Assert.Equal(["account", "instrument"], snapshots.Pending.Select(p => p.Kind));

        // The account row read again for a later batch, unchanged: same content, same snapshot, nothing new to store.
        var reread = DemoData.Accounts().Single(a => a.Id == 1001);
        Assert.Equal(first.Account, snapshots.Of(Context(), reread, instrument, day, Now).Account);
        Assert.Equal(2, snapshots.Pending.Count);

        // Onboarding changed (a new credit limit): a new snapshot; the earlier decisions keep theirs.
        var changed = DemoData.Accounts().Single(a => a.Id == 1001);
        var third = snapshots.Of(Context(creditLimit: 1m), changed, instrument, day, Now);
        Assert.NotEqual(first.Account, third.Account);
        Assert.Equal(first.Instrument, third.Instrument);
        Assert.Equal(3, snapshots.Pending.Count);
        Assert.Equal(64, snapshots.Pending[2].Sha256.Length);
        Assert.Equal(1m, JsonSerializer.Deserialize<AccountView>(snapshots.Pending[2].Json, OrderContextJson.Options)!.CreditLimit);
    }
}

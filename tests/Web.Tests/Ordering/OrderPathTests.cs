using TradSys.Engine;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace TradSys.Web.Tests.Ordering;

/// <summary>The single writer's own checks on the order path (OrderPath): the account, ownership and resends are decided there.</summary>
public sealed class OrderPathTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private SubmitCommand Submit(long userId, long accountId, string clientOrderId, decimal price = 75m, long quantity = 10,
        TimeInForce timeInForce = TimeInForce.Day)
    {
        _ = platform.CreateClient();
        var instrument = platform.Services.GetRequiredService<ReferenceDataCache>().Get("COMI.INT");
        return new SubmitCommand("test", userId, accountId, clientOrderId,
            new TradableInstrumentRef(instrument.Spec.Id, "COMI.INT", instrument.Decimals, instrument.Row.Currency),
            Side.Buy, OrderType.Limit, timeInForce, Price.FromDecimal(price, instrument.Decimals), new Quantity(quantity));
    }

    [Theory]
    [InlineData(3, 1001, SequencerOutcome.NotYourAccount)] // trader2 on trader1's account
    [InlineData(2, 9999, SequencerOutcome.UnknownAccount)]
    public async Task An_order_on_an_account_that_is_not_the_callers_or_does_not_exist_is_refused_and_nothing_is_written(long userId, long accountId,
        SequencerOutcome expected)
    {
        var before = await platform.CountRowsAsync();
        var result = await platform.SendAsync(Submit(userId, accountId, $"path-{Guid.NewGuid():N}"));
        Assert.Equal(expected, result.Outcome);
        Assert.Null(result.Order);
        Assert.Equal(before, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task A_cancel_or_amend_by_someone_who_does_not_own_the_account_is_refused_and_the_order_keeps_working()
    {
        var created = await platform.SendAsync(Submit(2, 1001, $"path-{Guid.NewGuid():N}"));
        Assert.Equal(SequencerOutcome.Created, created.Outcome);
        var id = created.Order!.Id;

        Assert.Equal(SequencerOutcome.NotYourAccount, (await platform.SendAsync(new CancelCommand("trader2", id, UserId: 3))).Outcome);
        Assert.Equal(SequencerOutcome.NotYourAccount,
            (await platform.SendAsync(new ModifyCommand("trader2", id, created.Order.Price is { } p ? Price.FromDecimal(p, 2) : default, new Quantity(5), UserId: 3))).Outcome);
        Assert.True(platform.Services.GetRequiredService<OpenOrders>().TryGet(id, out var open));
        Assert.Equal(10, open.Quantity);

        var canceled = await platform.SendAsync(new CancelCommand("trader1", id, UserId: 2));
        Assert.Equal(SequencerOutcome.Canceled, canceled.Outcome);
        Assert.False(platform.Services.GetRequiredService<OpenOrders>().TryGet(id, out _));
    }

    [Fact]
    public async Task Two_submissions_of_one_client_order_id_sent_together_make_one_order_and_a_duplicate()
    {
        var clientOrderId = $"path-{Guid.NewGuid():N}";
        var results = await Task.WhenAll(platform.SendAsync(Submit(2, 1001, clientOrderId)), platform.SendAsync(Submit(2, 1001, clientOrderId)));
        Assert.Single(results, r => r.Outcome == SequencerOutcome.Created);
        Assert.Single(results, r => r.Outcome == SequencerOutcome.Duplicate);
        Assert.Single(results.Select(r => r.Order!.Id).Distinct());

        var other = await platform.SendAsync(Submit(2, 1001, clientOrderId, quantity: 20));
        Assert.Equal(SequencerOutcome.DuplicateMismatch, other.Outcome);
    }

    [Fact]
    public async Task An_order_that_closes_in_the_batch_that_created_it_is_remembered_so_a_cancel_that_follows_is_answered_from_memory()
    {
        // An IOC buy below every resting sell finds nothing to trade and is canceled on arrival: it was never working.
        var created = await platform.SendAsync(Submit(2, 1001, $"path-{Guid.NewGuid():N}", price: 73m, timeInForce: TimeInForce.Ioc));
        Assert.Equal(SequencerOutcome.Created, created.Outcome);
        Assert.Equal(OrderStatus.Canceled, created.Order!.Status);

        var openOrders = platform.Services.GetRequiredService<OpenOrders>();
        Assert.False(openOrders.TryGet(created.Order.Id, out _));
        Assert.True(openOrders.TryGetRecent(created.Order.Id, out var recent));
        Assert.Equal(OrderStatus.Canceled, recent.Status);
        Assert.Equal(2, recent.UserId);
    }
}

using TradSys.Engine;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Tests.Ordering;

/// <summary>The writer's idempotency index: fingerprints are candidates, the real key decides.</summary>
public sealed class ClientOrderIdsTests
{
    private static readonly TradableInstrumentRef Comi = new(new InstrumentId(0), "COMI.INT", 2, "EGP");

    private static SubmitCommand Submit(long account, string clientOrderId, long quantity = 10, decimal price = 80m, OrderTerms? terms = null) =>
        new("trader1", 2, account, clientOrderId, Comi, Side.Buy, OrderType.Limit, TimeInForce.Day, Price.FromDecimal(price, 2), new Quantity(quantity),
            Terms: terms);

    private static OrderRecord Order(long id, long account, string clientOrderId) => new()
    {
        Id = id, AccountId = account, ClientOrderId = clientOrderId, Symbol = "COMI.INT", Side = Side.Buy, Type = OrderType.Limit,
        TimeInForce = TimeInForce.Day, Price = 80m, Quantity = 10,
    };

    [Fact]
    public void Keys_that_share_a_fingerprint_are_told_apart_by_the_real_key()
    {
        // Every key collides: the index must still never confuse two orders.
        var index = new ClientOrderIds((_, _) => 42UL);
        var first = Order(1, 1001, "a");
        index.Add(1001, "a", 1, ClientOrderIds.SubmissionOf(Submit(1001, "a")));

        Assert.True(index.TryFind(1001, "b", out var candidate));
        Assert.Equal(1, candidate.OrderId);
        Assert.False(ClientOrderIds.Confirm(first, 1001, "b"));

        index.Add(1001, "b", 2, ClientOrderIds.SubmissionOf(Submit(1001, "b")));
        Assert.True(index.TryFind(1001, "b", out var second));
        Assert.Equal(2, second.OrderId);
        Assert.True(index.TryFind(1001, "a", out var again));
        Assert.Equal(1, again.OrderId);
        Assert.True(ClientOrderIds.Confirm(first, 1001, "a"));
    }

    [Fact]
    public void A_rebuild_keeps_colliding_keys_apart()
    {
        var index = new ClientOrderIds((_, _) => 7UL);
        index.Rebuild([(1, 1001, "a", null), (2, 2001, "a", 5L), (3, 1001, "c", 6L)]);

        Assert.Equal(3, index.Count);
        Assert.True(index.TryFind(2001, "a", out var b));
        Assert.Equal(2, b.OrderId);
        Assert.Equal(5L, b.Submission);
        Assert.True(index.TryFind(1001, "c", out var c));
        Assert.Equal(3, c.OrderId);
        Assert.True(index.TryFind(1001, "a", out var a));
        Assert.Equal(1, a.OrderId);
    }

    [Fact]
    public void Without_collisions_an_unknown_key_is_not_found()
    {
        var index = new ClientOrderIds();
        index.Add(1001, "a", 1, 0);
        Assert.False(index.TryFind(1001, "b", out _));
        Assert.False(index.TryFind(1002, "a", out _));
        Assert.True(index.TryFind(1001, "a", out _));
    }

    [Fact]
    public void The_submission_fingerprint_covers_every_term_the_client_chose()
    {
        var original = ClientOrderIds.SubmissionOf(Submit(1001, "a"));
        Assert.Equal(original, ClientOrderIds.SubmissionOf(Submit(1001, "a")));
        Assert.NotEqual(original, ClientOrderIds.SubmissionOf(Submit(1001, "a", quantity: 20)));
        Assert.NotEqual(original, ClientOrderIds.SubmissionOf(Submit(1001, "a", price: 80.01m)));
        Assert.NotEqual(original, ClientOrderIds.SubmissionOf(Submit(1001, "a", terms: new OrderTerms(UsesMargin: true))));
        Assert.NotEqual(original, ClientOrderIds.SubmissionOf(Submit(1001, "a", terms: new OrderTerms(LocateId: "L1"))));
    }

    [Fact]
    public void An_order_stored_before_fingerprints_is_compared_with_its_current_terms()
    {
        var legacy = Order(1, 1001, "a");
        Assert.True(ClientOrderIds.SameSubmission(legacy, null, Submit(1001, "a")));
        Assert.False(ClientOrderIds.SameSubmission(legacy, null, Submit(1001, "a", quantity: 20)));
    }
}

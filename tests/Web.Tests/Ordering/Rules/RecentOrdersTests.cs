using TradSys.Engine;
using TradSys.Web.Ordering.Rules;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>The duplicate-order window: identical terms within 60 s, counted without walking the account's other orders.</summary>
public sealed class RecentOrdersTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Counts_orders_with_the_same_instrument_side_quantity_and_price_inside_the_window()
    {
        var recent = new RecentOrders();
        var window = TimeSpan.FromSeconds(60);
        recent.Add(1, T0, "COMI", Side.Buy, 10, 80m, T0 - window);
        recent.Add(2, T0.AddSeconds(10), "COMI", Side.Buy, 10, 80m, T0 - window);
        recent.Add(3, T0.AddSeconds(20), "COMI", Side.Buy, 10, 80.01m, T0 - window);
        recent.Add(4, T0.AddSeconds(20), "COMI", Side.Sell, 10, 80m, T0 - window);
        recent.Add(5, T0.AddSeconds(20), "FAB", Side.Buy, 10, 80m, T0 - window);

        var at = T0.AddSeconds(30);
        Assert.Equal(2, recent.Identical("COMI", Side.Buy, 10, 80m, at - window, excludeOrderId: 0));
        Assert.Equal(1, recent.Identical("COMI", Side.Buy, 10, 80m, at - window, excludeOrderId: 2));
        Assert.Equal(0, recent.Identical("COMI", Side.Buy, 20, 80m, at - window, excludeOrderId: 0));
        Assert.Equal(0, recent.Identical("COMI", Side.Buy, 10, null, at - window, excludeOrderId: 0));

        // 65 s after the first: it has left the window, the second has not.
        at = T0.AddSeconds(65);
        Assert.Equal(1, recent.Identical("COMI", Side.Buy, 10, 80m, at - window, excludeOrderId: 0));
        at = T0.AddSeconds(200);
        Assert.Equal(0, recent.Identical("COMI", Side.Buy, 10, 80m, at - window, excludeOrderId: 0));
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void An_entry_older_than_the_window_is_never_counted_even_when_the_clock_went_back()
    {
        var recent = new RecentOrders();
        var window = TimeSpan.FromSeconds(60);
        recent.Add(1, T0.AddSeconds(100), "COMI", Side.Buy, 10, 80m, T0 - window);
        // A clock set back (tests pin the market clock): this order arrives later with an earlier time.
        recent.Add(2, T0, "COMI", Side.Buy, 10, 80m, T0 - window);
        Assert.Equal(1, recent.Identical("COMI", Side.Buy, 10, 80m, T0.AddSeconds(90) - window, excludeOrderId: 0));
    }

    [Fact]
    public void Once_the_entries_that_came_out_of_order_have_left_every_kept_entry_counts_again()
    {
        var recent = new RecentOrders();
        var window = TimeSpan.FromSeconds(60);
        recent.Add(1, T0.AddSeconds(10), "COMI", Side.Buy, 10, 80m, T0.AddSeconds(10) - window);
        recent.Add(2, T0, "COMI", Side.Buy, 10, 80m, T0 - window);
        // At 65 s: order 2 (time 0) is outside the window although it arrived after order 1 (time 10), which is inside.
        Assert.Equal(1, recent.Identical("COMI", Side.Buy, 10, 80m, T0.AddSeconds(65) - window, excludeOrderId: 0));
        recent.Add(3, T0.AddSeconds(66), "COMI", Side.Buy, 10, 80m, T0.AddSeconds(66) - window);
        recent.Add(4, T0.AddSeconds(80), "COMI", Side.Buy, 10, 80m, T0.AddSeconds(80) - window);
        // At 80 s both early ones have left; 3 and 4 count, and 3 alone when 4 is the order being amended.
        Assert.Equal(2, recent.Identical("COMI", Side.Buy, 10, 80m, T0.AddSeconds(80) - window, excludeOrderId: 0));
        Assert.Equal(1, recent.Identical("COMI", Side.Buy, 10, 80m, T0.AddSeconds(80) - window, excludeOrderId: 4));
        Assert.Equal(2, recent.Count);
    }

    [Fact]
    public void Thousands_of_identical_orders_enter_and_leave_the_window_one_by_one()
    {
        var recent = new RecentOrders();
        var window = TimeSpan.FromSeconds(60);
        // An algorithm sending the same child order every 10 ms for three minutes: 18,000 orders, 6,001 inside the window
        // (the one exactly 60 s old included).
        for (var i = 0; i < 18_000; i++)
        {
            var at = T0.AddMilliseconds(10 * i);
            recent.Add(i + 1, at, "COMI", Side.Buy, 100, 80m, at - window);
            if (i % 1000 == 999)
            {
                Assert.Equal(Math.Min(i + 1, 6_001), recent.Identical("COMI", Side.Buy, 100, 80m, at - window, excludeOrderId: 0));
            }
        }
        Assert.Equal(6_001, recent.Count);
    }
}

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
}

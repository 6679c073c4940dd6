using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// What open orders hold, kept per currency and converted when read: set, replaced and released per order, the order being amended
/// left out, and a new FX table revaluing every amount at once.
/// </summary>
public sealed class OpenAmountsTests
{
    private static FxRates Rates(decimal egpUsd) => new([Rate("USD", 1m), Rate("EGP", egpUsd), Rate("AED", 0.25m)]);

    private static FxRate Rate(string currency, decimal usdPerUnit) =>
        new() { Currency = currency, UsdPerUnit = usdPerUnit, EurPerUnit = usdPerUnit * 0.92m, Source = "test" };

    [Fact]
    public void Amounts_are_converted_at_the_rates_given_when_read()
    {
        var open = new OpenAmounts();
        open.Set(1, 1001, "EGP", 10_000m);
        open.Set(2, 1001, "AED", 400m);
        open.Set(3, 2001, "EGP", 5_000m);

        Assert.Equal(10_000m * 0.02m + 400m * 0.25m, open.In(1001, "USD", Rates(0.02m)));
        Assert.Equal(10_000m * 0.01m + 400m * 0.25m, open.In(1001, "USD", Rates(0.01m)));
        // Into EGP through USD: 400 AED = 100 USD = 5,000 EGP.
        Assert.Equal(15_000m, open.In(1001, "EGP", Rates(0.02m)));
        Assert.Equal((2, 1), (open.Count(1001), open.Count(2001)));
    }

    [Fact]
    public void An_order_is_replaced_released_and_left_out_on_request()
    {
        var open = new OpenAmounts();
        var fx = Rates(0.02m);
        open.Set(1, 1001, "EGP", 10_000m);
        open.Set(2, 1001, "EGP", 2_000m);
        open.Set(1, 1001, "EGP", 4_000m);
        Assert.Equal((6_000m, 2), (open.In(1001, "EGP", fx), open.Count(1001)));
        Assert.Equal(2_000m, open.In(1001, "EGP", fx, excludeOrderId: 1));
        // Another account's order id leaves nothing out.
        Assert.Equal(6_000m, open.In(1001, "EGP", fx, excludeOrderId: 99));
        Assert.True(open.Holds(2, 1001));
        Assert.False(open.Holds(2, 2001));

        open.Release(1);
        open.Release(1);
        Assert.Equal((2_000m, 1), (open.In(1001, "EGP", fx), open.Count(1001)));
        open.Release(2);
        Assert.Equal((0m, 0), (open.In(1001, "EGP", fx), open.Count(1001)));

        open.Set(5, 1001, "AED", 100m);
        open.Clear();
        Assert.Equal((0m, 0, false), (open.In(1001, "USD", fx), open.Count(1001), open.Holds(5, 1001)));
    }

    [Fact]
    public void A_currency_without_a_rate_is_named_when_read()
    {
        var open = new OpenAmounts();
        open.Set(1, 1001, "KWD", 10m);
        var ex = Assert.Throws<InvalidOperationException>(() => open.In(1001, "USD", Rates(0.02m)));
        Assert.Contains("KWD", ex.Message, StringComparison.Ordinal);
    }
}

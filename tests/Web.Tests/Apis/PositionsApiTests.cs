using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Apis;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// GET /api/v1/positions: weighted-average cost, realised and unrealised P&amp;L worked out by hand from trades sent through
/// the API, the same quantities as the holdings the rules and reports read, ownership as for orders, and bad queries.
/// </summary>
public sealed class PositionsApiTests(PositionsApiTests.Platform platform) : IClassFixture<PositionsApiTests.Platform>
{
    /// <summary>One platform for the class, with the trades every test reads (the tests only read).</summary>
    public sealed class Platform : PlatformFactory, IAsyncLifetime
    {
        public ApiClient Trader1 { get; private set; } = null!;
        public ApiClient Trader2 { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Trader1 = await ClientForAsync("trader1");
            Trader2 = await ClientForAsync("trader2");
            // 1001 buys 100 @ 80 and 100 @ 82 from 2001, then sells 150 @ 83 to it (each trade at the resting order's price).
            await CrossAsync(Trader2, 2001, "Sell", Trader1, 1001, "Buy", "COMI.INT", 80.00m, 100);
            await CrossAsync(Trader2, 2001, "Sell", Trader1, 1001, "Buy", "COMI.INT", 82.00m, 100);
            await CrossAsync(Trader2, 2001, "Buy", Trader1, 1001, "Sell", "COMI.INT", 83.00m, 150);
            // And 1002 buys 30 FAB.INT @ 15.50 from 2001.
            await CrossAsync(Trader2, 2001, "Sell", Trader1, 1002, "Buy", "FAB.INT", 15.50m, 30);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private readonly PlatformFactory _platform = platform;
    private readonly ApiClient _trader1 = platform.Trader1;
    private readonly ApiClient _trader2 = platform.Trader2;

    private static async Task CrossAsync(ApiClient resting, long restingAccount, string restingSide, ApiClient aggressor, long aggressorAccount,
        string aggressorSide, string symbol, decimal price, long quantity)
    {
        var first = (await resting.SubmitAsync(restingAccount, symbol, restingSide, price, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", first.Str("status"));
        var second = (await aggressor.SubmitAsync(aggressorAccount, symbol, aggressorSide, price, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", second.Str("status"));
    }

    private static JsonObject Row(JsonNode list, long account, string symbol) =>
        list.AsArray().Single(r => r!["accountId"]!.GetValue<long>() == account && r["symbol"]!.GetValue<string>() == symbol)!.AsObject();

    [Fact]
    public async Task A_long_position_has_the_weighted_average_cost_and_the_pnl_worked_out_by_hand()
    {
        var list = (await _trader1.GetAsync("/api/v1/positions?accountId=1001")).Expect(HttpStatusCode.OK).Json;
        var row = Assert.Single(list.AsArray())!;
        Assert.Equal("COMI.INT", row["symbol"]!.GetValue<string>());
        Assert.Equal("EGP", row["currency"]!.GetValue<string>());
        Assert.Equal(50, row["quantity"]!.GetValue<long>());             // 100 + 100 - 150
        Assert.Equal(81m, row["averageCost"]!.GetValue<decimal>());      // (100 x 80 + 100 x 82) / 200; a sale leaves it unchanged
        Assert.Equal(300m, row["realisedPnl"]!.GetValue<decimal>());     // 150 x (83 - 81)
        Assert.Equal(83m, row["price"]!.GetValue<decimal>());            // the day's last trade
        Assert.Equal("Last", row["priceSource"]!.GetValue<string>());
        Assert.Equal(4150m, row["marketValue"]!.GetValue<decimal>());    // 50 x 83
        Assert.Equal(100m, row["unrealisedPnl"]!.GetValue<decimal>());   // 50 x (83 - 81)
        Assert.Equal(3, row["trades"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_counterpartys_short_position_mirrors_it_in_each_instruments_currency()
    {
        var list = (await _trader2.GetAsync("/api/v1/positions")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(2, list.AsArray().Count);
        var comi = Row(list, 2001, "COMI.INT");
        Assert.Equal(-50, comi["quantity"]!.GetValue<long>());           // sold 200, bought back 150
        Assert.Equal(81m, comi["averageCost"]!.GetValue<decimal>());
        Assert.Equal(-300m, comi["realisedPnl"]!.GetValue<decimal>());   // bought back 150 at 83 what was sold at 81
        Assert.Equal(-4150m, comi["marketValue"]!.GetValue<decimal>());
        Assert.Equal(-100m, comi["unrealisedPnl"]!.GetValue<decimal>()); // 50 still short, 2 below the market
        var fab = Row(list, 2001, "FAB.INT");
        Assert.Equal("AED", fab["currency"]!.GetValue<string>());
        Assert.Equal(-30, fab["quantity"]!.GetValue<long>());
        Assert.Equal(15.5m, fab["averageCost"]!.GetValue<decimal>());
        Assert.Equal(-465m, fab["marketValue"]!.GetValue<decimal>());
        Assert.Equal(0m, fab["unrealisedPnl"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Quantities_are_the_holdings_the_rules_and_reports_read()
    {
        var list = (await (await _platform.ClientForAsync("viewer1")).GetAsync("/api/v1/positions")).Expect(HttpStatusCode.OK).Json;
        IReadOnlyList<Holding> holdings = [];
        await _platform.WithDbAsync(async db => holdings = await Holdings.AsOfAsync(db, null, null, CancellationToken.None));
        var fromApi = list.AsArray().Where(r => r!["quantity"]!.GetValue<long>() != 0)
            .Select(r => new Holding(r!["accountId"]!.GetValue<long>(), r["symbol"]!.GetValue<string>(), r["quantity"]!.GetValue<long>())).ToList();
        Assert.Equal(4, fromApi.Count);
        Assert.Equal(holdings, fromApi);
    }

    [Fact]
    public async Task The_symbol_filter_narrows_the_rows()
    {
        var list = (await (await _platform.ClientForAsync("compliance1")).GetAsync("/api/v1/positions?symbol=fab.int")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([1002L, 2001L], list.AsArray().Select(r => r!["accountId"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_trader_asking_for_another_traders_account_is_refused()
    {
        var reply = (await _trader1.GetAsync("/api/v1/positions?accountId=2001")).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("2001", reply.Str("detail"), StringComparison.Ordinal);
        // Without a filter a trader sees only their own accounts' rows.
        var own = (await _trader1.GetAsync("/api/v1/positions")).Expect(HttpStatusCode.OK).Json;
        Assert.All(own.AsArray(), r => Assert.Contains(r!["accountId"]!.GetValue<long>(), new long[] { 1001, 1002 }));
        Assert.Equal(2, own.AsArray().Count);
    }

    [Fact]
    public async Task A_reader_asking_for_an_account_that_does_not_exist_gets_404()
    {
        var viewer = await _platform.ClientForAsync("viewer1");
        (await viewer.GetAsync("/api/v1/positions?accountId=9999")).Expect(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("accountId=abc", "accountId", "'abc' is not a whole number")]
    [InlineData("accountId=0", "accountId", "'0' must be a positive account id")]
    [InlineData("symbol=NOPE", "symbol", "'NOPE' is not a known instrument (GET /api/v1/instruments lists them)")]
    [InlineData("symbol=ABCDEFGHIJKLMNOPQ", "symbol", "must be at most 16 characters")]
    public async Task A_bad_query_names_the_field(string query, string field, string message)
    {
        var reply = (await _trader1.GetAsync("/api/v1/positions?" + query)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal([message], reply.Errors(field));
    }

    [Fact]
    public async Task The_openapi_document_says_which_cost_method_is_used()
    {
        var doc = (await _platform.Anonymous().GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK).Json;
        var get = doc["paths"]!["/api/v1/positions"]!["get"]!;
        Assert.Contains("weighted average", get["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_callers_are_refused() =>
        (await _platform.Anonymous().GetAsync("/api/v1/positions")).Expect(HttpStatusCode.Unauthorized);
}

/// <summary>The weighted-average arithmetic alone, through reversals and back to flat.</summary>
public sealed class PositionPricingTests
{
    private static HoldingTrade T(long quantity, decimal price) => new(1, "X", quantity, price, "EGP", 0, DateTime.UnixEpoch);

    [Fact]
    public void Buy_100_at_10_buy_100_at_12_sell_150_at_13()
    {
        var p = PositionPricing.Price(1, "X", "EGP", [T(100, 10m), T(100, 12m), T(-150, 13m)], 13m, "Last", 1m);
        Assert.Equal(50, p.Quantity);
        Assert.Equal(11m, p.AverageCost);
        Assert.Equal(300m, p.RealisedPnl);
        Assert.Equal(650m, p.MarketValue);
        Assert.Equal(100m, p.UnrealisedPnl);
    }

    [Fact]
    public void A_sale_through_flat_opens_a_short_at_its_price_and_buying_it_back_realises_the_difference()
    {
        // 50 long at 11 (realised 300); sell 100 at 9: -100 on the 50 closed, 50 short at 9; buy 50 back at 8: +50, flat.
        var trades = new List<HoldingTrade> { T(100, 10m), T(100, 12m), T(-150, 13m), T(-100, 9m) };
        var shortNow = PositionPricing.Price(1, "X", "EGP", trades, 8.5m, "Last", 1m);
        Assert.Equal(-50, shortNow.Quantity);
        Assert.Equal(9m, shortNow.AverageCost);
        Assert.Equal(200m, shortNow.RealisedPnl);
        Assert.Equal(-425m, shortNow.MarketValue);
        Assert.Equal(25m, shortNow.UnrealisedPnl);   // 50 short at 9, worth 8.5 now

        trades.Add(T(50, 8m));
        var flat = PositionPricing.Price(1, "X", "EGP", trades, 8m, "Last", 1m);
        Assert.Equal(0, flat.Quantity);
        Assert.Null(flat.AverageCost);
        Assert.Equal(250m, flat.RealisedPnl);
        Assert.Equal(0m, flat.MarketValue);
        Assert.Equal(0m, flat.UnrealisedPnl);
    }

    [Fact]
    public void The_average_is_rounded_for_display_but_the_pnl_uses_the_exact_one()
    {
        // 1 @ 10 and 2 @ 11: average 32/3; selling all 3 at 12 realises exactly 36 - 32 = 4.
        var open = PositionPricing.Price(1, "X", "EGP", [T(1, 10m), T(2, 11m)], 12m, "Last", 1m);
        Assert.Equal(10.666667m, open.AverageCost);
        Assert.Equal(4m, open.UnrealisedPnl);
        var closed = PositionPricing.Price(1, "X", "EGP", [T(1, 10m), T(2, 11m), T(-3, 12m)], 12m, "Last", 1m);
        Assert.Equal(4m, closed.RealisedPnl);
    }

    [Fact]
    public void A_futures_position_counts_its_multiplier()
    {
        var p = PositionPricing.Price(1, "F", "AED", [T(2, 15.50m), T(-1, 16.00m)], 16.25m, "Last", 100m);
        Assert.Equal(50m, p.RealisedPnl);     // 1 contract x 0.50 x 100
        Assert.Equal(1625m, p.MarketValue);   // 1 x 16.25 x 100
        Assert.Equal(75m, p.UnrealisedPnl);   // 1 x 0.75 x 100
    }
}

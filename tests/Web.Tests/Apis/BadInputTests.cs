using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>Every kind of bad order gets a clear 4xx naming the field, and writes nothing.</summary>
public sealed class BadInputTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private async Task<Reply> RefusedAsync(Func<ApiClient, Task<Reply>> send, HttpStatusCode status)
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var before = await platform.CountRowsAsync();
        var reply = (await send(trader1)).Expect(status);
        Assert.Equal(before, await platform.CountRowsAsync());
        Assert.Equal((int)status, reply.Json["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(reply.Json["detail"]?.GetValue<string>()), reply.Body);
        return reply;
    }

    [Fact]
    public async Task Malformed_json_names_the_position()
    {
        var reply = await RefusedAsync(api => api.PostRawAsync("/api/v1/orders",
            """{"accountId":1001,"clientOrderId":"m1","symbol":"COMI.INT","side":"Buy","price":80,"quantity":10"""), HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", reply.Str("title"));
        Assert.Contains("line 1, position", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_its_path()
    {
        var reply = await RefusedAsync(api => api.PostRawAsync("/api/v1/orders",
            """{"accountId":1001,"clientOrderId":"m2","symbol":"COMI.INT","side":"Buy","price":"eighty","quantity":10}"""), HttpStatusCode.BadRequest);
        Assert.Contains("the value at $.price has the wrong type", reply.Errors("$.price").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("TradSys", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_is_refused_by_name()
    {
        var reply = await RefusedAsync(api => api.PostRawAsync("/api/v1/orders",
            """{"accountId":1001,"clientOrderId":"m3","symbol":"COMI.INT","side":"Buy","price":80,"quantity":10,"qty":5}"""), HttpStatusCode.BadRequest);
        Assert.Contains("unknown field 'qty'", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_instrument_is_refused()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "NOPE", "Buy", 10m, 10), HttpStatusCode.BadRequest);
        Assert.Contains("unknown instrument 'NOPE'", reply.Errors("symbol").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_off_tick_price_is_refused_with_the_nearest_valid_prices()
    {
        // EGX: 0.01 from 2.00; the message gives the venue's step and the two neighbours.
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 80.005m, 10), HttpStatusCode.BadRequest);
        Assert.Equal("price 80.005 is not on the tick: at this price INTERNAL moves in steps of 0.01 (nearest valid prices 80.00 and 80.01)",
            reply.Errors("price").Single());
    }

    [Fact]
    public async Task More_decimals_than_the_venue_quotes_is_off_tick()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 80.0001m, 10), HttpStatusCode.BadRequest);
        Assert.Contains("not on the tick", reply.Errors("price").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_quantity_is_refused()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 80m, -10), HttpStatusCode.BadRequest);
        Assert.Equal("must be positive; got -10", reply.Errors("quantity").Single());
    }

    [Fact]
    public async Task A_fractional_quantity_is_refused()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10.5m), HttpStatusCode.BadRequest);
        Assert.Equal("must be a whole number of shares; got 10.5", reply.Errors("quantity").Single());
    }

    [Fact]
    public async Task A_quantity_that_is_not_whole_lots_is_refused()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 15), HttpStatusCode.BadRequest);
        Assert.Equal("quantity 15 is not a whole number of lots: the lot size of COMI.INT is 10", reply.Errors("quantity").Single());
    }

    [Fact]
    public async Task A_price_outside_the_daily_limits_is_refused_with_the_band()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 90m, 10), HttpStatusCode.BadRequest);
        Assert.Equal("price 90.00 is outside today's limits 72.00 to 88.00 (INTERNAL: +10%/-10% of the reference price 80.00)",
            reply.Errors("price").Single());
    }

    [Fact]
    public async Task An_oversize_body_is_refused_before_parsing()
    {
        var padding = new string('x', 20_000);
        var reply = await RefusedAsync(api => api.PostRawAsync("/api/v1/orders",
            $$"""{"accountId":1001,"clientOrderId":"{{padding}}","symbol":"COMI.INT","side":"Buy","price":80,"quantity":10}"""),
            HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 16384 bytes", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_account_is_refused()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(999_999, "COMI.INT", "Buy", 80m, 10), HttpStatusCode.BadRequest);
        Assert.Equal("account 999999 does not exist", reply.Errors("accountId").Single());
    }

    [Fact]
    public async Task A_trader_using_another_traders_account_is_forbidden()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(2001, "COMI.INT", "Buy", 80m, 10), HttpStatusCode.Forbidden);
        Assert.Contains("account 2001 is not yours", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_fields_are_all_named_at_once()
    {
        var reply = await RefusedAsync(api => api.PostRawAsync("/api/v1/orders", "{}"), HttpStatusCode.BadRequest);
        foreach (var field in new[] { "accountId", "clientOrderId", "symbol", "side", "quantity", "price" })
        {
            Assert.NotEmpty(reply.Errors(field));
        }
    }

    [Fact]
    public async Task A_market_order_with_a_price_is_refused()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10, type: "Market"), HttpStatusCode.BadRequest);
        Assert.Contains("takes no price", reply.Errors("price").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_side_lists_the_valid_ones()
    {
        var reply = await RefusedAsync(api => api.SubmitAsync(1001, "COMI.INT", "Hold", 80m, 10), HttpStatusCode.BadRequest);
        Assert.Equal("'Hold' is not one of Buy, Sell", reply.Errors("side").Single());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_unsupported_media()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        using var content = new StringContent("accountId=1001", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await trader1.Http.PostAsync("/api/v1/orders", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}

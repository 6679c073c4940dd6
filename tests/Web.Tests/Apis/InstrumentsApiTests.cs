using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Listings through /api/v1/instruments (issue 14), as the back office uses them on a running platform: ops1 lists an instrument and
/// it trades through POST /api/v1/orders as soon as the call returns (no restart), its book opening in the venue's phase; every bad
/// field is named at once and nothing is stored; an edit is a version that counts from the next order; a delisting refuses new orders
/// with a clear reason and cancels the working ones; only operations and admins change listings.
/// </summary>
public sealed class InstrumentsApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo and 13:00 in Abu Dhabi, both in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Orascom Construction on EGX (a real ISIN, check digit 1), construction and engineering: a listing body (also
    /// <see cref="ReferenceDataFollowTests"/>'s).</summary>
    internal static Dictionary<string, object?> Orascom() => new()
    {
        ["symbol"] = "ORAS", ["isin"] = "EGS95001C011", ["name"] = "Orascom Construction", ["nameAr"] = "أوراسكوم كونستراكشون",
        ["venue"] = "EGX", ["currency"] = "EGP", ["sector"] = "20103010", ["lotSize"] = 1, ["referencePrice"] = 250.00m,
        ["issuedShares"] = 110_000_000, ["averageDailyVolume"] = 300_000, ["isOnShortSellEligibleList"] = false,
        ["foreignOwnershipLimitPct"] = 49m, ["foreignHoldingPct"] = 12.5m,
        ["sharia"] = new Dictionary<string, object?>
        {
            ["totalDebt"] = 9_000_000_000m, ["cashAndInterestBearingSecurities"] = 4_000_000_000m, ["receivables"] = 11_000_000_000m,
            ["nonPermissibleIncome"] = 100_000_000m, ["totalRevenue"] = 60_000_000_000m, ["marketCap"] = 27_500_000_000m,
            ["averageMarketCap36M"] = 22_000_000_000m, ["totalAssets"] = 80_000_000_000m, ["reportingCurrency"] = "EGP", ["asOf"] = "2026-09-30",
            ["source"] = "Q3 2026 interim statements",
        },
        ["reason"] = "new listing: EGX notice 2026/114",
    };

    private static async Task<Reply> SendAsync(ApiClient client, HttpMethod method, string path, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        using var response = await client.Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>An instrument's listing data as read, with its ETag, ready to be edited and sent back.</summary>
    private static async Task<(JsonObject Body, string ETag)> ReadAsync(ApiClient client, string symbol)
    {
        using var response = await client.Http.GetAsync($"/api/v1/instruments/{symbol}/listing");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response.Headers.ETag!.ToString());
    }

    private static async Task<JsonArray> AuditAsync(ApiClient admin, string subject, string action) =>
        (await admin.GetAsync($"/api/v1/audit?subject={subject}&action={action}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

    [Fact]
    public async Task A_listed_instrument_trades_through_the_order_API_as_soon_as_the_listing_returns()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        // Not tradable before it is listed.
        (await trader1.SubmitAsync(1001, "ORAS", "Buy", 250m, 100)).Expect(HttpStatusCode.BadRequest);

        var listed = (await ops.PostJsonAsync("/api/v1/instruments", Orascom())).Expect(HttpStatusCode.Created);
        Assert.Equal("/api/v1/instruments/ORAS/listing", listed.Location!.OriginalString);
        var body = listed.Json;
        Assert.Equal((1, "Trading", "EGX", "EGP", "20103010"), (body["version"]!.GetValue<int>(), body["status"]!.GetValue<string>(),
            body["venue"]!.GetValue<string>(), body["currency"]!.GetValue<string>(), body["sector"]!.GetValue<string>()));
        Assert.Equal(("Continuous", 250m, 49m), (body["venuePhase"]!.GetValue<string>(), body["referencePrice"]!.GetValue<decimal>(),
            body["foreignOwnershipLimitPct"]!.GetValue<decimal>()));
        Assert.Equal("2026-09-30", body["sharia"]!["asOf"]!.GetValue<string>());
        Assert.Equal(2, body["tickTable"]!.AsArray().Count); // EGX's

        // Right after the call: an order for the new symbol is accepted, and a crossing one matches it.
        var buy = (await trader1.SubmitAsync(1001, "ORAS", "Buy", 250m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", buy.Str("status"));
        var sell = (await trader2.SubmitAsync(2001, "ORAS", "Sell", 250m, 100,
            extra: new Dictionary<string, object?> { ["shortMarking"] = "Short", ["locateId"] = "LOC-ORAS-1" })).Expect(HttpStatusCode.Created);
        Assert.True(sell.Str("status") == "Filled", sell.Describe());
        Assert.Equal("Filled", (await trader1.GetAsync($"/api/v1/orders/{buy.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
        var quote = (await trader1.GetAsync("/api/v1/instruments/ORAS/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((250m, 100L, "Continuous"), (quote["last"]!.GetValue<decimal>(), quote["volume"]!.GetValue<long>(), quote["phase"]!.GetValue<string>()));

        // In the list every role reads, with its daily limits from the venue (EGX +-20%).
        var instrument = (await trader1.GetAsync("/api/v1/instruments/ORAS")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((200m, 300m), (instrument["lowerLimit"]!.GetValue<decimal>(), instrument["upperLimit"]!.GetValue<decimal>()));

        // Version 1, audited, stored.
        var v1 = Assert.Single((await ops.GetAsync("/api/v1/instruments/ORAS/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal((1, "ops1", "new listing: EGX notice 2026/114"), (v1["version"]!.GetValue<int>(), v1["changedBy"]!.GetValue<string>(), v1["reason"]!.GetValue<string>()));
        Assert.Null(v1["before"]);
        Assert.Contains("isin", v1["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        var audit = Assert.Single(await AuditAsync(admin, "instrument/ORAS", "instrument.listed"))!;
        Assert.Equal("ops1", audit["actor"]!.GetValue<string>());
        var (read, etag) = await ReadAsync(trader1, "ORAS");
        Assert.Equal("W/\"v1\"", etag);
        Assert.Equal("Orascom Construction", read["name"]!.GetValue<string>());

        // The same symbol again is a conflict in the form (400, symbol) and nothing changes.
        var again = (await admin.PostJsonAsync("/api/v1/instruments", Orascom())).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("ORAS is listed already", Assert.Single(again.Errors("symbol")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_book_listed_during_the_pre_open_opens_in_the_call_and_uncrosses_at_the_open()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 7, 45, 0, TimeSpan.Zero); // Thursday 09:45 in Cairo: EGX pre-open
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        Assert.Equal("PreOpen", (await ops.PostJsonAsync("/api/v1/instruments", Orascom())).Expect(HttpStatusCode.Created).Str("venuePhase"));
        var buy = (await trader1.SubmitAsync(1001, "ORAS", "Buy", 251m, 100)).Expect(HttpStatusCode.Created);
        var sell = (await trader2.SubmitAsync(2001, "ORAS", "Sell", 249m, 100,
            extra: new Dictionary<string, object?> { ["shortMarking"] = "Short", ["locateId"] = "LOC-ORAS-1" })).Expect(HttpStatusCode.Created);
        // In the call the crossed orders rest: no trade until the uncross.
        Assert.True((buy.Str("status"), sell.Str("status")) == ("Accepted", "Accepted"), sell.Describe());
        var quote = (await trader1.GetAsync("/api/v1/instruments/ORAS/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("PreOpen", 0L), (quote["phase"]!.GetValue<string>(), quote["trades"]!.GetValue<long>()));
        Assert.Equal(100, quote["indicativeVolume"]!.GetValue<long>());

        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 8, 0, 5, TimeSpan.Zero); // 10:00:05: continuous
        quote = (await trader1.GetAsync("/api/v1/instruments/ORAS/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("Continuous", 1L, 100L), (quote["phase"]!.GetValue<string>(), quote["trades"]!.GetValue<long>(), quote["volume"]!.GetValue<long>()));
        Assert.Equal("Filled", (await trader1.GetAsync($"/api/v1/orders/{buy.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once_and_nothing_is_stored()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var bad = Orascom();
        bad["isin"] = "EGS95001C012"; // wrong check digit
        bad["venue"] = "CASE";
        bad["currency"] = "egp";
        bad["sector"] = "Banks";
        bad["lotSize"] = 0;
        bad["foreignOwnershipLimitPct"] = 120m;
        bad["isDerivative"] = true; // without its terms
        bad["sharia"] = new Dictionary<string, object?> { ["totalDebt"] = -1m, ["marketCap"] = 5m };
        bad.Remove("reason");

        var reply = (await ops.PostJsonAsync("/api/v1/instruments", bad)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("check digit", Assert.Single(reply.Errors("isin")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("there is no venue 'CASE'", Assert.Single(reply.Errors("venue")), StringComparison.Ordinal);
        Assert.Contains("ISO 4217", Assert.Single(reply.Errors("currency")), StringComparison.Ordinal);
        Assert.Contains("not a code of the sector classification", Assert.Single(reply.Errors("sector")), StringComparison.Ordinal);
        Assert.Single(reply.Errors("lotSize"));
        Assert.Single(reply.Errors("foreignOwnershipLimitPct"));
        Assert.Single(reply.Errors("underlyingIsin"));
        Assert.Single(reply.Errors("expiresOn"));
        Assert.Single(reply.Errors("assetClass"));
        Assert.Single(reply.Errors("sharia.totalDebt"));
        Assert.Contains("is required with screening figures", Assert.Single(reply.Errors("sharia.asOf")), StringComparison.Ordinal);
        Assert.Single(reply.Errors("sharia.reportingCurrency"));
        Assert.Single(reply.Errors("reason"));

        // A price off EGX's tick (0.01 above 2) is named with the tick.
        var offTick = Orascom();
        offTick["referencePrice"] = 250.005m;
        Assert.Contains("tick", Assert.Single((await ops.PostJsonAsync("/api/v1/instruments", offTick)).Expect(HttpStatusCode.BadRequest)
            .Errors("referencePrice")), StringComparison.Ordinal);

        // Nothing was stored or listed.
        (await ops.GetAsync("/api/v1/instruments/ORAS")).Expect(HttpStatusCode.NotFound);
        (await ops.GetAsync("/api/v1/instruments/ORAS/listing")).Expect(HttpStatusCode.NotFound);
        await platform.WithDbAsync(async db => Assert.Equal(0, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.InstrumentVersions)));
    }

    [Fact]
    public async Task Only_operations_and_admins_change_listings()
    {
        await using var platform = new PlatformFactory();
        foreach (var user in new[] { "trader1", "compliance1", "regulator1", "risk1" })
        {
            var client = await platform.ClientForAsync(user);
            (await client.PostJsonAsync("/api/v1/instruments", Orascom())).Expect(HttpStatusCode.Forbidden);
            (await SendAsync(client, HttpMethod.Put, "/api/v1/instruments/COMI", new { reason = "x" })).Expect(HttpStatusCode.Forbidden);
            (await client.PostJsonAsync("/api/v1/instruments/COMI/delist", new { reason = "x" })).Expect(HttpStatusCode.Forbidden);
            (await client.GetAsync("/api/v1/instruments/COMI/listing")).Expect(HttpStatusCode.OK);
        }
        (await (await platform.ClientForAsync("admin")).PostJsonAsync("/api/v1/instruments", Orascom())).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_edit_is_a_version_that_counts_from_the_very_next_order()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");

        Assert.Equal("Accepted", (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created).Str("status"));

        // The internal line moves to lots of 100: an order of 10 shares is no longer whole lots.
        var (listing, etag) = await ReadAsync(ops, "COMI.INT");
        Assert.Equal("W/\"v0\"", etag); // seeded before versions were kept
        listing["lotSize"] = 100;
        listing["reason"] = "venue notice: board lot 100";
        var edited = (await SendAsync(ops, HttpMethod.Put, "/api/v1/instruments/COMI.INT", listing, etag)).Expect(HttpStatusCode.OK);
        Assert.Equal((1, 100L), (edited.Json["version"]!.GetValue<int>(), edited.Json["lotSize"]!.GetValue<long>()));
        var refused = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("lot", refused.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created).Str("status"));

        // The version keeps before and after; the stale ETag is refused and changes nothing.
        var v1 = Assert.Single((await ops.GetAsync("/api/v1/instruments/COMI.INT/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal(["lotSize"], v1["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal((10L, 100L), (v1["before"]!["lotSize"]!.GetValue<long>(), v1["after"]!["lotSize"]!.GetValue<long>()));
        listing["lotSize"] = 1;
        (await SendAsync(ops, HttpMethod.Put, "/api/v1/instruments/COMI.INT", listing, etag)).Expect(HttpStatusCode.PreconditionFailed);

        // Venue, currency and reference price are fixed once listed: named at once, nothing stored.
        listing["venue"] = "EGX";
        listing["currency"] = "USD";
        listing["referencePrice"] = 1m;
        var fixedFields = (await SendAsync(ops, HttpMethod.Put, "/api/v1/instruments/COMI.INT", listing)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(3, new[] { "venue", "currency", "referencePrice" }.Count(f => fixedFields.Errors(f).Length == 1));
        Assert.Equal(100L, (await ReadAsync(ops, "COMI.INT")).Body["lotSize"]!.GetValue<long>());

        // Sending what is stored changes nothing (no new version).
        var (same, sameTag) = await ReadAsync(ops, "COMI.INT");
        same["reason"] = "no change";
        Assert.Equal(1, (await SendAsync(ops, HttpMethod.Put, "/api/v1/instruments/COMI.INT", same, sameTag)).Expect(HttpStatusCode.OK).Json["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_delisted_instrument_refuses_new_orders_with_its_reason_and_its_working_orders_are_canceled()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var trader1 = await platform.ClientForAsync("trader1");

        var working = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 79.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", working.Str("status"));

        (await ops.PostJsonAsync("/api/v1/instruments/COMI.INT/delist", new { reason = "" })).Expect(HttpStatusCode.BadRequest);
        var delisted = (await ops.PostJsonAsync("/api/v1/instruments/COMI.INT/delist", new { reason = "internal line closed" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Delisted", 1), (delisted.Json["instrument"]!["status"]!.GetValue<string>(), delisted.Json["instrument"]!["version"]!.GetValue<int>()));
        Assert.Equal([working.OrderId], delisted.Json["canceledOrderIds"]!.AsArray().Select(i => i!.GetValue<long>()));

        // The working order was canceled with the delisting as its reason.
        var order = (await trader1.GetAsync($"/api/v1/orders/{working.OrderId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Contains("delisted", order.Body, StringComparison.Ordinal);

        // A new order is refused, saying why.
        var refused = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("COMI.INT is Delisted and takes no orders", Assert.Single(refused.Errors("symbol")), StringComparison.Ordinal);

        // Not delisted or changed again; audited once.
        (await ops.PostJsonAsync("/api/v1/instruments/COMI.INT/delist", new { reason = "again" })).Expect(HttpStatusCode.Conflict);
        var (listing, _) = await ReadAsync(ops, "COMI.INT");
        listing["name"] = "renamed";
        listing["reason"] = "rename";
        (await SendAsync(ops, HttpMethod.Put, "/api/v1/instruments/COMI.INT", listing)).Expect(HttpStatusCode.Conflict);
        var audit = Assert.Single(await AuditAsync(admin, "instrument/COMI.INT", "instrument.delisted"))!;
        Assert.Contains("internal line closed", audit["details"]!.GetValue<string>(), StringComparison.Ordinal);
        (await ops.PostJsonAsync("/api/v1/instruments/NOPE/delist", new { reason = "x" })).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_listing_its_resting_order_and_a_delisting_are_durable_across_a_restart()
    {
        string database;
        long resting;
        {
            await using var before = new PlatformFactory();
            before.Clock.Fixed = Monday;
            var ops = await before.ClientForAsync("ops1");
            var trader1 = await before.ClientForAsync("trader1");
            (await ops.PostJsonAsync("/api/v1/instruments", Orascom())).Expect(HttpStatusCode.Created);
            resting = (await trader1.SubmitAsync(1001, "ORAS", "Buy", 249m, 100)).Expect(HttpStatusCode.Created).OrderId;
            (await ops.PostJsonAsync("/api/v1/instruments/FAB.INT/delist", new { reason = "internal line closed" })).Expect(HttpStatusCode.OK);
            database = before.DatabasePath;
        }

        await using var after = new PlatformFactory { DatabasePath = database };
        after.Clock.Fixed = Monday.AddMinutes(5);
        var trader = await after.ClientForAsync("trader1");
        var seller = await after.ClientForAsync("trader2");
        // The new listing is loaded at start with its version, and its resting order is back in its book.
        var (listing, etag) = await ReadAsync(trader, "ORAS");
        Assert.Equal(("W/\"v1\"", "Trading"), (etag, listing["status"]!.GetValue<string>()));
        var depth = (await trader.GetAsync("/api/v1/instruments/ORAS/depth")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((249m, 100L), (depth["bids"]![0]!["price"]!.GetValue<decimal>(), depth["bids"]![0]!["quantity"]!.GetValue<long>()));
        var sell = (await seller.SubmitAsync(2001, "ORAS", "Sell", 249m, 100,
            extra: new Dictionary<string, object?> { ["shortMarking"] = "Short", ["locateId"] = "LOC-ORAS-2" })).Expect(HttpStatusCode.Created);
        Assert.True(sell.Str("status") == "Filled", sell.Describe());
        Assert.Equal("Filled", (await trader.GetAsync($"/api/v1/orders/{resting}")).Expect(HttpStatusCode.OK).Str("status"));
        // The delisting holds: no orders.
        var refused = (await trader.SubmitAsync(1001, "FAB.INT", "Buy", 15.50m, 10)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("FAB.INT is Delisted and takes no orders", Assert.Single(refused.Errors("symbol")), StringComparison.Ordinal);
    }
}

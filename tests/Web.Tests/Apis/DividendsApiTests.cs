using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Cash dividends through /api/v1/dividends: every field's problem at once and nothing written, announce, list, read, cancel before
/// the ex-date (audited, versioned), and entitlements worked out by hand from trades sent through POST /api/v1/orders before and on
/// the ex-date, paid into the accounts' cash (seen at once in the cash API's balance and buying power) on the payment date, once.
/// </summary>
public sealed class DividendsApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, the internal venue trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The recurring jobs are switched off: the tests pay by the API.</summary>
    private static PlatformFactory NewPlatform() => new()
    {
        Settings = { ["CorporateActions:DividendJobMinutes"] = "0", ["ReferencePrices:CloseJobMinutes"] = "0" },
    };

    private static object Announcement(string exDate, string recordDate, string paymentDate, decimal amountPerShare = 1.25m, string symbol = "COMI") =>
        new { symbol, exDate, recordDate, paymentDate, amountPerShare, currency = "EGP", source = "issuer's board resolution (test)" };

    private static async Task<int> DividendCountAsync(PlatformFactory platform)
    {
        var n = 0;
        await platform.WithDbAsync(async db => n = await db.Dividends.CountAsync());
        return n;
    }

    private static async Task<List<string>> AuditActionsAsync(PlatformFactory platform, long id)
    {
        var actions = new List<string>();
        await platform.WithDbAsync(async db => actions = await db.AuditLog.Where(a => a.Subject == $"dividend/{id}").OrderBy(a => a.Id)
            .Select(a => a.Action).ToListAsync());
        return actions;
    }

    private static async Task CrossAsync(ApiClient seller, long sellAccount, ApiClient buyer, long buyAccount, decimal price, long quantity)
    {
        var resting = (await seller.SubmitAsync(sellAccount, "COMI.INT", "Sell", price, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", resting.Str("status"));
        var aggressor = (await buyer.SubmitAsync(buyAccount, "COMI.INT", "Buy", price, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", aggressor.Str("status"));
    }

    private static decimal Egp(JsonNode cash) =>
        cash["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "EGP")!["available"]!.GetValue<decimal>();

    [Fact]
    public async Task Every_field_problem_is_answered_at_once_and_nothing_is_written()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader = await platform.ClientForAsync("trader1");
        var before = await DividendCountAsync(platform);

        var bad = (await ops.PostJsonAsync("/api/v1/dividends", new
        {
            symbol = "NOPE", exDate = "30/11/2026", paymentDate = "2026-13-01", amountPerShare = 0m, currency = "XYZ",
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("there is no listed instrument 'NOPE'", Assert.Single(bad.Errors("symbol")), StringComparison.Ordinal);
        Assert.Contains("'30/11/2026' is not a date as yyyy-MM-dd", Assert.Single(bad.Errors("exDate")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("recordDate")), StringComparison.Ordinal);
        Assert.Contains("'2026-13-01' is not a date", Assert.Single(bad.Errors("paymentDate")), StringComparison.Ordinal);
        Assert.Contains("0 is not above 0", Assert.Single(bad.Errors("amountPerShare")), StringComparison.Ordinal);
        Assert.Contains("'XYZ' is neither the instrument's currency nor one with a platform FX rate", Assert.Single(bad.Errors("currency")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("source")), StringComparison.Ordinal);

        // Dates out of order, and more decimals than the currency has.
        var order = (await ops.PostJsonAsync("/api/v1/dividends", new
        {
            symbol = "COMI", exDate = "2026-11-30", recordDate = "2026-11-29", paymentDate = "2026-11-28", amountPerShare = 0.125m, currency = "EGP",
            source = "test",
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("2026-11-29 is before the ex-date 2026-11-30", Assert.Single(order.Errors("recordDate")), StringComparison.Ordinal);
        Assert.Contains("2026-11-28 is before the record date", Assert.Single(order.Errors("paymentDate")), StringComparison.Ordinal);
        Assert.Contains("0.125 has more decimals than EGP's 2", Assert.Single(order.Errors("amountPerShare")), StringComparison.Ordinal);

        // A trader may neither announce nor read.
        (await trader.PostJsonAsync("/api/v1/dividends", Announcement("2026-11-30", "2026-12-01", "2026-12-03"))).Expect(HttpStatusCode.Forbidden);
        (await trader.GetAsync("/api/v1/dividends")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before, await DividendCountAsync(platform));
    }

    [Fact]
    public async Task A_dividend_is_announced_listed_read_and_canceled_before_its_ex_date_each_change_versioned_and_audited()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var compliance = await platform.ClientForAsync("compliance1");

        var created = (await ops.PostJsonAsync("/api/v1/dividends", Announcement("2026-11-30", "2026-12-01", "2026-12-03", 0.55m)))
            .Expect(HttpStatusCode.Created);
        var id = created.Long("id");
        Assert.Equal(("Announced", 1, "ops1", 0.55m), (created.Str("status"), created.Json["version"]!.GetValue<int>(), created.Str("createdBy"),
            created.Json["amountPerShare"]!.GetValue<decimal>()));
        Assert.Equal($"/api/v1/dividends/{id}", created.Location!.OriginalString);

        var twin = (await ops.PostJsonAsync("/api/v1/dividends", Announcement("2026-11-30", "2026-12-01", "2026-12-04"))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains($"COMI already has dividend {id} with ex-date 2026-11-30", Assert.Single(twin.Errors("exDate")), StringComparison.Ordinal);

        var listed = (await compliance.GetAsync("/api/v1/dividends?symbol=COMI&from=2026-11-30&to=2026-11-30")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<long>());
        Assert.Empty((await compliance.GetAsync("/api/v1/dividends?symbol=COMI&from=2026-12-01")).Expect(HttpStatusCode.OK).Json.AsArray());
        var badQuery = (await compliance.GetAsync("/api/v1/dividends?from=yesterday&to=2026-01-01&status=Gone")).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badQuery.Errors("from"));
        Assert.NotEmpty(badQuery.Errors("status"));
        Assert.Equal("2026-12-03", (await compliance.GetAsync($"/api/v1/dividends/{id}")).Expect(HttpStatusCode.OK).Str("paymentDate"));
        (await compliance.GetAsync("/api/v1/dividends/999999")).Expect(HttpStatusCode.NotFound);

        var noReason = (await ops.PostJsonAsync($"/api/v1/dividends/{id}/cancel", new { reason = " " })).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(noReason.Errors("reason"));
        var canceled = (await ops.PostJsonAsync($"/api/v1/dividends/{id}/cancel", new { reason = "board resolution withdrawn" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Canceled", 2, "board resolution withdrawn"), (canceled.Str("status"), canceled.Json["version"]!.GetValue<int>(), canceled.Str("cancelReason")));
        (await ops.PostJsonAsync($"/api/v1/dividends/{id}/cancel", new { reason = "again" })).Expect(HttpStatusCode.Conflict);
        (await ops.PostJsonAsync($"/api/v1/dividends/{id}/pay", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Equal(["dividend.announced", "dividend.canceled"], await AuditActionsAsync(platform, id));

        // A canceled dividend does not block a new one for the same ex-date; on its ex-date it can no longer be canceled.
        var second = (await ops.PostJsonAsync("/api/v1/dividends", Announcement("2026-11-30", "2026-12-01", "2026-12-03", 0.60m))).Expect(HttpStatusCode.Created);
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var late = (await ops.PostJsonAsync($"/api/v1/dividends/{second.Long("id")}/cancel", new { reason = "too late" })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("ex-date 2026-11-30 has come", late.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holders_at_the_end_of_the_day_before_the_ex_date_are_paid_once_on_the_payment_date_and_their_buying_power_sees_it()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        // Monday: 1001 buys 100 and 1002 buys 30 COMI.INT (the internal line of COMI's ISIN) from 2001, which goes short 130.
        await CrossAsync(trader2, 2001, trader1, 1001, 80.00m, 100);
        await CrossAsync(trader2, 2001, trader1, 1002, 80.00m, 30);
        var id = (await ops.PostJsonAsync("/api/v1/dividends", Announcement("2026-11-24", "2026-11-25", "2026-11-26", 1.25m)))
            .Expect(HttpStatusCode.Created).Long("id");

        // Tuesday is the ex-date: a purchase that day carries no right to the dividend.
        platform.Clock.Fixed = Monday.AddDays(1);
        await CrossAsync(trader2, 2001, trader1, 1001, 80.00m, 50);
        var entitled = (await ops.GetAsync($"/api/v1/dividends/{id}/entitlements")).Expect(HttpStatusCode.OK).Json;
        var lines = entitled["entitlements"]!.AsArray().Select(e => (e!["accountId"]!.GetValue<long>(), e["quantity"]!.GetValue<long>(),
            e["grossAmount"]!.GetValue<decimal>(), e["paid"]!.GetValue<bool>())).ToList();
        Assert.Equal([(1001L, 100L, 125m, false), (1002L, 30L, 37.5m, false), (2001L, -130L, -162.5m, false)], lines);
        Assert.Equal(0m, entitled["totalGross"]!.GetValue<decimal>());

        var early = (await ops.PostJsonAsync($"/api/v1/dividends/{id}/pay", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("paid on its payment date, 2026-11-26; today is 2026-11-24", early.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // Thursday, the payment date: each account's cash moves by its entitlement, and the buying power with it.
        platform.Clock.Fixed = Monday.AddDays(3);
        var before1001 = (await trader1.GetAsync("/api/v1/accounts/1001/cash")).Expect(HttpStatusCode.OK).Json;
        var before2001 = (await trader2.GetAsync("/api/v1/accounts/2001/cash")).Expect(HttpStatusCode.OK).Json;
        var paid = (await ops.PostJsonAsync($"/api/v1/dividends/{id}/pay", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((3, 0, "Paid", 2), (paid["booked"]!.GetValue<int>(), paid["alreadyBooked"]!.GetValue<int>(), paid["dividend"]!["status"]!.GetValue<string>(),
            paid["dividend"]!["version"]!.GetValue<int>()));
        var after1001 = (await trader1.GetAsync("/api/v1/accounts/1001/cash")).Expect(HttpStatusCode.OK).Json;
        var after2001 = (await trader2.GetAsync("/api/v1/accounts/2001/cash")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(Egp(before1001) + 125m, Egp(after1001));
        Assert.Equal(before1001["buyingPower"]!.GetValue<decimal>() + 125m, after1001["buyingPower"]!.GetValue<decimal>());
        Assert.Equal(Egp(before2001) - 162.5m, Egp(after2001));
        var movement = (await trader1.GetAsync("/api/v1/accounts/1001/cash/movements")).Expect(HttpStatusCode.OK).Json.AsArray()
            .Single(m => m!["kind"]!.GetValue<string>() == "Dividend")!;
        Assert.Equal(($"dividend:{id}", 125m), (movement["reference"]!.GetValue<string>(), movement["amount"]!.GetValue<decimal>()));

        // Paying again pays nobody twice.
        var again = (await ops.PostJsonAsync($"/api/v1/dividends/{id}/pay", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((0, 3), (again["booked"]!.GetValue<int>(), again["alreadyBooked"]!.GetValue<int>()));
        Assert.Equal(Egp(after1001), Egp((await trader1.GetAsync("/api/v1/accounts/1001/cash")).Expect(HttpStatusCode.OK).Json));
        Assert.All((await ops.GetAsync($"/api/v1/dividends/{id}/entitlements")).Expect(HttpStatusCode.OK).Json["entitlements"]!.AsArray(),
            e => Assert.True(e!["paid"]!.GetValue<bool>()));
        Assert.Equal(["dividend.announced", "dividend.paid"], await AuditActionsAsync(platform, id));
    }
}

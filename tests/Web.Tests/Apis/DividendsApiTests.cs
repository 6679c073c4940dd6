using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Cash dividends through /api/v1/dividends: every field's problem at once and nothing written, announce, list, read, cancel before
/// the ex-date (audited, versioned), and entitlements worked out by hand from trades sent through POST /api/v1/orders before and on
/// the ex-date, paid into the accounts' cash (seen at once in the cash API's balance and buying power) on the payment date, once; an
/// announced dividend's terms corrected before its ex-date (PUT), versioned and audited, the same terms again answered unchanged.
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

    private static object Correction(string exDate, string recordDate, string paymentDate, decimal amountPerShare, string reason = "issuer's corrected notice",
        string currency = "EGP", string source = "issuer's corrected notice (test)") =>
        new { exDate, recordDate, paymentDate, amountPerShare, currency, source, reason };

    private static async Task<Reply> PutAsync(ApiClient client, string path, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        using var response = await client.Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), null);
    }

    [Fact]
    public async Task An_announced_dividend_is_corrected_before_its_ex_date_versioned_and_audited_and_the_same_terms_again_change_nothing()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader = await platform.ClientForAsync("trader1");
        var id = (await ops.PostJsonAsync("/api/v1/dividends", Announcement("2026-11-30", "2026-12-01", "2026-12-03", 0.55m)))
            .Expect(HttpStatusCode.Created).Long("id");
        var path = $"/api/v1/dividends/{id}";

        // Every field's problem at once, worded as when announcing, and nothing changed.
        var bad = (await PutAsync(ops, path, new { exDate = "2026-12-05", recordDate = "2026-12-04", paymentDate = "soon", amountPerShare = 0.555m, currency = "eur" }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("2026-12-04 is before the ex-date 2026-12-05", Assert.Single(bad.Errors("recordDate")), StringComparison.Ordinal);
        Assert.Contains("'soon' is not a date as yyyy-MM-dd", Assert.Single(bad.Errors("paymentDate")), StringComparison.Ordinal);
        Assert.Contains("'eur' is not an upper-case ISO 4217 code", Assert.Single(bad.Errors("currency")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("source")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("reason")), StringComparison.Ordinal);
        // A corrected ex-date must still be to come: today (Monday) is not.
        var past = (await PutAsync(ops, path, Correction("2026-11-23", "2026-11-24", "2026-11-26", 0.55m))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("2026-11-23 is not after today (2026-11-23", Assert.Single(past.Errors("exDate")), StringComparison.Ordinal);
        // One per instrument and ex-date: another dividend's ex-date is refused.
        var other = (await ops.PostJsonAsync("/api/v1/dividends", Announcement("2026-12-07", "2026-12-08", "2026-12-10", 0.20m)))
            .Expect(HttpStatusCode.Created).Long("id");
        var twin = (await PutAsync(ops, path, Correction("2026-12-07", "2026-12-08", "2026-12-10", 0.55m))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains($"COMI already has dividend {other} with ex-date 2026-12-07", Assert.Single(twin.Errors("exDate")), StringComparison.Ordinal);
        (await trader.SendAsync(HttpMethod.Put, path, JsonSerializer.Serialize(Correction("2026-11-30", "2026-12-01", "2026-12-04", 0.60m))))
            .Expect(HttpStatusCode.Forbidden);
        var untouched = (await ops.GetAsync(path)).Expect(HttpStatusCode.OK);
        Assert.Equal((1, 0.55m, "2026-12-03"), (untouched.Json["version"]!.GetValue<int>(), untouched.Json["amountPerShare"]!.GetValue<decimal>(), untouched.Str("paymentDate")));

        // The correction: version 2, who and when, the terms that changed; a stale If-Match is refused first.
        (await PutAsync(ops, path, Correction("2026-11-30", "2026-12-01", "2026-12-04", 0.60m), ifMatch: "W/\"v7\"")).Expect(HttpStatusCode.PreconditionFailed);
        var changed = (await PutAsync(ops, path, Correction("2026-11-30", "2026-12-01", "2026-12-04", 0.60m), ifMatch: "W/\"v1\"")).Expect(HttpStatusCode.OK).Json;
        Assert.False(changed["unchanged"]!.GetValue<bool>());
        Assert.Equal(["paymentDate", "amountPerShare", "source"], changed["changed"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal((2, 0.60m, "2026-12-04", "ops1"), (changed["dividend"]!["version"]!.GetValue<int>(), changed["dividend"]!["amountPerShare"]!.GetValue<decimal>(),
            changed["dividend"]!["paymentDate"]!.GetValue<string>(), changed["dividend"]!["updatedBy"]!.GetValue<string>()));

        // The same terms again (another reason): unchanged, no version, no audit record.
        var again = (await PutAsync(ops, path, Correction("2026-11-30", "2026-12-01", "2026-12-04", 0.6m, reason: "resent"))).Expect(HttpStatusCode.OK).Json;
        Assert.True(again["unchanged"]!.GetValue<bool>());
        Assert.Empty(again["changed"]!.AsArray());
        Assert.Equal(2, again["dividend"]!["version"]!.GetValue<int>());
        Assert.Equal(["dividend.announced", "dividend.changed"], await AuditActionsAsync(platform, id));
        string details = "";
        await platform.WithDbAsync(async db => details = await db.AuditLog.Where(a => a.Subject == $"dividend/{id}" && a.Action == "dividend.changed")
            .Select(a => a.Details).SingleAsync());
        var audited = JsonNode.Parse(details)!;
        Assert.Equal(("issuer's corrected notice", 2), (audited["reason"]!.GetValue<string>(), audited["version"]!.GetValue<int>()));
        Assert.Equal((0.55m, 0.6m), (audited["changes"]!["amountPerShare"]!["before"]!.GetValue<decimal>(), audited["changes"]!["amountPerShare"]!["after"]!.GetValue<decimal>()));

        // On its ex-date, or once canceled, it can no longer be corrected.
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var late = (await PutAsync(ops, path, Correction("2026-12-14", "2026-12-15", "2026-12-16", 0.60m))).Expect(HttpStatusCode.Conflict);
        Assert.Contains("ex-date 2026-11-30 has come", late.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await ops.PostJsonAsync($"/api/v1/dividends/{other}/cancel", new { reason = "withdrawn" })).Expect(HttpStatusCode.OK);
        var canceled = (await PutAsync(ops, $"/api/v1/dividends/{other}", Correction("2026-12-14", "2026-12-15", "2026-12-16", 0.20m))).Expect(HttpStatusCode.Conflict);
        Assert.Contains("is Canceled: only an announced dividend can be corrected", canceled.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await PutAsync(ops, "/api/v1/dividends/999999", Correction("2026-12-14", "2026-12-15", "2026-12-16", 0.20m))).Expect(HttpStatusCode.NotFound);
        Assert.Equal(2, (await ops.GetAsync(path)).Expect(HttpStatusCode.OK).Json["version"]!.GetValue<int>());
    }
}

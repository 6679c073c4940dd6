using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// The reference FX rates through /api/v1/fx-rates: every field's problem named at once and nothing written; who may read and change them;
/// a dry run that writes nothing; a change versioned and audited with the rates before and after and who made it; EUR/USD deriving every
/// euro rate again (the inverse USD/EUR included); a day's stored rates; and a change converting the very next order (the buying power of
/// a euro account buying in Egyptian pounds) and revaluing what its open buys already reserve.
/// </summary>
public sealed class FxRatesApiTests
{
    /// <summary>Wednesday 2026-11-25 09:00 UTC.</summary>
    private static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static Task<Reply> PutAsync(ApiClient client, string currency, object body, bool dryRun = false) =>
        client.SendAsync(HttpMethod.Put, $"/api/v1/fx-rates/{currency}{(dryRun ? "?dryRun=true" : "")}", JsonSerializer.Serialize(body));

    private static async Task<(int Versions, int Audit, decimal EgpUsd)> StoredAsync(PlatformFactory platform)
    {
        var counts = (0, 0, 0m);
        await platform.WithDbAsync(async db => counts = (await db.FxRateVersions.CountAsync(), await db.AuditLog.CountAsync(a => a.Action.StartsWith("fx_rates.")),
            (await db.FxRates.SingleAsync(r => r.Currency == "EGP")).UsdPerUnit));
        return counts;
    }

    [Fact]
    public async Task Every_problem_is_named_by_field_and_nothing_is_written_and_only_operations_and_admins_change_a_rate()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        var before = await StoredAsync(platform);
        Assert.Equal((0, 0, 0.02053m), before);

        var empty = (await PutAsync(ops, "egp", new { })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["currency", "reason", "usdPerUnit"], empty.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("is not an upper-case ISO 4217 code", empty.Errors("currency").Single(), StringComparison.Ordinal);
        Assert.Contains("is required", empty.Errors("usdPerUnit").Single(), StringComparison.Ordinal);

        var same = (await PutAsync(ops, "USD", new { usdPerUnit = 1m, reason = "r" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("USD/USD is the same currency on both sides", same.Errors("currency").Single(), StringComparison.Ordinal);
        var unknown = (await PutAsync(ops, "XYZ", new { usdPerUnit = 1m, reason = "r" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("'XYZ' has no rate on the platform (known: AED, EGP, EUR, USD)", unknown.Errors("currency").Single(), StringComparison.Ordinal);

        Assert.Contains("-1 is not above 0",
            (await PutAsync(ops, "EGP", new { usdPerUnit = -1m, reason = "r" })).Expect(HttpStatusCode.BadRequest).Errors("usdPerUnit").Single(), StringComparison.Ordinal);
        Assert.Contains("0 is not above 0",
            (await PutAsync(ops, "EGP", new { usdPerUnit = 0m, reason = "r" })).Expect(HttpStatusCode.BadRequest).Errors("usdPerUnit").Single(), StringComparison.Ordinal);
        Assert.Contains("has more than 12 decimals",
            (await PutAsync(ops, "EGP", new { usdPerUnit = 0.0205300000001m, reason = "r" })).Expect(HttpStatusCode.BadRequest).Errors("usdPerUnit").Single(),
            StringComparison.Ordinal);
        Assert.Contains("not a plausible rate",
            (await PutAsync(ops, "EGP", new { usdPerUnit = 2_000_000m, reason = "r" })).Expect(HttpStatusCode.BadRequest).Errors("usdPerUnit").Single(),
            StringComparison.Ordinal);
        var dates = (await PutAsync(ops, "EGP", new { usdPerUnit = 0.02m, asOf = "2026-13-01", source = new string('s', 257), reason = "r" }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["asOf", "source"], dates.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("is not a date as yyyy-MM-dd", dates.Errors("asOf").Single(), StringComparison.Ordinal);
        Assert.Contains("after today (2026-11-25)",
            (await PutAsync(ops, "EGP", new { usdPerUnit = 0.02m, asOf = "2026-11-26", reason = "r" })).Expect(HttpStatusCode.BadRequest).Errors("asOf").Single(),
            StringComparison.Ordinal);
        // Not JSON at all: the body's problem, nothing else.
        (await ops.SendAsync(HttpMethod.Put, "/api/v1/fx-rates/EGP", "{not json")).Expect(HttpStatusCode.BadRequest);

        // Who may: operations and admins change; risk officers and compliance read; traders neither.
        var body = new { usdPerUnit = 0.021m, reason = "central bank fixing" };
        (await PutAsync(await platform.ClientForAsync("trader1"), "EGP", body)).Expect(HttpStatusCode.Forbidden);
        (await PutAsync(await platform.ClientForAsync("risk1"), "EGP", body)).Expect(HttpStatusCode.Forbidden);
        (await (await platform.ClientForAsync("trader1")).GetAsync("/api/v1/fx-rates")).Expect(HttpStatusCode.Forbidden);
        (await (await platform.ClientForAsync("compliance1")).GetAsync("/api/v1/fx-rates")).Expect(HttpStatusCode.OK);
        Assert.Equal(before, await StoredAsync(platform));

        // A dry run answers and writes nothing.
        var dry = (await PutAsync(ops, "EGP", body, dryRun: true)).Expect(HttpStatusCode.OK).Json;
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Equal("EGP 0.02053->0.021", Line(Assert.Single(dry["changes"]!.AsArray())!));
        Assert.Equal(before, await StoredAsync(platform));
    }

    private static string Line(System.Text.Json.Nodes.JsonNode line) =>
        $"{line["currency"]} {line["usdPerUnitBefore"]}->{line["usdPerUnitAfter"]}";

    [Fact]
    public async Task A_change_is_versioned_and_audited_with_who_and_both_rates_and_EUR_USD_derives_every_euro_rate_again()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");

        var changed = (await PutAsync(ops, "EGP", new { usdPerUnit = 0.021m, asOf = "2026-11-24", source = "CBE fixing", reason = "central bank fixing" }))
            .Expect(HttpStatusCode.OK).Json;
        var line = Assert.Single(changed["changes"]!.AsArray())!;
        // The euro rate is derived from EUR/USD (1.087 in the demo data), so converting to euros directly and through dollars agree.
        Assert.Equal((0.02053m, 0.01889m, 0.021m, 0.019319227231m), (line["usdPerUnitBefore"]!.GetValue<decimal>(), line["eurPerUnitBefore"]!.GetValue<decimal>(),
            line["usdPerUnitAfter"]!.GetValue<decimal>(), line["eurPerUnitAfter"]!.GetValue<decimal>()));
        Assert.Equal(1, Assert.Single(changed["versions"]!.AsArray())!["version"]!.GetValue<int>());

        var rates = (await ops.GetAsync("/api/v1/fx-rates")).Expect(HttpStatusCode.OK).Json["rates"]!.AsArray();
        var egp = rates.Single(r => r!["currency"]!.GetValue<string>() == "EGP")!;
        Assert.Equal(("2026-11-24", "CBE fixing", 1, "ops1"), (egp["asOf"]!.GetValue<string>(), egp["source"]!.GetValue<string>(), egp["version"]!.GetValue<int>(),
            egp["changedBy"]!.GetValue<string>()));
        Assert.Equal(0, rates.Single(r => r!["currency"]!.GetValue<string>() == "AED")!["version"]!.GetValue<int>());
        // The rate already in force: nothing changes, no version, no audit record.
        Assert.Empty((await PutAsync(ops, "EGP", new { usdPerUnit = 0.021m, reason = "same again" })).Expect(HttpStatusCode.OK).Json["changes"]!.AsArray());

        await platform.WithDbAsync(async db =>
        {
            var audit = await db.AuditLog.SingleAsync(a => a.Action == "fx_rates.changed");
            Assert.Equal(("ops1", "fx-rates/EGP"), (audit.Actor, audit.Subject));
            Assert.Contains("\"usdPerUnitBefore\":0.02053", audit.Details, StringComparison.Ordinal);
            Assert.Contains("\"usdPerUnitAfter\":0.021", audit.Details, StringComparison.Ordinal);
            Assert.Contains("central bank fixing", audit.Details, StringComparison.Ordinal);
            var version = await db.FxRateVersions.SingleAsync();
            Assert.Equal(("EGP", 1, "ops1", 0.02053m, 0.021m), (version.Currency, version.Version, version.ChangedBy, version.UsdPerUnitBefore, version.UsdPerUnitAfter));
        });

        // EUR/USD: every other currency's euro rate is derived again, USD's as its inverse; EUR's own euro rate stays 1.
        var eur = (await PutAsync(ops, "EUR", new { usdPerUnit = 1.1m, reason = "EUR/USD fixing" })).Expect(HttpStatusCode.OK).Json;
        var eurRates = eur["changes"]!.AsArray().ToDictionary(c => c!["currency"]!.GetValue<string>(), c => c!["eurPerUnitAfter"]!.GetValue<decimal>());
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["AED"] = 0.247536363636m, ["EGP"] = 0.019090909091m, ["EUR"] = 1m, ["USD"] = 0.909090909091m,
        }, eurRates);
        Assert.Equal(["AED 1", "EGP 2", "EUR 1", "USD 1"],
            eur["versions"]!.AsArray().Select(v => $"{v!["currency"]} {v["version"]}").Order(StringComparer.Ordinal));
        await platform.WithDbAsync(async db => Assert.Equal(2, await db.AuditLog.CountAsync(a => a.Action == "fx_rates.changed")));
    }

    [Fact]
    public async Task A_day_s_stored_rates_are_read_by_date()
    {
        await using var platform = new PlatformFactory { Settings = { ["ReferencePrices:CloseJobMinutes"] = "0", ["Platform:SeedDemoPriceHistory"] = "false" } };
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        Assert.Contains("is not a date", (await ops.GetAsync("/api/v1/fx-rates?date=2026-11-31")).Expect(HttpStatusCode.BadRequest).Errors("date").Single(),
            StringComparison.Ordinal);
        Assert.Contains("no FX rates are stored for 2026-11-23", (await ops.GetAsync("/api/v1/fx-rates?date=2026-11-23")).Expect(HttpStatusCode.NotFound).Body,
            StringComparison.Ordinal);
        (await ops.SendAsync(HttpMethod.Put, "/api/v1/reference-prices/2026-11-23", JsonSerializer.Serialize(new
        {
            reason = "day's fixing",
            fxRates = new[] { new { currency = "AED", usdPerUnit = 0.25m, eurPerUnit = 0.23m } },
        }))).Expect(HttpStatusCode.OK);
        var day = (await ops.GetAsync("/api/v1/fx-rates?date=2026-11-23")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("2026-11-23", day["date"]!.GetValue<string>());
        var aed = Assert.Single(day["rates"]!.AsArray())!;
        Assert.Equal(("AED", 0.25m, 0.23m, "import", "ops1"), (aed["currency"]!.GetValue<string>(), aed["usdPerUnit"]!.GetValue<decimal>(),
            aed["eurPerUnit"]!.GetValue<decimal>(), aed["source"]!.GetValue<string>(), aed["changedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_changed_rate_converts_the_very_next_order()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        // Account 1004 keeps its cash in euros; leave it 50 EUR, so that a buy of 100 COMI.INT at 80 EGP is refused for buying power either way.
        (await ops.PostJsonAsync("/api/v1/accounts/1004/cash/withdrawals",
            new { currency = "EUR", amount = 1_000_000_000m - 50m, reference = "SWIFT-FX-1", reason = "client instruction" })).Expect(HttpStatusCode.Created);

        var first = (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal(2009, first.Long("rejectCode"));
        // 8,000 EGP at the demo data's 0.01889 EUR per EGP.
        Assert.Contains("the buy would cost 151.12 EUR", first.Str("rejectReason"), StringComparison.Ordinal);

        (await PutAsync(ops, "EGP", new { usdPerUnit = 0.0108m, reason = "devaluation" })).Expect(HttpStatusCode.OK);

        // The very next order: 8,000 EGP at 0.0108 / 1.087 = 0.009935602576 EUR per EGP.
        var next = (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal(2009, next.Long("rejectCode"));
        Assert.Contains("the buy would cost 79.48 EUR", next.Str("rejectReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_rate_revalues_what_open_buys_already_reserve()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        // Account 1004 keeps its cash in euros: leave it 200 EUR, and rest a buy of 100 COMI.INT at 76 EGP (7,600 EGP, 143.564 EUR at
        // the demo data's 0.01889 EUR per EGP) below the book, so that it reserves.
        (await ops.PostJsonAsync("/api/v1/accounts/1004/cash/withdrawals",
            new { currency = "EUR", amount = 1_000_000_000m - 200m, reference = "SWIFT-FX-2", reason = "client instruction" })).Expect(HttpStatusCode.Created);
        var first = (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 76.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", first.Str("status"));
        var before = (await trader1.GetAsync("/api/v1/accounts/1004/cash")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((143.56m, 1, 56.44m), (before["reserved"]!.GetValue<decimal>(), before["reservingOrders"]!.GetValue<int>(),
            before["buyingPower"]!.GetValue<decimal>()));
        // At the old rate a second such buy (143.564 EUR) is more than the 56.436 EUR left.
        Assert.Equal(2009, (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 76.00m, 100)).Expect(HttpStatusCode.Created).Long("rejectCode"));

        (await PutAsync(ops, "EGP", new { usdPerUnit = 0.0108m, reason = "devaluation" })).Expect(HttpStatusCode.OK);

        // The resting buy's 7,600 EGP now reserve 7,600 x 0.0108 / 1.087 = 75.51058 EUR, not the 143.56 it reserved when it was placed.
        var after = (await trader1.GetAsync("/api/v1/accounts/1004/cash")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((75.51m, 1, 124.49m), (after["reserved"]!.GetValue<decimal>(), after["reservingOrders"]!.GetValue<int>(),
            after["buyingPower"]!.GetValue<decimal>()));
        // So a second buy of 75.51 EUR fits the 124.49 EUR of buying power now.
        var second = (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 76.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", second.Str("status"));
        var both = (await trader1.GetAsync("/api/v1/accounts/1004/cash")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((151.02m, 2), (both["reserved"]!.GetValue<decimal>(), both["reservingOrders"]!.GetValue<int>()));
    }
}

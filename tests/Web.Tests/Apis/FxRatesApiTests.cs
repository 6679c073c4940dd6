using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// The reference FX rates through /api/v1/fx-rates: every field's problem named at once and nothing written; who may read and change them;
/// a dry run that writes nothing; a change versioned and audited with the rates before and after and who made it; EUR/USD deriving every
/// euro rate again (the inverse USD/EUR included); a day's stored rates; and a change converting the very next order (the buying power of
/// a euro account buying in Egyptian pounds) and revaluing what its open buys already reserve. Many rates from a CSV file (a dry run first,
/// every line's problems at once, every line or none); a new currency added with its first rate and converting the next order.
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

    private static async Task<Reply> ImportAsync(ApiClient client, string query, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await client.Http.PostAsync("/api/v1/fx-rates/import" + query, content);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    private static string ImportLine(System.Text.Json.Nodes.JsonNode line) =>
        $"{line["line"]} {line["currency"]} {line["action"]} {line["usdPerUnitBefore"]?.ToString() ?? "-"}->{line["usdPerUnitAfter"]} {line["eurPerUnitAfter"]}";

    private const string Fixing =
        "currency,usdPerUnit,asOf,source,reason\r\n" +
        "EGP,0.021,2026-11-24,CBE fixing,\r\n" +
        "SAR,0.2666,,SAMA,new client currency\r\n";

    [Fact]
    public async Task A_CSV_import_checked_by_a_dry_run_changes_and_adds_every_rate_versioned_and_audited_and_sent_again_changes_nothing()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        var before = await StoredAsync(platform);

        // The dry run (the default): what each line would do, and nothing written.
        var dry = (await ImportAsync(ops, "?reason=day%27s%20fixing", Fixing)).Expect(HttpStatusCode.OK).Json;
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Equal(["2 EGP Change 0.02053->0.021 0.019319227231", "3 SAR Add -->0.2666 0.245262189512"],
            dry["lines"]!.AsArray().Select(l => ImportLine(l!)));
        Assert.Equal((1, 1, 0), (dry["added"]!.GetValue<int>(), dry["changed"]!.GetValue<int>(), dry["unchanged"]!.GetValue<int>()));
        Assert.Empty(dry["versions"]!.AsArray());
        Assert.Equal(before, await StoredAsync(platform));
        Assert.DoesNotContain("SAR", (await ops.GetAsync("/api/v1/fx-rates")).Expect(HttpStatusCode.OK).Body, StringComparison.Ordinal);

        // Traders and risk officers may not import.
        (await ImportAsync(await platform.ClientForAsync("trader1"), "?dryRun=false&reason=r", Fixing)).Expect(HttpStatusCode.Forbidden);
        (await ImportAsync(await platform.ClientForAsync("risk1"), "?dryRun=false&reason=r", Fixing)).Expect(HttpStatusCode.Forbidden);

        var done = (await ImportAsync(ops, "?dryRun=false&reason=day%27s%20fixing", Fixing)).Expect(HttpStatusCode.OK).Json;
        Assert.False(done["dryRun"]!.GetValue<bool>());
        Assert.Equal(["EGP 1", "SAR 1"], done["versions"]!.AsArray().Select(v => $"{v!["currency"]} {v["version"]}").Order(StringComparer.Ordinal));
        var rates = (await ops.GetAsync("/api/v1/fx-rates")).Expect(HttpStatusCode.OK).Json["rates"]!.AsArray();
        var sar = rates.Single(r => r!["currency"]!.GetValue<string>() == "SAR")!;
        Assert.Equal((0.2666m, 0.245262189512m, "2026-11-25", "SAMA", 1), (sar["usdPerUnit"]!.GetValue<decimal>(), sar["eurPerUnit"]!.GetValue<decimal>(),
            sar["asOf"]!.GetValue<string>(), sar["source"]!.GetValue<string>(), sar["version"]!.GetValue<int>()));
        var egp = rates.Single(r => r!["currency"]!.GetValue<string>() == "EGP")!;
        Assert.Equal((0.021m, "2026-11-24", "CBE fixing"), (egp["usdPerUnit"]!.GetValue<decimal>(), egp["asOf"]!.GetValue<string>(), egp["source"]!.GetValue<string>()));
        await platform.WithDbAsync(async db =>
        {
            Assert.Equal(["fx_rates.added fx-rates/SAR", "fx_rates.changed fx-rates/EGP", "fx_rates.imported fx-rates"],
                (await db.AuditLog.Where(a => a.Action.StartsWith("fx_rates.")).ToListAsync()).Select(a => $"{a.Action} {a.Subject}").Order(StringComparer.Ordinal));
            var versions = await db.FxRateVersions.OrderBy(v => v.Currency).ToListAsync();
            Assert.Equal([("EGP", 1, "ops1", "day's fixing", 0.02053m, 0.021m), ("SAR", 1, "ops1", "new client currency", 0m, 0.2666m)],
                versions.Select(v => (v.Currency, v.Version, v.ChangedBy, v.Reason, v.UsdPerUnitBefore, v.UsdPerUnitAfter)));
        });

        // The same file again: every line Unchanged, nothing written.
        var again = (await ImportAsync(ops, "?dryRun=false&reason=again", Fixing)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((0, 0, 2), (again["added"]!.GetValue<int>(), again["changed"]!.GetValue<int>(), again["unchanged"]!.GetValue<int>()));
        Assert.Empty(again["changes"]!.AsArray());
        await platform.WithDbAsync(async db => Assert.Equal((2, 3), (await db.FxRateVersions.CountAsync(), await db.AuditLog.CountAsync(a => a.Action.StartsWith("fx_rates.")))));
    }

    [Fact]
    public async Task A_file_with_problems_lists_every_line_s_problem_by_line_and_column_and_imports_nothing_not_even_a_dry_run_s_answer()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        var before = await StoredAsync(platform);
        const string bad =
            "currency,usdPerUnit,asOf,source,reason\r\n" +
            "EUR,1.1,,,EUR/USD fixing\r\n" +
            "egp,0.021,,,r\r\n" +
            "EGP,abc,,,r\r\n" +
            "USD,1,,,r\r\n" +
            "AED,0.27,2026-11-26,,\r\n" +
            "EUR,1.2,,,r\r\n" +
            "SA1,0.2666,,,r\r\n";
        foreach (var query in new[] { "", "?dryRun=false" })
        {
            var reply = (await ImportAsync(ops, query, bad)).Expect(HttpStatusCode.BadRequest);
            var problems = reply.Json["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]!.GetValue<string>(), p["message"]!.GetValue<string>())).ToList();
            Assert.Equal([(3, "currency"), (4, "usdPerUnit"), (5, "currency"), (6, "asOf"), (6, "reason"), (7, "currency"), (8, "currency")],
                problems.Select(p => (p.Item1, p.Item2)));
            Assert.Contains("'egp' is not an upper-case ISO 4217 code", problems[0].Item3, StringComparison.Ordinal);
            Assert.Contains("'abc' is not an amount", problems[1].Item3, StringComparison.Ordinal);
            Assert.Contains("USD/USD is the same currency on both sides", problems[2].Item3, StringComparison.Ordinal);
            Assert.Contains("after today (2026-11-25)", problems[3].Item3, StringComparison.Ordinal);
            Assert.Contains("reason in the query", problems[4].Item3, StringComparison.Ordinal);
            Assert.Contains("EUR is on line 2 already", problems[5].Item3, StringComparison.Ordinal);
            Assert.Contains("'SA1' is not an upper-case ISO 4217 code", problems[6].Item3, StringComparison.Ordinal);
            Assert.Contains("line 6: asOf", reply.Json["errors"]!.AsObject().Select(e => e.Key));
        }
        // A header naming no such column stops there.
        var header = (await ImportAsync(ops, "", "currency,rate\r\nEGP,0.021\r\n")).Expect(HttpStatusCode.BadRequest).Json["problems"]!.AsArray();
        Assert.Equal(["1 rate", "1 usdPerUnit"], header.Select(p => $"{p!["line"]} {p["column"]}").Order(StringComparer.Ordinal));
        Assert.Equal(before, await StoredAsync(platform));
        await platform.WithDbAsync(async db => Assert.Equal(1.087m, (await db.FxRates.SingleAsync(r => r.Currency == "EUR")).UsdPerUnit));
    }

    [Fact]
    public async Task A_new_currency_is_added_with_its_first_rate_versioned_and_audited_and_converts_the_next_order()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var sar = new { currency = "SAR", usdPerUnit = 0.2666m, source = "SAMA", reason = "first Saudi client" };

        // PUT changes a rate the platform has; it says how to add one.
        Assert.Contains("POST /api/v1/fx-rates", (await PutAsync(ops, "SAR", new { usdPerUnit = 0.2666m, reason = "r" })).Expect(HttpStatusCode.BadRequest)
            .Errors("currency").Single(), StringComparison.Ordinal);
        var empty = (await ops.PostJsonAsync("/api/v1/fx-rates", new { })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["currency", "reason", "usdPerUnit"], empty.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("has a rate on the platform already: change it with PUT",
            (await ops.PostJsonAsync("/api/v1/fx-rates", new { currency = "EGP", usdPerUnit = 0.02m, reason = "r" })).Expect(HttpStatusCode.BadRequest)
                .Errors("currency").Single(), StringComparison.Ordinal);
        (await trader1.PostJsonAsync("/api/v1/fx-rates", sar)).Expect(HttpStatusCode.Forbidden);
        // Until it has a rate, no account may keep its money in it.
        var account = new Dictionary<string, object?>
        {
            ["name"] = "Riyadh Growth Fund", ["nameAr"] = "صندوق الرياض للنمو", ["investorNumber"] = "784-2026-0000001-1", ["ownerUserId"] = 2, ["clientCategory"] = "Professional", ["isClassified"] = true, ["isLegalEntity"] = true,
            ["jurisdiction"] = "Adgm", ["addressCountry"] = "AE", ["lei"] = "506700GE1G29325QX363", ["fatcaStatus"] = "ForeignCertifiedW8",
            ["w8BenSignedOn"] = "2025-03-15", ["giin"] = "A1B2C3.99999.SL.784", ["giinOnFfiList"] = true, ["emirClass"] = "Financial",
            ["creditLimit"] = 5_000_000m, ["creditCurrency"] = "SAR", ["balanceSheetUsd"] = 25_000_000m, ["reason"] = "onboarding",
        };
        Assert.Contains("'SAR' has no platform FX rate", (await ops.PostJsonAsync("/api/v1/accounts", account)).Expect(HttpStatusCode.BadRequest)
            .Errors("creditCurrency").Single(), StringComparison.Ordinal);

        var dry = (await ops.PostJsonAsync("/api/v1/fx-rates?dryRun=true", sar)).Expect(HttpStatusCode.OK).Json;
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        await platform.WithDbAsync(async db => Assert.False(await db.FxRates.AnyAsync(r => r.Currency == "SAR")));

        var added = (await ops.PostJsonAsync("/api/v1/fx-rates", sar)).Expect(HttpStatusCode.Created).Json;
        var line = Assert.Single(added["changes"]!.AsArray())!;
        Assert.Equal(("SAR", true, 0.2666m, 0.245262189512m), (line["currency"]!.GetValue<string>(), line["usdPerUnitBefore"] is null,
            line["usdPerUnitAfter"]!.GetValue<decimal>(), line["eurPerUnitAfter"]!.GetValue<decimal>()));
        Assert.Equal("SAR 1", $"{added["versions"]![0]!["currency"]} {added["versions"]![0]!["version"]}");
        await platform.WithDbAsync(async db =>
        {
            var audit = await db.AuditLog.SingleAsync(a => a.Action.StartsWith("fx_rates."));
            Assert.Equal(("fx_rates.added", "fx-rates/SAR", "ops1"), (audit.Action, audit.Subject, audit.Actor));
            var version = await db.FxRateVersions.SingleAsync();
            Assert.Equal(("SAR", 1, 0m, 0.2666m, "first Saudi client"), (version.Currency, version.Version, version.UsdPerUnitBefore, version.UsdPerUnitAfter, version.Reason));
        });

        // An account may now keep its money in riyals, and its next order converts at the new rate: 8,000 EGP at 0.02053 USD per EGP
        // and 0.2666 USD per SAR is 616.05 SAR, more than the new account's buying power (no cash yet).
        var id = (await ops.PostJsonAsync("/api/v1/accounts", account)).Expect(HttpStatusCode.Created).Long("accountId");
        var order = (await trader1.SubmitAsync(id, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
        Assert.Equal(2009, order.Long("rejectCode"));
        Assert.Contains("the buy would cost 616.05 SAR", order.Str("rejectReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rates_against_another_base_are_derived_through_the_dollar()
    {
        await using var platform = new PlatformFactory();
        var risk = await platform.ClientForAsync("risk1");
        var egp = (await risk.GetAsync("/api/v1/fx-rates?base=EGP")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("EGP", egp["base"]!.GetValue<string>());
        // Pounds per unit: each currency's dollars per unit over the pound's 0.02053, at 12 decimals.
        Assert.Equal(["AED 13.263029712616", "EGP 1", "EUR 52.946906965416", "USD 48.709206039942"],
            egp["rates"]!.AsArray().Select(r => $"{r!["currency"]} {r["basePerUnit"]}"));
        Assert.Null((await risk.GetAsync("/api/v1/fx-rates")).Expect(HttpStatusCode.OK).Json["rates"]![0]!["basePerUnit"]);
        Assert.Contains("'XYZ' has no rate on the platform (known: AED, EGP, EUR, USD)",
            (await risk.GetAsync("/api/v1/fx-rates?base=XYZ")).Expect(HttpStatusCode.BadRequest).Errors("base").Single(), StringComparison.Ordinal);
        Assert.Contains("'egp' is not an upper-case ISO 4217 code",
            (await risk.GetAsync("/api/v1/fx-rates?base=egp")).Expect(HttpStatusCode.BadRequest).Errors("base").Single(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// The per-day store of reference prices and FX rates: the import through PUT /api/v1/reference-prices/{date} (every field's problem at once
/// and nothing written, a dry run that writes nothing, then stored and audited, a later import replacing a figure), who may read and write
/// it, the close job storing each venue's day once however often it runs (and never over an import), a past day's daily risk report
/// valued at that day's stored FX rate and, the day after, at the nearest earlier stored day's price and rate; and the one store of daily
/// closes: a close imported for risk read by this API and a past day's report, the close job's prices feeding VaR's price history, and the
/// precedence between the writers (an import corrects; the close job never overwrites an import but replaces a demo close).
/// </summary>
public sealed class ReferencePricesApiTests
{
    /// <summary>Wednesday 2026-11-25 09:00 UTC: Monday the 23rd is two trading days back on both venues.</summary>
    private static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The recurring close job is switched off: on real time's five-minute marks it would store the pinned clock's days meanwhile.
    /// The tests run it themselves.</summary>
    private const string CloseJob = "ReferencePrices:CloseJobMinutes";

    /// <summary>The demo data's illustrative closes share the store: off where a test counts what is stored.</summary>
    private const string DemoHistory = "Platform:SeedDemoPriceHistory";

    private static Task<Reply> PutAsync(ApiClient client, string date, object body, bool dryRun = false) =>
        client.SendAsync(HttpMethod.Put, $"/api/v1/reference-prices/{date}{(dryRun ? "?dryRun=true" : "")}", JsonSerializer.Serialize(body));

    private static async Task<(int Prices, int Rates, int Audit)> StoredAsync(PlatformFactory platform)
    {
        var counts = (0, 0, 0);
        await platform.WithDbAsync(async db => counts = (await db.ReferencePriceDays.CountAsync(), await db.DailyFxRates.CountAsync(),
            await db.AuditLog.CountAsync(a => a.Action.StartsWith("reference_prices."))));
        return counts;
    }

    [Fact]
    public async Task Every_problem_is_named_by_field_and_nothing_is_written_then_a_dry_run_writes_nothing_and_the_import_is_stored_and_audited()
    {
        await using var platform = new PlatformFactory { Settings = { [CloseJob] = "0", [DemoHistory] = "false" } };
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        var risk = await platform.ClientForAsync("risk1");
        var trader = await platform.ClientForAsync("trader1");

        var bad = (await PutAsync(ops, "2026-11-23", new
        {
            prices = new object?[]
            {
                new { symbol = "NOPE", price = 1m }, new { symbol = "FAB", price = -1m }, new { symbol = "FAB", price = 2m },
                new { symbol = "COMI", price = 81.123456m }, null,
            },
            fxRates = new object[]
            {
                new { currency = "XYZ", usdPerUnit = 1m, eurPerUnit = 1m }, new { currency = "USD", usdPerUnit = 2m, eurPerUnit = 0.9m },
                new { currency = "AED", usdPerUnit = 0m },
            },
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["fxRates[0].currency", "fxRates[1].usdPerUnit", "fxRates[2].eurPerUnit", "fxRates[2].usdPerUnit", "prices[0].symbol", "prices[1].price",
             "prices[2].symbol", "prices[3].price", "prices[4]", "reason"],
            bad.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("there is no instrument 'NOPE'", bad.Errors("prices[0].symbol").Single(), StringComparison.Ordinal);
        Assert.Contains("given twice (also prices[1])", bad.Errors("prices[2].symbol").Single(), StringComparison.Ordinal);
        Assert.Contains("one USD is 1 USD", bad.Errors("fxRates[1].usdPerUnit").Single(), StringComparison.Ordinal);
        Assert.Contains("is not one of the platform's currencies", bad.Errors("fxRates[0].currency").Single(), StringComparison.Ordinal);

        var body = new
        {
            reason = "closing prices from the exchanges' bulletins",
            prices = new[] { new { symbol = "FAB", price = 15.60m }, new { symbol = "COMI", price = 81.25m } },
            fxRates = new[] { new { currency = "AED", usdPerUnit = 0.25m, eurPerUnit = 0.23m } },
        };
        // The date: not a date, in the future on every venue's clock, a Saturday for ADX.
        Assert.Contains("is not a date", (await PutAsync(ops, "2026-13-01", body)).Expect(HttpStatusCode.BadRequest).Errors("date").Single(),
            StringComparison.Ordinal);
        Assert.Contains("is in the future", (await PutAsync(ops, "2026-11-27", body)).Expect(HttpStatusCode.BadRequest).Errors("date").Single(),
            StringComparison.Ordinal);
        var saturday = (await PutAsync(ops, "2026-11-21", body)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("2026-11-21 is a Saturday, not a trading day of ADX", saturday.Errors("prices[0].symbol").Single(), StringComparison.Ordinal);
        // Who may: operations and admins write; traders neither write nor read.
        (await PutAsync(trader, "2026-11-23", body)).Expect(HttpStatusCode.Forbidden);
        (await PutAsync(risk, "2026-11-23", body)).Expect(HttpStatusCode.Forbidden);
        (await trader.GetAsync("/api/v1/reference-prices/2026-11-23")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal((0, 0, 0), await StoredAsync(platform));
        Assert.Contains("nor any day before it", (await risk.GetAsync("/api/v1/reference-prices/2026-11-23")).Expect(HttpStatusCode.NotFound).Body,
            StringComparison.Ordinal);

        var dry = (await PutAsync(ops, "2026-11-23", body, dryRun: true)).Expect(HttpStatusCode.OK).Json;
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Equal(["COMI New", "FAB New"], dry["prices"]!.AsArray().Select(p => $"{p!["symbol"]} {p["action"]}").Order(StringComparer.Ordinal));
        Assert.Equal((0, 0, 0), await StoredAsync(platform));

        var stored = (await PutAsync(ops, "2026-11-23", body)).Expect(HttpStatusCode.OK).Json;
        Assert.False(stored["dryRun"]!.GetValue<bool>());
        Assert.Equal((2, 1, 1), await StoredAsync(platform));
        var day = (await risk.GetAsync("/api/v1/reference-prices/2026-11-23")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(["COMI 81.25 EGP import ops1", "FAB 15.6 AED import ops1"],
            day["prices"]!.AsArray().Select(p => $"{p!["symbol"]} {p["price"]} {p["currency"]} {p["source"]} {p["enteredBy"]}"));
        var rate = Assert.Single(day["fxRates"]!.AsArray())!;
        Assert.Equal(("AED", 0.25m, 0.23m), (rate["currency"]!.GetValue<string>(), rate["usdPerUnit"]!.GetValue<decimal>(), rate["eurPerUnit"]!.GetValue<decimal>()));
        (await (await platform.ClientForAsync("compliance1")).GetAsync("/api/v1/reference-prices/2026-11-23")).Expect(HttpStatusCode.OK);
        Assert.Contains("the nearest earlier day with figures is 2026-11-23",
            (await ops.GetAsync("/api/v1/reference-prices/2026-11-24")).Expect(HttpStatusCode.NotFound).Body, StringComparison.Ordinal);

        // A later import replaces what it names and leaves the rest; the same rate again is unchanged.
        var again = (await PutAsync(ops, "2026-11-23", new
        {
            reason = "close of FAB corrected",
            prices = new[] { new { symbol = "FAB", price = 15.62m } },
            fxRates = new[] { new { currency = "AED", usdPerUnit = 0.25m, eurPerUnit = 0.23m } },
        })).Expect(HttpStatusCode.OK).Json;
        var fab = again["prices"]![0]!;
        Assert.Equal(("Replace", 15.6m, "import"), (fab["action"]!.GetValue<string>(), fab["storedPrice"]!.GetValue<decimal>(), fab["storedSource"]!.GetValue<string>()));
        Assert.Equal("Unchanged", again["fxRates"]![0]!["action"]!.GetValue<string>());
        Assert.Equal((2, 1, 2), await StoredAsync(platform));
        await platform.WithDbAsync(async db =>
        {
            var audit = await db.AuditLog.Where(a => a.Action == "reference_prices.imported").OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["ops1 reference-prices/2026-11-23", "ops1 reference-prices/2026-11-23"], audit.Select(a => $"{a.Actor} {a.Subject}"));
            Assert.Contains("close of FAB corrected", audit[1].Details, StringComparison.Ordinal);
            Assert.Equal(15.62m, (await db.ReferencePriceDays.SingleAsync(p => p.Symbol == "FAB")).Price);
        });
    }

    [Fact]
    public async Task A_price_is_checked_as_the_risk_CSV_import_checks_a_close_venue_decimals_venue_holidays_and_the_venues_own_week()
    {
        await using var platform = new PlatformFactory { Settings = { [CloseJob] = "0", [DemoHistory] = "false" } };
        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        await Risk.PriceHistoryApiTests.AddHolidayAsync(ops, "ADX", "2026-11-19", "Test closure");
        const string reason = "closes from the exchanges' bulletins";

        // Friday: 4 decimals for ADX's 3; EGX's weekend (ADX trades).
        var friday = (await PutAsync(ops, "2026-11-20", new
        {
            reason, prices = new[] { new { symbol = "FAB", price = 15.4012m }, new { symbol = "COMI", price = 81.25m } },
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["prices[0].price", "prices[1].symbol"], friday.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("15.4012 has more than 3 decimals, ADX's prices", friday.Errors("prices[0].price").Single());
        Assert.Equal("2026-11-20 is a Friday, not a trading day of EGX (it trades Sunday, Monday, Tuesday, Wednesday, Thursday): COMI has no close that day",
            friday.Errors("prices[1].symbol").Single());
        // Thursday: an ADX holiday (EGX trades). Sunday: ADX's weekend (EGX trades).
        var holiday = (await PutAsync(ops, "2026-11-19", new { reason, prices = new[] { new { symbol = "FAB", price = 15.40m }, new { symbol = "COMI", price = 81.25m } } }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["prices[0].symbol"], holiday.Json["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("2026-11-19 is a holiday of ADX's calendar (Test closure): FAB has no close that day", holiday.Errors("prices[0].symbol").Single());
        var sunday = (await PutAsync(ops, "2026-11-22", new { reason, prices = new[] { new { symbol = "COMI", price = 81.25m }, new { symbol = "FAB", price = 15.40m } } }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["prices[1].symbol"], sunday.Json["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("2026-11-22 is a Sunday, not a trading day of ADX (it trades Monday, Tuesday, Wednesday, Thursday, Friday): FAB has no close that day",
            sunday.Errors("prices[1].symbol").Single());
        Assert.Equal((0, 0, 0), await StoredAsync(platform));

        // Off ADX's tick (0.02 from 10) with 3 decimals: taken, as by the CSV import.
        (await PutAsync(ops, "2026-11-17", new { reason, prices = new[] { new { symbol = "FAB", price = 15.43m } } })).Expect(HttpStatusCode.OK);
        Assert.Equal((1, 0, 1), await StoredAsync(platform));
        var stored = (await ops.GetAsync("/api/v1/reference-prices/2026-11-17")).Expect(HttpStatusCode.OK).Json["prices"]!.AsArray();
        Assert.Equal(["FAB 15.43 import"], stored.Select(p => $"{p!["symbol"]} {p["price"]} {p["source"]}"));
    }

    [Fact]
    public async Task The_close_job_stores_each_venues_day_once_however_often_it_runs_and_never_over_an_import()
    {
        await using var platform = new PlatformFactory { Settings = { [CloseJob] = "0" } };
        platform.Clock.Fixed = MarketTime; // Monday 09:00 UTC: ADX (13:00 in Dubai) and EGX trading
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        var ops = await platform.ClientForAsync("ops1");
        (await PutAsync(ops, "2026-11-23", new { reason = "ALDAR from the bulletin", prices = new[] { new { symbol = "ALDAR", price = 8.25m } } }))
            .Expect(HttpStatusCode.OK);

        async Task<IReadOnlyList<ReferencePriceCloseJob.Stored>> RunAt(DateTime utc)
        {
            await using var scope = platform.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ReferencePriceCloseJob>().RunAtAsync(utc, CancellationToken.None);
        }

        // Before ADX's close (15:00 in Dubai, 11:00 UTC) Monday's ADX day is not stored; Sunday's EGX and internal-venue days are over
        // (ADX does not trade on Sundays): their demo closes are replaced by the close job's. Just after it, Monday's ADX day is, with
        // Monday's FX rates.
        var demoSunday = 0;
        await platform.WithDbAsync(async db => demoSunday = await db.ReferencePriceDays.CountAsync(p => p.Date == new DateOnly(2026, 11, 22) && p.Source == "demo"));
        Assert.True(demoSunday > 0);
        var early = await RunAt(new DateTime(2026, 11, 23, 10, 59, 0, DateTimeKind.Utc));
        Assert.Equal(["EGX 2026-11-22", "INTERNAL 2026-11-22"], early.Select(s => $"{s.Venue} {s.Date:yyyy-MM-dd}"));
        await platform.WithDbAsync(async db =>
        {
            var comi = await db.ReferencePriceDays.SingleAsync(p => p.Date == new DateOnly(2026, 11, 22) && p.Symbol == "COMI");
            Assert.Equal(("reference", "system", 80m), (comi.Source, comi.EnteredBy, comi.Price));
            Assert.Equal(0, await db.ReferencePriceDays.CountAsync(p => p.Date == new DateOnly(2026, 11, 22) && p.Source == "demo"));
        });
        var first = await RunAt(new DateTime(2026, 11, 23, 11, 5, 0, DateTimeKind.Utc));
        var adx = Assert.Single(first);
        Assert.Equal(("ADX", new DateOnly(2026, 11, 23)), (adx.Venue, adx.Date));
        Assert.True(adx.Prices > 0 && adx.FxRates > 0, $"{adx}");
        var after = await StoredAsync(platform);
        await platform.WithDbAsync(async db =>
        {
            var monday = await db.ReferencePriceDays.Where(p => p.Date == new DateOnly(2026, 11, 23)).ToDictionaryAsync(p => p.Symbol);
            Assert.Equal((15.50m, "last-trade", "system"), (monday["FAB"].Price, monday["FAB"].Source, monday["FAB"].EnteredBy));
            Assert.Equal((8.25m, "import", "ops1"), (monday["ALDAR"].Price, monday["ALDAR"].Source, monday["ALDAR"].EnteredBy));
            var untraded = monday.Values.Where(p => p.Symbol is not ("FAB" or "ALDAR") && p.Currency == "AED").ToList();
            Assert.NotEmpty(untraded);
            foreach (var p in untraded)
            {
                Assert.Equal(("reference", (await db.Instruments.SingleAsync(i => i.Symbol == p.Symbol)).ReferencePrice), (p.Source, p.Price));
            }
            var rates = await db.DailyFxRates.Where(r => r.Date == new DateOnly(2026, 11, 23)).OrderBy(r => r.Currency).ToListAsync();
            var platformRates = await db.FxRates.OrderBy(r => r.Currency).ToListAsync();
            Assert.Equal(platformRates.Select(r => (r.Currency, r.UsdPerUnit, r.EurPerUnit)), rates.Select(r => (r.Currency, r.UsdPerUnit, r.EurPerUnit)));
            Assert.All(rates, r => Assert.StartsWith("platform: ", r.Source, StringComparison.Ordinal));
        });

        // Again, and again later the same day (EGX still trading): nothing more is written, nor audited.
        Assert.Empty(await RunAt(new DateTime(2026, 11, 23, 11, 5, 0, DateTimeKind.Utc)));
        Assert.Empty(await RunAt(new DateTime(2026, 11, 23, 11, 50, 0, DateTimeKind.Utc)));
        Assert.Equal(after, await StoredAsync(platform));
        var closedAudit = 0;
        await platform.WithDbAsync(async db => closedAudit = await db.AuditLog.CountAsync(a => a.Action == "reference_prices.closed"));
        Assert.Equal(early.Count + first.Count, closedAudit);
    }

    [Fact]
    public async Task A_past_days_daily_risk_report_converts_at_that_days_stored_rate_and_the_next_day_at_the_nearest_earlier_stored_day_labelled()
    {
        await using var platform = new PlatformFactory { Settings = new() { ["Risk:AlertIntervalSeconds"] = "0", [CloseJob] = "0" } };
        platform.Clock.Fixed = MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);

        platform.Clock.Fixed = Wednesday;
        var ops = await platform.ClientForAsync("ops1");
        (await PutAsync(ops, "2026-11-23", new
        {
            reason = "Monday's close",
            prices = new[] { new { symbol = "FAB", price = 15.60m } },
            fxRates = new[] { new { currency = "AED", usdPerUnit = 0.25m, eurPerUnit = 0.23m }, new { currency = "EGP", usdPerUnit = 0.02m, eurPerUnit = 0.0184m } },
        })).Expect(HttpStatusCode.OK);

        var regulator = await platform.ClientForAsync("regulator1");
        async Task<System.Text.Json.Nodes.JsonNode> ReportAsync(string date)
        {
            var run = await RunAsync(regulator, "daily-risk", new { date });
            Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
            await WaitAsync(regulator, run.Long("id"));
            return (await regulator.GetAsync($"/api/v1/reports/runs/{run.Long("id")}/data")).Expect(HttpStatusCode.OK).Json;
        }

        // Monday: FAB traded, so marked at its last trade 15.50; 4,650 AED at Monday's stored 0.25, not today's 0.27229.
        var monday = await ReportAsync("2026-11-23");
        var exposures = monday["largestExposures"]!.AsArray();
        Assert.All(exposures, e => Assert.Equal(("Last", 15.5m, 4650m, 1162.5m), (e!["priceSource"]!.GetValue<string>(), e["price"]!.GetValue<decimal>(),
            Math.Abs(e["marketValue"]!.GetValue<decimal>()), Math.Abs(e["value"]!.GetValue<decimal>()))));
        var notes = monday["notes"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("FX: the rates stored for 2026-11-23. EUR, USD: no rate stored that day, today's platform rate used.", notes);

        // Tuesday: nothing stored for it; FAB did not trade: Monday's stored price and rates, said so.
        var tuesday = await ReportAsync("2026-11-24");
        Assert.All(tuesday["largestExposures"]!.AsArray(), e => Assert.Equal(("Reference 2026-11-23 (nearest earlier)", 15.6m, 1170m),
            (e!["priceSource"]!.GetValue<string>(), e["price"]!.GetValue<decimal>(), Math.Abs(e["value"]!.GetValue<decimal>()))));
        notes = [.. tuesday["notes"]!.AsArray().Select(n => n!.GetValue<string>())];
        Assert.Contains(notes, n => n.StartsWith("FX: no rates are stored for 2026-11-24; converted at those of the nearest earlier stored day, 2026-11-23.",
            StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("Prices: instruments held without a trade that day are marked: 1 instrument(s) at the nearest earlier stored day's", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_close_imported_for_risk_is_read_here_and_by_a_past_days_report_and_the_close_jobs_price_feeds_VaRs_history()
    {
        await using var platform = new PlatformFactory { Settings = new() { ["Risk:AlertIntervalSeconds"] = "0", [CloseJob] = "0" } };
        platform.Clock.Fixed = MarketTime; // Monday 2026-11-23 09:00 UTC; the demo history ends on Friday the 20th for ADX
        var risk = await platform.ClientForAsync("risk1");
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        async Task<List<string>> HistoryAsync(string symbol, string from) =>
            [.. (await risk.GetAsync($"/api/v1/risk/price-history?symbol={symbol}&from={from}")).Expect(HttpStatusCode.OK).Json["closes"]!.AsArray()
                .Select(c => $"{c!["date"]} {c["close"]} {c["source"]}")];
        async Task<Dictionary<string, string>> DayAsync(string date) =>
            (await ops.GetAsync($"/api/v1/reference-prices/{date}")).Expect(HttpStatusCode.OK).Json["prices"]!.AsArray()
                .ToDictionary(p => p!["symbol"]!.GetValue<string>(), p => $"{p!["price"]} {p["currency"]} {p["source"]} {p["enteredBy"]}");

        // Friday's FAB close from the risk CSV replaces the demo close and is the reference price of Friday; ADCB's Monday close is imported
        // before the close job runs.
        Assert.Equal("demo", (await DayAsync("2026-11-20"))["FAB"].Split(' ')[2]);
        (await Risk.PriceHistoryApiTests.PostCsvAsync(risk, "symbol,date,close\nFAB,2026-11-20,15.40\nADCB,2026-11-23,10.30\n")).Expect(HttpStatusCode.OK);
        var friday = await DayAsync("2026-11-20");
        Assert.Equal("15.4 AED import risk1", friday["FAB"]);
        Assert.EndsWith("demo system", friday["ADCB"], StringComparison.Ordinal);

        // Monday: FAB trades at 15.50; at ADX's close the job stores it (last-trade), and VaR's history reads the stored close, not the trades'.
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        Assert.Equal(["2026-11-20 15.4 import", "2026-11-23 15.5 trades"], await HistoryAsync("FAB", "2026-11-20"));
        await using (var scope = platform.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReferencePriceCloseJob>().RunAtAsync(new DateTime(2026, 11, 23, 11, 5, 0, DateTimeKind.Utc), CancellationToken.None);
        }
        Assert.Equal(["2026-11-20 15.4 import", "2026-11-23 15.5 last-trade"], await HistoryAsync("FAB", "2026-11-20"));
        var monday = await DayAsync("2026-11-23");
        Assert.Equal(("15.5 AED last-trade system", "10.3 AED import risk1"), (monday["FAB"], monday["ADCB"])); // the job never overwrites an import
        Assert.Equal(["2026-11-23 10.3 import"], await HistoryAsync("ADCB", "2026-11-23"));

        // Wednesday: the risk CSV corrects Monday's FAB close (an import replaces the close job's); GET here shows it, VaR reads it, and
        // Tuesday's daily risk report (FAB did not trade on Tuesday) values FAB at it.
        platform.Clock.Fixed = Wednesday;
        var corrected = (await Risk.PriceHistoryApiTests.PostCsvAsync(risk, "symbol,date,close\nFAB,2026-11-23,15.60\n", "Monday's official close")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, corrected["replaced"]!.GetValue<int>());
        Assert.Equal("15.6 AED import risk1", (await DayAsync("2026-11-23"))["FAB"]);
        Assert.Equal(["2026-11-20 15.4 import", "2026-11-23 15.6 import"], await HistoryAsync("FAB", "2026-11-20"));

        var regulator = await platform.ClientForAsync("regulator1");
        var run = await RunAsync(regulator, "daily-risk", new { date = "2026-11-24" });
        Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
        await WaitAsync(regulator, run.Long("id"));
        var tuesday = (await regulator.GetAsync($"/api/v1/reports/runs/{run.Long("id")}/data")).Expect(HttpStatusCode.OK).Json;
        var fab = tuesday["largestExposures"]!.AsArray().Where(e => e!["symbol"]!.GetValue<string>() == "FAB").ToList();
        Assert.NotEmpty(fab);
        Assert.All(fab, e => Assert.Equal(("Reference 2026-11-23 (nearest earlier)", 15.6m),
            (e!["priceSource"]!.GetValue<string>(), e["price"]!.GetValue<decimal>())));
    }
}

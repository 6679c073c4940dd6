using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// The stored daily price history through the API: a CSV import answered with every line's problems at once and nothing written, or
/// written whole with one audit record (in the one store of daily closes, with the instrument's currency); a close replaced by a later
/// import; the platform's trades giving a day's close; and the demo data's illustrative history, which never replaces a stored close.
/// </summary>
public sealed class PriceHistoryApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: both venues in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    internal static async Task<Reply> PostCsvAsync(ApiClient client, string csv, string? reason = "closes from the exchange's bulletin")
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var query = reason is null ? "" : "?reason=" + Uri.EscapeDataString(reason);
        using var response = await client.Http.PostAsync("/api/v1/risk/price-history" + query, content);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>Makes <paramref name="date"/> a holiday of <paramref name="venue"/>'s calendar (the holiday import, stored at once).</summary>
    internal static async Task AddHolidayAsync(ApiClient ops, string venue, string date, string name)
    {
        using var content = new StringContent($"date,name\n{date},{name}\n", Encoding.UTF8, "text/csv");
        using var response = await ops.Http.PostAsync($"/api/v1/venues/{venue}/calendar/holidays/import?dryRun=false&reason=test%20closure", content);
        new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location).Expect(HttpStatusCode.OK);
    }

    private static List<(int Line, string Column)> ProblemsOf(Reply reply) =>
        [.. reply.Json["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]!.GetValue<string>()))];

    private static async Task<List<(string Date, decimal Close, string Source)>> ClosesAsync(ApiClient client, string symbol, string from) =>
        [.. (await client.GetAsync($"/api/v1/risk/price-history?symbol={symbol}&from={from}")).Expect(HttpStatusCode.OK).Json["closes"]!.AsArray()
            .Select(c => (c!["date"]!.GetValue<string>(), c["close"]!.GetValue<decimal>(), c["source"]!.GetValue<string>()))];

    [Fact]
    public async Task A_file_with_problems_names_every_line_and_column_and_writes_nothing_then_a_valid_file_is_stored_and_audited()
    {
        await using var platform = new PlatformFactory { Settings = { ["Platform:SeedDemoPriceHistory"] = "false" } };
        platform.Clock.Fixed = Monday;
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        var bad = (await PostCsvAsync(risk,
            "symbol,date,close\r\n" +
            "NOPE,2026-11-20,10\r\n" +     // 2: no such instrument
            "FAB,2026-13-01,15.5\r\n" +    // 3: not a date
            "FAB,2026-11-21,15.5\r\n" +    // 4: a Saturday: ADX is closed
            "FAB,2026-11-24,15.5\r\n" +    // 5: tomorrow
            "FAB,2026-11-20,-1\r\n" +      // 6: not above 0
            "FAB,2026-11-19,abc\r\n" +     // 7: not a number
            "FAB,2026-11-20,15.4\r\n" +    // 8: the same day as line 6
            "ETEL,2026-11-19,38,9\r\n",    // 9: four cells
            reason: null)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal([(0, "reason"), (2, "symbol"), (3, "date"), (4, "date"), (5, "date"), (6, "close"), (7, "close"), (8, "date"), (9, "line")],
            ProblemsOf(bad));
        Assert.Contains("2026-11-21 is a Saturday, not a trading day of ADX", bad.Errors("line 4: date").Single(), StringComparison.Ordinal);
        Assert.Contains("already on line 6", bad.Errors("line 8: date").Single(), StringComparison.Ordinal);
        Assert.Contains("nothing was imported", bad.Json["title"]!.GetValue<string>(), StringComparison.Ordinal);
        var header = (await PostCsvAsync(risk, "symbol,Date,close\r\nFAB,2026-11-20,15.5\r\n")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal([(1, "Date"), (1, "date")], ProblemsOf(header));
        (await PostCsvAsync(trader1, "symbol,date,close\r\nFAB,2026-11-20,15.5\r\n")).Expect(HttpStatusCode.Forbidden);
        Assert.Empty(await ClosesAsync(risk, "FAB", "2026-01-01"));

        var imported = (await PostCsvAsync(risk,
            "date,symbol,close\n2026-11-16,FAB,15.10\n2026-11-17,FAB,15.22\n2026-11-18,FAB,15.31\n2026-11-19,FAB,15.28\n2026-11-20,FAB,15.40\n" +
            "2026-11-19,ETEL,37.85\n")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((6, 0), (imported["closes"]!.GetValue<int>(), imported["replaced"]!.GetValue<int>()));
        Assert.Equal(["ETEL", "FAB"], imported["symbols"]!.AsArray().Select(s => s!["symbol"]!.GetValue<string>()));
        Assert.Equal(
            [("2026-11-16", 15.10m, "import"), ("2026-11-17", 15.22m, "import"), ("2026-11-18", 15.31m, "import"), ("2026-11-19", 15.28m, "import"),
             ("2026-11-20", 15.40m, "import")],
            await ClosesAsync(trader1, "FAB", "2026-11-01"));

        // A later import replaces a stored close; the day's trades give Monday's close.
        var again = (await PostCsvAsync(risk, "symbol,date,close\nFAB,2026-11-20,15.45\n", "corrected close")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, again["replaced"]!.GetValue<int>());
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        var closes = await ClosesAsync(risk, "FAB", "2026-11-19");
        Assert.Equal([("2026-11-19", 15.28m, "import"), ("2026-11-20", 15.45m, "import"), ("2026-11-23", 15.5m, "trades")], closes);

        await platform.WithDbAsync(async db =>
        {
            var audit = await db.AuditLog.Where(a => a.Action == "risk.price_history_imported").OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, audit.Count);
            Assert.All(audit, a => Assert.Equal("risk1", a.Actor));
            Assert.Contains("corrected close", audit[1].Details, StringComparison.Ordinal);
            Assert.Equal(6, await db.ReferencePriceDays.CountAsync());
            Assert.Equal(["AED", "EGP"], await db.ReferencePriceDays.Select(p => p.Currency).Distinct().OrderBy(c => c).ToListAsync());
        });
        (await risk.GetAsync("/api/v1/risk/price-history?symbol=FAB&from=2026-11-30&to=2026-11-01")).Expect(HttpStatusCode.BadRequest);
        (await risk.GetAsync("/api/v1/risk/price-history")).Expect(HttpStatusCode.BadRequest);
        (await risk.GetAsync("/api/v1/risk/price-history?symbol=NOPE")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_close_is_checked_as_the_reference_price_PUT_checks_it_venue_decimals_venue_holidays_and_the_venues_own_week()
    {
        await using var platform = new PlatformFactory { Settings = { ["Platform:SeedDemoPriceHistory"] = "false", ["ReferencePrices:CloseJobMinutes"] = "0" } };
        platform.Clock.Fixed = Monday;
        var risk = await platform.ClientForAsync("risk1");
        await AddHolidayAsync(await platform.ClientForAsync("ops1"), "ADX", "2026-11-19", "Test closure");

        // Each line was taken by the import before (at most 8 decimals, any Monday to Friday) and refused by PUT /api/v1/reference-prices.
        var bad = (await PostCsvAsync(risk,
            "symbol,date,close\n" +
            "FAB,2026-11-18,15.4012\n" +  // 2: 4 decimals, ADX prices have 3
            "FAB,2026-11-19,15.40\n" +    // 3: an ADX holiday (a Thursday)
            "COMI,2026-11-20,81.25\n" +   // 4: a Friday: EGX's weekend, ADX's trading day
            "FAB,2026-11-22,15.40\n" +    // 5: a Sunday: ADX's weekend, EGX's trading day
            "FAB,2026-11-17,15.43\n")).Expect(HttpStatusCode.BadRequest);  // 6: off ADX's tick (0.02 from 10), 3 decimals: taken by both
        Assert.Equal([(2, "close"), (3, "date"), (4, "date"), (5, "date")], ProblemsOf(bad));
        Assert.Equal("15.4012 has more than 3 decimals, ADX's prices", bad.Errors("line 2: close").Single());
        Assert.Equal("2026-11-19 is a holiday of ADX's calendar (Test closure): FAB has no close that day", bad.Errors("line 3: date").Single());
        Assert.Equal("2026-11-20 is a Friday, not a trading day of EGX (it trades Sunday, Monday, Tuesday, Wednesday, Thursday): COMI has no close that day",
            bad.Errors("line 4: date").Single());
        Assert.Equal("2026-11-22 is a Sunday, not a trading day of ADX (it trades Monday, Tuesday, Wednesday, Thursday, Friday): FAB has no close that day",
            bad.Errors("line 5: date").Single());
        await platform.WithDbAsync(async db => Assert.Equal(0, await db.ReferencePriceDays.CountAsync()));
        Assert.Empty(await ClosesAsync(risk, "FAB", "2026-11-01"));

        // The same days and prices the other way round are taken: 3 decimals, COMI on Sunday, FAB on Friday, the off-tick close.
        (await PostCsvAsync(risk, "symbol,date,close\nFAB,2026-11-18,15.401\nFAB,2026-11-20,15.40\nCOMI,2026-11-22,81.25\nFAB,2026-11-17,15.43\n"))
            .Expect(HttpStatusCode.OK);
        Assert.Equal([("2026-11-17", 15.43m, "import"), ("2026-11-18", 15.401m, "import"), ("2026-11-20", 15.40m, "import")],
            await ClosesAsync(risk, "FAB", "2026-11-01"));
    }

    [Fact]
    public async Task The_demo_data_ships_two_years_of_illustrative_closes_labelled_demo_ending_at_the_reference_price()
    {
        // The close job off: at a real five-minute mark it would replace Sunday's demo closes with its own (the store's precedence).
        await using var platform = new PlatformFactory { Settings = { ["ReferencePrices:CloseJobMinutes"] = "0" } };
        platform.Clock.Fixed = Monday;
        var viewer = await platform.ClientForAsync("viewer1");
        var closes = await ClosesAsync(viewer, "COMI", "2024-11-01");
        Assert.InRange(closes.Count, 500, 530);
        Assert.All(closes, c => Assert.Equal("demo", c.Source));
        Assert.All(closes, c => Assert.DoesNotContain(DateOnly.Parse(c.Date, CultureInfo.InvariantCulture).DayOfWeek, new[] { DayOfWeek.Friday, DayOfWeek.Saturday }));
        // The walk ends the day before the database was seeded (Sunday, an EGX trading day) at the reference price.
        Assert.Equal(("2026-11-22", 80m), (closes[^1].Date, closes[^1].Close));
        Assert.NotEqual(closes[0].Close, closes[^1].Close);

        // Seeded: the same day gives the same history.
        var day = new DateOnly(2026, 11, 23);
        var first = DemoPriceHistory.Closes(day, Monday.UtcDateTime).Select(c => (c.Symbol, c.Date, c.Price)).ToList();
        Assert.Equal(first, DemoPriceHistory.Closes(day, Monday.UtcDateTime).Select(c => (c.Symbol, c.Date, c.Price)));

        // The demo history is stored once and never over a real close: seeding again adds nothing.
        await platform.WithDbAsync(async db => Assert.Equal(0, await DemoPriceHistory.SeedAsync(db, Monday.UtcDateTime, CancellationToken.None)));
    }
}

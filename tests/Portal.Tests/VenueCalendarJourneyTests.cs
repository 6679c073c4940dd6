using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of operations on the venue pages (issue 14): the venues list with each venue's time zone and today, a holiday added
/// on a venue's calendar and seen in its versions (who, when, what), a change refused plainly when someone else changed the calendar in
/// between and saved after loading the latest version; a wrong calendar shows each field's problem beside its field and stores nothing;
/// a trader reaches neither page.
/// </summary>
[Collection(Browser.Collection)]
public sealed class VenueCalendarJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<(IPlaywright, IBrowser, IPage)> OpenAsync()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        return (playwright, browser, page);
    }

    private async Task<JsonObject> CalendarAsync(string code)
    {
        using var reader = await _host.ApiClientAsync("ops1");
        return (await reader.GetFromJsonAsync<JsonObject>($"/api/v1/venues/{code}/calendar"))!;
    }

    [Fact]
    public async Task Operations_adds_a_holiday_and_sees_it_in_the_history_then_meets_a_concurrent_change_and_saves_after_reloading()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;

        await Browser.SignInAsync(page, _host.Origin, "/portal", "ops1");
        await page.ClickAsync("#nav-venues");
        var egx = page.Locator("tr[data-venue=EGX]");
        await Assertions.Expect(egx.Locator(".venue-zone")).ToHaveTextAsync("Africa/Cairo");
        await Assertions.Expect(page.Locator("tr[data-venue=ADX] .venue-zone")).ToHaveTextAsync("Asia/Dubai");
        await Assertions.Expect(egx.Locator(".venue-today")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Trading day|Not a trading day)$"));
        await egx.Locator(".venue-calendar").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/venues/EGX/calendar");
        await Assertions.Expect(page.Locator("#calendar-timeZone")).ToHaveValueAsync("Africa/Cairo");
        await Assertions.Expect(page.Locator("#calendar-day-Sunday")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#calendar-day-Friday")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#calendar-sessions-1-phase")).ToHaveValueAsync("Continuous");
        await Assertions.Expect(page.Locator("#calendar-version")).ToHaveTextAsync("version 0");
        await Assertions.Expect(page.Locator("#calendar-history-none")).ToBeVisibleAsync();

        // A holiday added: saved as version 1, and the versions say who added it, why and what changed.
        await page.ClickAsync("#calendar-holidays-add");
        await page.FillAsync("#calendar-holidays-0-date", "2027-01-07");
        await page.FillAsync("#calendar-holidays-0-name", "Coptic Christmas");
        await page.FillAsync("#calendar-reason", "EGX holidays 2027, notice 2026/311");
        await page.ClickAsync("#calendar-save");
        await Assertions.Expect(page.Locator("#calendar-notice")).ToContainTextAsync("Saved as version 1");
        await Assertions.Expect(page.Locator("#calendar-version")).ToHaveTextAsync("version 1");
        var newest = page.Locator("#calendar-history tbody tr").First;
        await Assertions.Expect(newest.Locator(".history-version")).ToHaveTextAsync("1");
        await Assertions.Expect(newest.Locator(".history-by")).ToHaveTextAsync("ops1");
        await Assertions.Expect(newest.Locator(".history-reason")).ToHaveTextAsync("EGX holidays 2027, notice 2026/311");
        await Assertions.Expect(newest.Locator(".history-fields")).ToContainTextAsync("holidays: — → 2027-01-07 Coptic Christmas");
        var stored = await CalendarAsync("EGX");
        Assert.Equal(1, stored["version"]!.GetValue<int>());
        var holiday = Assert.Single(stored["holidays"]!.AsArray());
        Assert.Equal("2027-01-07", holiday!["date"]!.GetValue<string>());
        Assert.Equal("Coptic Christmas", holiday["name"]!.GetValue<string>());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("venue-calendar-holiday-added"), FullPage = true });

        // Someone else adds a holiday through the API meanwhile: the page's change (If-Match: version 1) is refused and said plainly.
        using (var admin = await _host.ApiClientAsync("admin"))
        {
            var body = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/venues/EGX/calendar"))!;
            body["holidays"]!.AsArray().Add(new JsonObject { ["date"] = "2027-01-25", ["name"] = "Revolution Day" });
            body["reason"] = "EGX notice 2026/312";
            using var changed = await admin.PutAsJsonAsync("/api/v1/venues/EGX/calendar", body);
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        }
        await page.ClickAsync("#calendar-halfDays-add");
        await page.FillAsync("#calendar-halfDays-0-date", "2027-04-25");
        await page.FillAsync("#calendar-halfDays-0-closeAt", "12:00");
        await page.FillAsync("#calendar-halfDays-0-name", "Sinai Liberation Day");
        await page.FillAsync("#calendar-reason", "early close on Sinai Liberation Day");
        await page.ClickAsync("#calendar-save");
        await Assertions.Expect(page.Locator("#calendar-conflict")).ToContainTextAsync("Someone else changed this calendar");
        Assert.Equal(2, (await CalendarAsync("EGX"))["version"]!.GetValue<int>());
        await page.ClickAsync("#calendar-reload");
        await Assertions.Expect(page.Locator("#calendar-conflict")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#calendar-version")).ToHaveTextAsync("version 2");
        await Assertions.Expect(page.Locator("#calendar-holidays-1-name")).ToHaveValueAsync("Revolution Day");
        await Assertions.Expect(page.Locator(".calendar-halfday")).ToHaveCountAsync(0);
        await page.ClickAsync("#calendar-halfDays-add");
        await page.FillAsync("#calendar-halfDays-0-date", "2027-04-25");
        await page.FillAsync("#calendar-halfDays-0-closeAt", "12:00");
        await page.FillAsync("#calendar-halfDays-0-name", "Sinai Liberation Day");
        await page.FillAsync("#calendar-reason", "early close on Sinai Liberation Day");
        await page.ClickAsync("#calendar-save");
        await Assertions.Expect(page.Locator("#calendar-notice")).ToContainTextAsync("Saved as version 3");
        await Assertions.Expect(page.Locator("#calendar-history tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#calendar-history tbody tr").First.Locator(".history-fields")).ToContainTextAsync("2027-04-25 12:00 Sinai Liberation Day");
        var halfDay = Assert.Single((await CalendarAsync("EGX"))["halfDays"]!.AsArray());
        Assert.Equal("12:00", halfDay!["closeAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_calendar_shows_each_fields_problem_beside_it_and_stores_nothing()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;

        await Browser.SignInAsync(page, _host.Origin, "/portal/venues/EGX/calendar", "ops1");
        await Assertions.Expect(page.Locator("#calendar-timeZone")).ToHaveValueAsync("Africa/Cairo");
        await page.FillAsync("#calendar-timeZone", "Mars/Olympus_Mons");
        await page.FillAsync("#calendar-sessions-0-end", "9:99");
        await page.ClickAsync("#calendar-holidays-add");
        await page.FillAsync("#calendar-holidays-0-date", "2027-01-08");
        await page.ClickAsync("#calendar-save");

        await Assertions.Expect(page.Locator("#calendar-error")).ToContainTextAsync("Some fields need correcting");
        await Assertions.Expect(page.Locator("[id='timeZone-problem']")).ToContainTextAsync("not a known time zone");
        await Assertions.Expect(page.Locator("[id='sessions[0].end-problem']")).ToContainTextAsync("is not a time");
        await Assertions.Expect(page.Locator("[id='holidays[0].date-problem']")).ToContainTextAsync("not a trading day");
        await Assertions.Expect(page.Locator("[id='holidays[0].name-problem']")).ToContainTextAsync("required");
        await Assertions.Expect(page.Locator("[id='reason-problem']")).ToContainTextAsync("required");
        await Assertions.Expect(page.Locator("#calendar-holidays-0-date")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        await Assertions.Expect(page.Locator("#calendar-holidays-0-date")).ToHaveAttributeAsync("aria-describedby", "holidays[0].date-problem");
        await Assertions.Expect(page.Locator("#calendar-version")).ToHaveTextAsync("version 0");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("venue-calendar-problems"), FullPage = true });

        var stored = await CalendarAsync("EGX");
        Assert.Equal(0, stored["version"]!.GetValue<int>());
        Assert.Equal("Africa/Cairo", stored["timeZone"]!.GetValue<string>());
        Assert.Equal("10:00", stored["sessions"]![0]!["end"]!.GetValue<string>());
        Assert.Empty(stored["holidays"]!.AsArray());
        using var reader = await _host.ApiClientAsync("ops1");
        Assert.Empty((await reader.GetFromJsonAsync<JsonArray>("/api/v1/venues/EGX/calendar/history"))!);
    }

    [Fact]
    public async Task Operations_imports_holidays_from_a_file_after_a_dry_run_that_named_a_bad_line()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;
        static FilePayload Csv(string text) => new() { Name = "egx-holidays-2027.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(text) };

        await Browser.SignInAsync(page, _host.Origin, "/portal/venues/EGX/calendar", "ops1");
        await page.ClickAsync("#calendar-import");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/venues/EGX/holidays/import");
        await Assertions.Expect(page.Locator("#import-columns")).ToHaveTextAsync("date,name,closeAt,action");

        // A holiday on a Friday (EGX does not trade then): named by its line and column; the import is not offered.
        await page.FillAsync("#import-reason", "EGX holidays 2027, notice 2026/311");
        await page.SetInputFilesAsync("#import-file", Csv("date,name,closeAt\n2027-01-07,Coptic Christmas,\n2027-01-08,A Friday,\n"));
        await page.ClickAsync("#import-check");
        var problem = page.Locator("#import-problems tbody tr");
        await Assertions.Expect(problem).ToHaveCountAsync(1);
        await Assertions.Expect(problem.Locator(".problem-line")).ToHaveTextAsync("3");
        await Assertions.Expect(problem.Locator(".problem-message")).ToContainTextAsync("is a Friday, not a trading day");
        await Assertions.Expect(page.Locator("#import-run")).ToBeDisabledAsync();

        // The file corrected: the dry run says what each date becomes and writes nothing; the import stores one version.
        await page.SetInputFilesAsync("#import-file", Csv("date,name,closeAt\n2027-01-07,Coptic Christmas,\n2027-01-06,Eve of Coptic Christmas,13:00\n"));
        await page.ClickAsync("#import-check");
        await Assertions.Expect(page.Locator("#import-notice")).ToContainTextAsync("it would add 2");
        await Assertions.Expect(page.Locator("#import-lines tbody tr").Nth(1).Locator(".line-after")).ToHaveTextAsync("Half day, closing at 13:00: Eve of Coptic Christmas");
        Assert.Equal(0, (await CalendarAsync("EGX"))["version"]!.GetValue<int>());
        await page.ClickAsync("#import-run");
        await Assertions.Expect(page.Locator("#import-notice")).ToContainTextAsync("the calendar is at version 1, with 2 added");
        var stored = await CalendarAsync("EGX");
        Assert.Equal(("2027-01-07", "Coptic Christmas"), (stored["holidays"]![0]!["date"]!.GetValue<string>(), stored["holidays"]![0]!["name"]!.GetValue<string>()));
        Assert.Equal("13:00", stored["halfDays"]![0]!["closeAt"]!.GetValue<string>());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("venue-holidays-imported"), FullPage = true });
    }

    [Fact]
    public async Task A_trader_reaches_neither_the_venues_nor_a_calendar()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;

        await Browser.SignInAsync(page, _host.Origin, "/portal", "trader1");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("trader1");
        await Assertions.Expect(page.Locator("#nav-instruments")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-venues")).ToHaveCountAsync(0);
        foreach (var path in new[] { "/portal/venues", "/portal/venues/EGX/calendar", "/portal/venues/EGX/holidays/import" })
        {
            var refused = await page.GotoAsync(_host.Origin + path);
            Assert.Equal(403, refused!.Status);
            await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("may not use this page");
            await Assertions.Expect(page.Locator("#calendar-form")).ToHaveCountAsync(0);
        }
    }
}

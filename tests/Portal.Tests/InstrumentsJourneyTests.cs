using System.Net.Http.Json;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of operations on the instruments pages (issue 14): the list searched, an instrument listed through the form (every
/// field's problem shown beside its field at once first), a change refused plainly when someone else changed it in between, and a
/// delisting confirmed with the warning that its working orders are canceled; the versions show who, when, why, before and after.
/// </summary>
[Collection(Browser.Collection)]
public sealed class InstrumentsJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Operations_lists_an_instrument_through_the_form_after_its_field_problems_then_changes_and_delists_it()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);

        await Browser.SignInAsync(page, _host.Origin, "/portal/instruments", "ops1");
        await Assertions.Expect(page.Locator("tr[data-symbol=HRHO]")).ToBeVisibleAsync();
        await page.FillAsync("#instruments-search", "EFG");
        await Assertions.Expect(page.Locator("#instruments tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr[data-symbol=HRHO]")).ToBeVisibleAsync();

        // The form with five wrong fields: each problem the API names appears beside its field, all at once, and nothing is listed.
        await page.ClickAsync("#instruments-new");
        await Assertions.Expect(page.Locator("#instrument-form")).ToBeVisibleAsync();
        await page.FillAsync("#instrument-symbol", "ORAS");
        await page.FillAsync("#instrument-isin", "EGS95001C012");
        await page.FillAsync("#instrument-name", "Orascom Construction");
        await page.SelectOptionAsync("#instrument-venue", "EGX");
        await page.FillAsync("#instrument-currency", "EGP");
        await page.SelectOptionAsync("#instrument-sector", "20103010");
        await page.FillAsync("#instrument-lotSize", "0");
        await page.FillAsync("#instrument-referencePrice", "250.005");
        await page.FillAsync("#instrument-foreignOwnershipLimitPct", "49");
        await page.FillAsync("#instrument-foreignHoldingPct", "60");
        await page.ClickAsync("#instrument-save");
        await Assertions.Expect(page.Locator("#edit-error")).ToBeVisibleAsync();
        foreach (var field in new[] { "isin", "lotSize", "referencePrice", "foreignHoldingPct", "reason" })
        {
            await Assertions.Expect(page.Locator($"[id='{field}-problem']")).ToBeVisibleAsync();
        }
        await Assertions.Expect(page.Locator("[id='lotSize-problem']")).ToContainTextAsync("1 to 1,000,000");
        await Assertions.Expect(page.Locator("[id='referencePrice-problem']")).ToContainTextAsync("tick table");
        await Assertions.Expect(page.Locator("#instrument-lotSize")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("instrument-form-problems"), FullPage = true });
        using (var reader = await _host.ApiClientAsync("ops1"))
        {
            using var none = await reader.GetAsync("/api/v1/instruments/ORAS/listing");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
        }

        await page.FillAsync("#instrument-isin", "EGS95001C011");
        await page.FillAsync("#instrument-lotSize", "1");
        await page.FillAsync("#instrument-referencePrice", "250");
        await page.FillAsync("#instrument-foreignHoldingPct", "12.5");
        await page.FillAsync("#instrument-reason", "new listing: EGX notice 2026/114");
        await page.ClickAsync("#instrument-save");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/instruments/ORAS");
        await Assertions.Expect(page.Locator("#instrument-title")).ToContainTextAsync("Orascom Construction");
        await Assertions.Expect(page.Locator("#instrument-version")).ToContainTextAsync("1");
        await Assertions.Expect(page.Locator("#instrument-history .history-by")).ToHaveTextAsync("ops1");
        await Assertions.Expect(page.Locator("#instrument-history .history-reason")).ToHaveTextAsync("new listing: EGX notice 2026/114");

        // A change while someone else changed it: said plainly, nothing saved; after reloading the latest version, it is saved.
        await page.ClickAsync("#instrument-edit");
        await Assertions.Expect(page.Locator("#instrument-lotSize")).ToHaveValueAsync("1");
        await Assertions.Expect(page.Locator("#instrument-venue")).ToBeDisabledAsync();
        using (var admin = await _host.ApiClientAsync("admin"))
        {
            var listing = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/instruments/ORAS/listing"))!;
            listing["isRestricted"] = true;
            listing["reason"] = "restricted pending EGX review";
            using var changed = await admin.PutAsJsonAsync("/api/v1/instruments/ORAS", listing);
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        }
        await page.FillAsync("#instrument-lotSize", "10");
        await page.FillAsync("#instrument-reason", "board lot raised to 10");
        await page.ClickAsync("#instrument-save");
        await Assertions.Expect(page.Locator("#edit-conflict")).ToContainTextAsync("Someone else changed this instrument");
        await page.ClickAsync("#edit-reload");
        await Assertions.Expect(page.Locator("#instrument-isRestricted")).ToBeCheckedAsync();
        await page.FillAsync("#instrument-lotSize", "10");
        await page.FillAsync("#instrument-reason", "board lot raised to 10");
        await page.ClickAsync("#instrument-save");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/instruments/ORAS");
        await Assertions.Expect(page.Locator("#fact-lot")).ToHaveTextAsync("10");
        var newest = page.Locator("#instrument-history tbody tr").First;
        await Assertions.Expect(newest.Locator(".history-version")).ToHaveTextAsync("3");
        await Assertions.Expect(newest.Locator(".history-fields")).ToContainTextAsync("lotSize: 1 → 10");

        // Delisting asks for a reason, then for a confirmation that says the working orders are canceled.
        await page.ClickAsync("#delist-start");
        await Assertions.Expect(page.Locator("#delist-confirm")).ToContainTextAsync("its working orders are canceled");
        await page.ClickAsync("#delist-confirm-yes");
        await Assertions.Expect(page.Locator("[id='delist-reason-problem']")).ToBeVisibleAsync();
        await page.FillAsync("#delist-reason", "delisted by EGX notice 2026/120");
        await page.ClickAsync("#delist-confirm-yes");
        await Assertions.Expect(page.Locator("#instrument-notice")).ToContainTextAsync("ORAS is delisted");
        await Assertions.Expect(page.Locator("#instrument-status")).ToHaveTextAsync("Delisted");
        await Assertions.Expect(page.Locator("#instrument-edit")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("instrument-delisted"), FullPage = true });
    }

    [Fact]
    public async Task Operations_checks_a_listings_file_sees_its_problems_by_line_then_imports_a_clean_one()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        const string header = "symbol,isin,name,venue,currency,sector,lotSize,referencePrice,reason\n";
        static FilePayload Csv(string text) => new() { Name = "listings.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(text) };

        await Browser.SignInAsync(page, _host.Origin, "/portal/instruments", "ops1");
        await page.ClickAsync("#instruments-import");
        await Assertions.Expect(page.Locator("#import-columns")).ToContainTextAsync("sharia.asOf");

        // A file with a bad lot size and an unknown venue: both named by line and column; the import is not offered.
        await page.SetInputFilesAsync("#import-file", Csv(header + "ORAS,EGS95001C011,Orascom Construction,CASE,EGP,20103010,abc,250,new listing\n"));
        await page.ClickAsync("#import-check");
        var problems = page.Locator("#import-problems tbody tr");
        await Assertions.Expect(problems).ToHaveCountAsync(2);
        await Assertions.Expect(problems.Filter(new() { HasTextString = "lotSize" }).Locator(".problem-line")).ToHaveTextAsync("2");
        await Assertions.Expect(problems.Filter(new() { HasTextString = "venue" }).Locator(".problem-message")).ToContainTextAsync("there is no venue 'CASE'");
        await Assertions.Expect(page.Locator("#import-run")).ToBeDisabledAsync();

        // The corrected file: the dry run says what it would do, then the import does it.
        await page.SetInputFilesAsync("#import-file", Csv(header + "ORAS,EGS95001C011,Orascom Construction,EGX,EGP,20103010,1,250,new listing\n"));
        await page.ClickAsync("#import-check");
        await Assertions.Expect(page.Locator("#import-lines .line-symbol")).ToHaveTextAsync("ORAS");
        await Assertions.Expect(page.Locator("#import-notice")).ToContainTextAsync("Nothing is written until you import");
        using (var reader = await _host.ApiClientAsync("ops1"))
        {
            using var none = await reader.GetAsync("/api/v1/instruments/ORAS/listing");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
        }
        await page.ClickAsync("#import-run");
        await Assertions.Expect(page.Locator("#import-notice")).ToContainTextAsync("Imported: 1 listed and 0 changed");
        await page.ClickAsync("#import-lines .line-symbol a");
        await Assertions.Expect(page.Locator("#instrument-history .history-reason")).ToHaveTextAsync("new listing");
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of the reference prices page (issues 14 and 15): operations opens a past trading day from the navigation, sees each
/// stored price with its source (the demo history's close, or the close job's); a price with more decimals than its venue prices in is refused beside its row and nothing is stored;
/// corrected, the check says it replaces the stored close, and the store puts it in the table as an import by ops1, which the API
/// then serves. A risk officer reads the same day without the form; a trader has neither the link nor the page. Operations changes the
/// EGP rate in force after the API refused a rate of 0 beside its field; a risk officer reads it without the form. Operations imports
/// FX rates from a CSV file: a bad file's problems by line and column, then a dry run and the import.
/// </summary>
[Collection(Browser.Collection)]
public sealed class ReferencePricesJourneyTests : IDisposable
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

    /// <summary>The latest day before today with a stored price of <paramref name="symbol"/>, that price and its source.</summary>
    private async Task<(string Day, decimal Price, string Source)> LatestStoredAsync(string symbol)
    {
        using var ops = await _host.ApiClientAsync("ops1");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var back = 1; back <= 10; back++)
        {
            var day = today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            using var reply = await ops.GetAsync($"/api/v1/reference-prices/{day}");
            if (reply.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }
            var prices = (await reply.Content.ReadFromJsonAsync<JsonObject>())!["prices"]!.AsArray();
            if (prices.FirstOrDefault(p => p!["symbol"]!.GetValue<string>() == symbol) is { } found)
            {
                return (day, found["price"]!.GetValue<decimal>(), found["source"]!.GetValue<string>());
            }
        }
        throw new InvalidOperationException($"no stored price of {symbol} in the last ten days: the demo history should have some");
    }

    [Fact]
    public async Task Operations_corrects_a_close_after_a_refused_price_and_a_risk_officer_reads_it()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;
        // The demo history's close, or the close job's if it ran for that day since the host started.
        var (day, stored, source) = await LatestStoredAsync("COMI.INT");

        await Browser.SignInAsync(page, _host.Origin, "/portal", "ops1");
        await page.ClickAsync("#nav-reference-prices");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/reference-prices");
        await page.FillAsync("#prices-date", day);
        await page.ClickAsync("#prices-show");
        await Assertions.Expect(page).ToHaveURLAsync(_host.Origin + "/portal/reference-prices/" + day);
        var comi = page.Locator("#prices tr[data-symbol='COMI.INT']");
        await Assertions.Expect(comi.Locator(".price-price")).ToHaveTextAsync(stored.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(comi.Locator(".price-source")).ToHaveTextAsync(SourceText[source]);

        // Four decimals on a venue that prices in three: refused beside the row, and nothing stored.
        await page.FillAsync("#price-new-COMI\\.INT", "81.2555");
        await page.FillAsync("#prices-reason", "EGX official close, bulletin 2026/330");
        await page.ClickAsync("#prices-check");
        await Assertions.Expect(comi.Locator(".price-problem")).ToContainTextAsync("decimals");
        await Assertions.Expect(page.Locator("#prices-error")).ToContainTextAsync("Nothing was stored");
        await Assertions.Expect(page.Locator("#prices-store")).ToBeDisabledAsync();
        Assert.Equal(stored, await StoredAsync(day, "COMI.INT"));

        // Corrected: the check says it replaces the stored close; the store puts it in the table as ops1's import.
        await page.FillAsync("#price-new-COMI\\.INT", "81.255");
        await page.ClickAsync("#prices-check");
        var line = page.Locator("#prices-outcome tr[data-symbol='COMI.INT']");
        await Assertions.Expect(line.Locator(".outcome-action")).ToHaveTextAsync("replace");
        await Assertions.Expect(line.Locator(".outcome-before")).ToHaveTextAsync($"{stored.ToString(CultureInfo.InvariantCulture)} ({SourceText[source]})");
        await Assertions.Expect(page.Locator("#prices-notice")).ToContainTextAsync("1 replaced");
        Assert.Equal(stored, await StoredAsync(day, "COMI.INT"));
        await page.ClickAsync("#prices-store");
        await Assertions.Expect(page.Locator("#prices-notice")).ToContainTextAsync($"Stored for {day}");
        await Assertions.Expect(comi.Locator(".price-price")).ToHaveTextAsync("81.255");
        await Assertions.Expect(comi.Locator(".price-source")).ToHaveTextAsync("imported");
        await Assertions.Expect(comi.Locator(".price-by")).ToHaveTextAsync("ops1");
        Assert.Equal(81.255m, await StoredAsync(day, "COMI.INT"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("reference-prices-stored"), FullPage = true });

        // A risk officer reads the day: the stored price, no form.
        var context = await browser.NewContextAsync();
        var risk = await context.NewPageAsync();
        await Browser.SignInAsync(risk, _host.Origin, "/portal/reference-prices/" + day, "risk1");
        var row = risk.Locator("#prices tr[data-symbol='COMI.INT']");
        await Assertions.Expect(row.Locator(".price-price")).ToHaveTextAsync("81.255");
        await Assertions.Expect(risk.Locator("#prices-check")).ToHaveCountAsync(0);
        await Assertions.Expect(risk.Locator(".price-new")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Operations_changes_an_FX_rate_after_the_API_refuses_it_and_a_risk_officer_reads_it_without_the_form()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;

        await Browser.SignInAsync(page, _host.Origin, "/portal/reference-prices", "ops1");
        var egp = page.Locator("#fx-current tr[data-currency='EGP']");
        await Assertions.Expect(egp.Locator(".fx-usd")).ToHaveTextAsync("0.02053");
        await Assertions.Expect(egp.Locator(".fx-version")).ToHaveTextAsync("0");

        // A rate of 0 and no reason: the API's problems beside their fields, nothing changed.
        await page.SelectOptionAsync("#fx-currency", "EGP");
        await page.FillAsync("#fx-usd", "0");
        await page.ClickAsync("#fx-save");
        await Assertions.Expect(page.Locator("#fx-usd-problem")).ToContainTextAsync("is not above 0");
        await Assertions.Expect(page.Locator("#fx-reason-problem")).ToContainTextAsync("required");
        await Assertions.Expect(page.Locator("#fx-error")).ToContainTextAsync("Nothing was changed");
        Assert.Equal(0.02053m, await RateAsync("EGP"));

        await page.FillAsync("#fx-usd", "0.021");
        await page.FillAsync("#fx-reason", "central bank fixing");
        await page.ClickAsync("#fx-save");
        await Assertions.Expect(page.Locator("#fx-notice")).ToContainTextAsync("EGP changed");
        await Assertions.Expect(egp.Locator(".fx-usd")).ToHaveTextAsync("0.021");
        await Assertions.Expect(egp.Locator(".fx-version")).ToHaveTextAsync("1");
        await Assertions.Expect(egp.Locator(".fx-by")).ToHaveTextAsync("ops1");
        Assert.Equal(0.021m, await RateAsync("EGP"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("reference-prices-fx-changed"), FullPage = true });

        // A risk officer reads the rates in force, without the form.
        var context = await browser.NewContextAsync();
        var risk = await context.NewPageAsync();
        await Browser.SignInAsync(risk, _host.Origin, "/portal/reference-prices", "risk1");
        await Assertions.Expect(risk.Locator("#fx-current tr[data-currency='EGP'] .fx-usd")).ToHaveTextAsync("0.021");
        await Assertions.Expect(risk.Locator("#fx-read-only")).ToBeVisibleAsync();
        await Assertions.Expect(risk.Locator("#fx-save")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Operations_imports_FX_rates_from_a_CSV_file_after_a_dry_run_that_lists_every_problem()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;
        const string header = "currency,usdPerUnit,source,reason\n";
        static FilePayload Csv(string text) => new() { Name = "fx.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(text) };

        await Browser.SignInAsync(page, _host.Origin, "/portal/reference-prices", "ops1");
        await page.ClickAsync("#fx-import");
        await Assertions.Expect(page.Locator("#import-columns")).ToContainTextAsync("currency,usdPerUnit");

        // Two bad lines: each problem by line and column; the import is not offered and nothing changes.
        await page.SetInputFilesAsync("#import-file", Csv(header + "EGP,abc,CBE,fixing\nUSD,1,,fixing\n"));
        await page.ClickAsync("#import-check");
        var problems = page.Locator("#import-problems tbody tr");
        await Assertions.Expect(problems).ToHaveCountAsync(2);
        await Assertions.Expect(problems.Filter(new() { HasTextString = "usdPerUnit" }).Locator(".problem-line")).ToHaveTextAsync("2");
        await Assertions.Expect(problems.Filter(new() { HasTextString = "USD/USD" }).Locator(".problem-line")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#import-run")).ToBeDisabledAsync();

        // The corrected file: the dry run says what each line would do and writes nothing, then the import does it.
        await page.SetInputFilesAsync("#import-file", Csv(header + "EGP,0.021,CBE,fixing\nSAR,0.2666,SAMA,first Saudi client\n"));
        await page.ClickAsync("#import-check");
        await Assertions.Expect(page.Locator("#import-lines .line-currency")).ToHaveTextAsync(["EGP", "SAR"]);
        await Assertions.Expect(page.Locator("#import-notice")).ToContainTextAsync("Nothing is written until you import");
        Assert.Equal(0.02053m, await RateAsync("EGP"));
        await page.ClickAsync("#import-run");
        await Assertions.Expect(page.Locator("#import-notice")).ToContainTextAsync("Imported: 1 currencies added and 1 changed");
        Assert.Equal((0.021m, 0.2666m), (await RateAsync("EGP"), await RateAsync("SAR")));
    }

    private async Task<decimal> RateAsync(string currency)
    {
        using var ops = await _host.ApiClientAsync("ops1");
        var rates = (await ops.GetFromJsonAsync<JsonObject>("/api/v1/fx-rates"))!["rates"]!.AsArray();
        return rates.Single(r => r!["currency"]!.GetValue<string>() == currency)!["usdPerUnit"]!.GetValue<decimal>();
    }

    [Fact]
    public async Task A_trader_has_neither_the_link_nor_the_page()
    {
        var (playwright, browser, page) = await OpenAsync();
        using var _ = playwright;
        await using var __ = browser;

        await Browser.SignInAsync(page, _host.Origin, "/portal", "trader1");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("trader1");
        await Assertions.Expect(page.Locator("#nav-reference-prices")).ToHaveCountAsync(0);
        var refused = await page.GotoAsync(_host.Origin + "/portal/reference-prices");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("may not use this page");
    }

    /// <summary>How the page names each source the API reports.</summary>
    private static readonly Dictionary<string, string> SourceText = new(StringComparer.Ordinal)
    {
        ["demo"] = "demo (illustrative)", ["close"] = "closing price", ["last-trade"] = "last trade", ["reference"] = "reference carried over",
        ["import"] = "imported",
    };

    private async Task<decimal> StoredAsync(string day, string symbol)
    {
        using var ops = await _host.ApiClientAsync("ops1");
        var stored = (await ops.GetFromJsonAsync<JsonObject>($"/api/v1/reference-prices/{day}"))!["prices"]!.AsArray();
        return stored.Single(p => p!["symbol"]!.GetValue<string>() == symbol)!["price"]!.GetValue<decimal>();
    }
}

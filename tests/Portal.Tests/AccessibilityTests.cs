using System.Net.Http.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// axe-core (WCAG 2.0 and 2.1, levels A and AA, and axe's best practices) on the portal's main pages, as each role sees them in Chromium: the sign-in
/// form, then every main page the role may use. No rule is switched off and no element is excluded: a violation is fixed in the
/// page. The failure lists each violation with its impact and the elements it found.
/// </summary>
[Collection(Browser.Collection)]
public sealed class AccessibilityTests : IClassFixture<AccessibilityTests.Host>
{
    /// <summary>
    /// One platform for the class (the pages are only read), with something in its tables: a resting order, a trade between
    /// trader1 and trader2 (the ticket's chart draws it), an order held for review, a rule-pack change waiting for compliance1
    /// (the inbox has both kinds of task), compliance1's saved draft and a generated report, so that axe sees rows, links and
    /// status text and not only empty grids.
    /// </summary>
    public sealed class Host : IAsyncLifetime, IDisposable
    {
        public PortalHost Portal { get; } = new();

        public async Task InitializeAsync()
        {
            Portal.StartServer();
            await SendAsync("trader2", "/api/v1/orders", new { accountId = 2001, clientOrderId = "axe-sell", symbol = "COMI.INT", side = "Sell", price = 81m, quantity = 10 });
            await SendAsync("trader1", "/api/v1/orders", new { accountId = 1001, clientOrderId = "axe-buy", symbol = "COMI.INT", side = "Buy", price = 81m, quantity = 10 });
            await SendAsync("trader1", "/api/v1/orders", new { accountId = 1001, clientOrderId = "axe-rest", symbol = "COMI.INT", side = "Buy", price = 79m, quantity = 20 });
            await SendAsync("regulator1", "/api/v1/reports/audit-trail/runs", new { date = "2026-11-20" });
            await Portal.HoldForReviewAsync("axe-held");
            // A pack change by compliance2 waiting in compliance1's inbox (its diff and "the author did not replay this change"
            // beside it), and a saved draft of the same pack for compliance1 (the editor's draft bar, the pack list's draft link).
            using var compliance2 = await Portal.ApiClientAsync("compliance2");
            var sca = System.Text.Json.Nodes.JsonNode.Parse(await compliance2.GetStringAsync("/api/v1/rulepacks/sca"))!;
            var pack = System.Text.Json.Nodes.JsonNode.Parse(sca["json"]!.GetValue<string>())!;
            pack["version"] = "1.0.1";
            using (var submitted = await compliance2.PostAsync("/api/v1/rulepacks/sca/publish",
                new StringContent(pack.ToJsonString(), System.Text.Encoding.UTF8, "application/json")))
            {
                Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
            }
            using var compliance1 = await Portal.ApiClientAsync("compliance1");
            using var draft = await compliance1.PutAsJsonAsync("/api/v1/rulepacks/sca/draft",
                new { json = sca["json"]!.GetValue<string>(), basedOnVersion = sca["version"]!.GetValue<string>() });
            Assert.True(draft.IsSuccessStatusCode, await draft.Content.ReadAsStringAsync());
        }

        private async Task SendAsync(string user, string path, object body)
        {
            using var http = await Portal.ApiClientAsync(user);
            using var reply = await http.PostAsJsonAsync(path, body);
            Assert.True(reply.IsSuccessStatusCode, $"{user} {path}: {(int)reply.StatusCode} {await reply.Content.ReadAsStringAsync()}");
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => Portal.Dispose();
    }

    /// <summary>WCAG 2.0 and 2.1, A and AA; and axe's best practices (landmarks, headings, empty table headers), which the pages also keep.</summary>
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

    private readonly PortalHost _host;

    public AccessibilityTests(Host host) => _host = host.Portal;

    public static TheoryData<string, string, string[]> RolesAndPages => new()
    {
        { "trader1", "en", ["/portal", "/portal/ticket", "/portal/blotter", "/portal/trades", "/portal/positions"] },
        // The trader's pages in Arabic, right to left.
        { "trader1", "ar", ["/portal", "/portal/ticket", "/portal/blotter", "/portal/trades", "/portal/positions"] },
        { "viewer1", "en", ["/portal", "/portal/blotter", "/portal/trades", "/portal/positions"] },
        { "compliance1", "en", ["/portal", "/portal/inbox", "/portal/rules", "/portal/rules/sca", "/portal/reports", "/portal/audit", "/portal/accounts/1001"] },
        { "compliance1", "ar", ["/portal/accounts/1001"] },
        { "regulator1", "en", ["/portal", "/portal/reports", "/portal/audit", "/portal/rules", "/portal/blotter", "/portal/trades"] },
        { "admin", "en", ["/portal", "/portal/admin/users", "/portal/admin/health", "/portal/reports", "/portal/audit"] },
        { "risk1", "en", ["/portal", "/portal/risk", "/portal/blotter", "/portal/positions"] },
        { "risk1", "ar", ["/portal/risk"] },
        // Onboarding (issue 14): the accounts list, the account form (new and edit) and the CSV import, in both languages.
        { "ops1", "en", ["/portal/accounts", "/portal/accounts/new", "/portal/accounts/1001/edit", "/portal/accounts/import"] },
        { "ops1", "ar", ["/portal/accounts/1001/edit", "/portal/accounts/import"] },
        // Listings (issue 14): the instruments list, a listing with its versions, the instrument form (new and edit) and the CSV import.
        { "ops1", "en", ["/portal/instruments", "/portal/instruments/new", "/portal/instruments/HRHO", "/portal/instruments/HRHO/edit", "/portal/instruments/import"] },
        { "ops1", "ar", ["/portal/instruments", "/portal/instruments/HRHO", "/portal/instruments/HRHO/edit"] },
        // Venue calendars (issue 14): the venues list and a venue's calendar form with its versions, in both languages.
        { "ops1", "en", ["/portal/venues", "/portal/venues/EGX/calendar", "/portal/venues/EGX/holidays/import", "/portal/reference-prices", "/portal/dividends", "/portal/splits", "/portal/symbol-changes"] },
        { "ops1", "ar", ["/portal/venues", "/portal/venues/EGX/calendar", "/portal/venues/EGX/holidays/import", "/portal/reference-prices", "/portal/dividends", "/portal/splits", "/portal/symbol-changes"] },
    };

    [Theory]
    [MemberData(nameof(RolesAndPages))]
    public async Task The_main_pages_have_no_axe_violations(string user, string culture, string[] pages)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.SetDefaultTimeout(60_000);
        var found = new List<string>();
        // The sign-in form, before anyone is signed in.
        await page.GotoAsync(_host.Origin + pages[0]);
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        if (culture != "en")
        {
            // The sign-in form's own language switch, as a visitor who is not signed in would use it: a cookie, then back to
            // the same sign-in, now in that language (right to left for Arabic).
            await page.ClickAsync($"#lang-{culture}");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
            await Assertions.Expect(page.Locator("#sign-in")).ToHaveTextAsync("تسجيل الدخول");
        }
        found.AddRange(await AnalyseAsync(page, $"sign-in ({culture})"));

        await page.FillAsync("#username", user);
        await page.FillAsync("#password", $"{user}-demo-password");
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(_host.Origin + pages[0], new PageWaitForURLOptions { Timeout = 60_000 });
        foreach (var path in pages)
        {
            if (page.Url != _host.Origin + path)
            {
                await page.GotoAsync(_host.Origin + path);
            }
            await Browser.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (culture != "en")
            {
                await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
            }
            found.AddRange(await AnalyseAsync(page, $"{path} ({culture})"));
        }

        Assert.True(found.Count == 0, $"axe found {found.Count} violations for {user}:\n  {string.Join("\n  ", found)}");
    }

    /// <summary>
    /// The pages with their newer panels open (<see cref="OpenPanels"/>): the ticket with the chart and the confirmation, the
    /// blotter filtered with an order's detail, the inbox with a task's journal and its claim and reassign controls.
    /// </summary>
    [Theory]
    [InlineData("en")]
    [InlineData("ar")]
    public async Task The_open_panels_have_no_axe_violations(string culture)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var found = new List<string>();

        var trader = await OpenPanels.PageAsync(browser, _host, 1366, 900, culture);
        await Browser.SignInAsync(trader, _host.Origin, "/portal/ticket", "trader1");
        await Assertions.Expect(trader.Locator("html")).ToHaveAttributeAsync("lang", culture);
        await OpenPanels.TicketWithConfirmationAsync(trader, _host.Origin);
        found.AddRange(await AnalyseAsync(trader, $"ticket with the chart and the confirmation ({culture})"));
        await OpenPanels.BlotterWithDetailAsync(trader, _host.Origin);
        found.AddRange(await AnalyseAsync(trader, $"blotter with filters and an order's detail ({culture})"));

        var officer = await OpenPanels.PageAsync(browser, _host, 1366, 900, culture);
        await Browser.SignInAsync(officer, _host.Origin, "/portal/inbox", "compliance1");
        await OpenPanels.InboxWithTaskOpenAsync(officer, _host.Origin);
        found.AddRange(await AnalyseAsync(officer, $"inbox with a task open ({culture})"));

        Assert.True(found.Count == 0, $"axe found {found.Count} violations:\n  {string.Join("\n  ", found)}");
    }

    [Fact]
    public async Task A_violation_planted_in_a_page_is_reported_with_its_rule_impact_and_element()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(_host.Origin + "/portal");
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        // The control: without it, a check that never ran would look the same as a clean page.
        await page.EvaluateAsync("() => { const i = document.createElement('input'); i.id = 'planted'; document.querySelector('form').append(i); }");

        var found = (await AnalyseAsync(page, "planted")).ToList();

        var violation = Assert.Single(found);
        Assert.StartsWith("planted: label (critical)", violation, StringComparison.Ordinal);
        Assert.Contains("#planted", violation, StringComparison.Ordinal);
    }

    private static async Task<IEnumerable<string>> AnalyseAsync(IPage page, string name)
    {
        // One narrow exclusion, on the rule editor's page only: Monaco's hidden live regions for screen readers. Monaco keeps two
        // identical `role=complementary` status regions and alternates between them so that a repeated announcement is read
        // again; axe's landmark-unique flags the pair. They are Monaco's own DOM (BlazorMonaco's bundled editor), not ours.
        var context = new AxeRunContext { Exclude = [new AxeSelector(".monaco-aria-container")] };
        var result = await page.RunAxe(context, new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        });
        // axe really looked: a page it could not analyse would pass no rule either.
        Assert.True(result.Passes.Length > 10, $"{name}: axe passed only {result.Passes.Length} rules; did the page render?");
        Console.WriteLine($"axe {name}: {result.Passes.Length} rules passed, {result.Violations.Length} violated, {result.Incomplete.Length} to review: " +
                          string.Join(", ", result.Incomplete.Select(i => i.Id)));
        return result.Violations.Select(v =>
            $"{name}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Select(n => $"{n.Target} {string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}"))}");
    }
}

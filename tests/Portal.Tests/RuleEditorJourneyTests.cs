using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// Browser journey of the compliance officers: compliance1 changes the SCA pack in the rule editor so that an order that
/// passes today is blocked, meets a compile error at its position and fixes it, tests the draft against that order, replays
/// it over the day's orders and submits it; they cannot approve it themselves; compliance2 approves it in the review inbox;
/// the next order through the REST API obeys the new version.
/// </summary>
[Collection(Browser.Collection)]
public sealed class RuleEditorJourneyTests : IDisposable
{
    private const string PriceUpper = "Order.Price * 100 > Market.PriorClose * (100 + @UpperLimitPct)";
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_officer_edits_tests_and_submits_a_rule_a_second_officer_approves_it_and_the_next_order_obeys_it()
    {
        _host.StartServer();
        using var trader = await _host.ApiClientAsync("trader1");
        // An order that passes today: 100 COMI.INT at 80.50 on the internal venue (prior close 80.00).
        var before = await OrderAsync(trader, "editor-before");
        Assert.Equal("Accepted", before["status"]!.GetValue<string>());

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var cspViolations = new List<string>();
        // No question should ever pop up: every page change below happens with the draft saved or submitted.
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };

        await Browser.SignInAsync(page, _host.Origin, "/portal/rules", "compliance1");
        await page.Locator("tr[data-pack=sca] .pack-open").ClickAsync();
        await Assertions.Expect(page.Locator("#pack-current")).ToContainTextAsync("Current version 1.0.0");
        await Assertions.Expect(page.Locator("#validate")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#rule-editor .monaco-editor[role=code]")).ToBeVisibleAsync();

        // Monaco's JSON language knows the pack schema: an unknown outcome gets a diagnostic naming the allowed ones, the shipped pack none.
        var shipped = await EditorTextAsync(page);
        await SetEditorTextAsync(page, shipped.Replace("\"outcome\": \"Review\"", "\"outcome\": \"Hold\"", StringComparison.Ordinal));
        await page.WaitForFunctionAsync(
            "() => monaco.editor.getModelMarkers({ owner: 'json' }).some(m => m.message.includes('Block') && m.message.includes('Review'))");
        await SetEditorTextAsync(page, shipped);
        await page.WaitForFunctionAsync("() => monaco.editor.getModelMarkers({ owner: 'json' }).length === 0");

        // Today the order passes.
        await page.SelectOptionAsync("#test-account", "1001");
        await page.SelectOptionAsync("#test-symbol", "COMI.INT");
        await page.FillAsync("#test-quantity", "100");
        await page.FillAsync("#test-price", "80.50");
        await page.ClickAsync("#test-run");
        await Assertions.Expect(page.Locator("#test-outcome")).ToHaveTextAsync("Pass");

        // The parameters form rewrites the editor's JSON: the SCA price limit now covers the internal venue, at 0 %.
        await page.FillAsync("#param-Venues", "XADS\nXDFM\nXOFF");
        await page.PressAsync("#param-Venues", "Tab");
        await page.FillAsync("#param-UpperLimitPct", "0");
        await page.PressAsync("#param-UpperLimitPct", "Tab");
        await page.WaitForFunctionAsync(
            "() => { const t = blazorMonaco.editor.getEditor('rule-editor').getValue(); return t.includes('\"XOFF\"') && t.includes('\"value\": 0,'); }");

        // A broken expression: the error names the rule, sits at its line as a marker, and a click moves the cursor there.
        var text = await EditorTextAsync(page);
        var broken = text.Replace(PriceUpper, PriceUpper + " && Order.Pricee > 0", StringComparison.Ordinal);
        Assert.NotEqual(text, broken);
        await SetEditorTextAsync(page, broken);
        await page.ClickAsync("#validate");
        var error = page.Locator(".pack-error").First;
        await Assertions.Expect(error).ToContainTextAsync("SCA.PRICE_UPPER");
        await Assertions.Expect(error).ToContainTextAsync("Pricee");
        var line = broken[..broken.IndexOf("Order.Pricee", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var column = broken[..broken.IndexOf("Order.Pricee", StringComparison.Ordinal)].Length - broken[..broken.IndexOf("Order.Pricee", StringComparison.Ordinal)].LastIndexOf('\n');
        await Assertions.Expect(error).ToContainTextAsync($"line {line}");
        var marker = await page.EvaluateAsync<Marker[]>(
            "() => monaco.editor.getModelMarkers({ owner: 'tradsys-validate' }).map(m => ({ line: m.startLineNumber, column: m.startColumn }))");
        Assert.Contains(marker, m => m.Line == line && m.Column >= column && m.Column <= column + "Order.Pricee".Length);
        await error.ClickAsync();
        // The click goes through the circuit to Monaco: wait for the cursor to arrive.
        await page.WaitForFunctionAsync("l => blazorMonaco.editor.getEditor('rule-editor').getPosition().lineNumber === l", line);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("rule-editor-compile-error"), FullPage = true });

        await SetEditorTextAsync(page, broken.Replace(" && Order.Pricee > 0", "", StringComparison.Ordinal));
        await page.ClickAsync("#validate");
        await Assertions.Expect(page.Locator("#validate-ok")).ToContainTextAsync("sca");
        await Assertions.Expect(page.Locator("#pack-errors")).ToHaveCountAsync(0);

        // Saved as a draft on the server: a reload (as another day or another browser would) opens it again, and so does
        // the pack list; edits not saved yet make the browser ask before the page is left.
        var savedText = await EditorTextAsync(page);
        await Assertions.Expect(page.Locator("#draft-unsaved")).ToBeVisibleAsync();
        Assert.True(await BeforeUnloadPromptsAsync(page), "unsaved edits: leaving the page should ask first");
        await page.ClickAsync("#draft-save");
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("Your draft, saved at");
        await Assertions.Expect(page.Locator("#draft-unsaved")).ToHaveCountAsync(0);
        Assert.False(await BeforeUnloadPromptsAsync(page), "everything saved: leaving the page should not ask");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("started from version 1.0.0");
        await page.WaitForFunctionAsync(EditorShows, savedText);
        await page.Locator("nav[aria-label=breadcrumb] a").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-pack=sca] .pack-draft-open")).ToContainTextAsync("from 1.0.0");
        await page.Locator("tr[data-pack=sca] .pack-draft-open").ClickAsync();
        await Assertions.Expect(page.Locator("#draft-status")).ToContainTextAsync("Your draft, saved at");
        await page.WaitForFunctionAsync(EditorShows, savedText);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("rule-editor-draft-reopened"), FullPage = true });
        await page.SelectOptionAsync("#test-account", "1001");
        await page.SelectOptionAsync("#test-symbol", "COMI.INT");
        await page.FillAsync("#test-quantity", "100");
        await page.FillAsync("#test-price", "80.50");

        // The draft decides otherwise on the same order.
        await page.ClickAsync("#test-run");
        await Assertions.Expect(page.Locator("#test-published")).ToHaveTextAsync("Pass");
        await Assertions.Expect(page.Locator("#test-outcome")).ToHaveTextAsync("Block");
        await Assertions.Expect(page.Locator(".fired-rules tr[data-rule='SCA.PRICE_UPPER']")).ToBeVisibleAsync();

        // Over the last seven days the draft would have blocked the order placed above.
        await page.ClickAsync("#replay-start");
        await Assertions.Expect(page.Locator("#replay-status, #replay-error").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("#replay-error").CountAsync() == 0,
            "the replay was refused: " + (await page.Locator("#replay-error").AllInnerTextsAsync()).FirstOrDefault());
        await Assertions.Expect(page.Locator("#replay-status")).ToContainTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#replay-changes")).ToContainTextAsync(before["orderId"]!.ToString());

        await page.FillAsync("#submit-comment", "SCA price limit on the internal venue");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#submit-done")).ToContainTextAsync("1.0.1");
        var taskId = await page.Locator("#submit-task").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("rule-editor-submitted"), FullPage = true });

        // The author cannot approve their own change: the inbox does not offer it and says why, and nothing changes.
        await page.ClickAsync("#nav-inbox");
        var task = page.Locator($".inbox-task[data-task='{taskId}']");
        await Assertions.Expect(task.Locator(".pack-change-diff")).ToContainTextAsync("XOFF");
        await Assertions.Expect(task.Locator(".task-own")).ToContainTextAsync("You made this change: another officer approves it.");
        await Assertions.Expect(task.Locator(".task-approve")).ToHaveCountAsync(0);
        Assert.Equal("Accepted", (await OrderAsync(trader, "editor-still-passes"))["status"]!.GetValue<string>());

        // A second officer approves it in the inbox.
        var second = await (await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } })).NewPageAsync();
        second.SetDefaultTimeout(30_000);
        await Browser.SignInAsync(second, _host.Origin, "/portal/inbox", "compliance2");
        var theirs = second.Locator($".inbox-task[data-task='{taskId}']");
        await Assertions.Expect(theirs.Locator(".pack-change-diff")).ToContainTextAsync("XOFF");
        // Beside the diff, compliance1's replay of exactly this content: the range, the counts, how the outcome moves, the orders.
        await Assertions.Expect(theirs.Locator(".change-replay-range")).ToContainTextAsync("compliance1 replayed it");
        await Assertions.Expect(theirs.Locator(".change-replay-counts")).ToContainTextAsync("1 would change");
        await Assertions.Expect(theirs.Locator(".change-replay-effects")).ToContainTextAsync("Pass → Block by SCA.PRICE_UPPER");
        await Assertions.Expect(theirs.Locator(".change-replay-none")).ToHaveCountAsync(0);
        await theirs.Locator(".change-replay-show").ClickAsync();
        await Assertions.Expect(theirs.Locator($".change-replay-orders tr[data-order='{before["orderId"]}']")).ToContainTextAsync("SCA.PRICE_UPPER");
        await second.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("rule-editor-inbox-diff"), FullPage = true });
        await theirs.Locator(".task-approve").ClickAsync();
        await Assertions.Expect(second.Locator("#inbox-notice")).ToBeVisibleAsync();
        await second.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("rule-editor-approved"), FullPage = true });

        // The next order obeys the new version.
        var after = await OrderAsync(trader, "editor-after");
        Assert.Equal("Rejected", after["status"]!.GetValue<string>());
        var reasons = after["decision"]!["reasons"]!.AsArray();
        Assert.Contains(reasons, r => r!["rule"]!.GetValue<string>() == "SCA.PRICE_UPPER" && r["version"]!.GetValue<string>() == "1.0.1");
        Assert.Empty(cspViolations);
        Assert.Empty(dialogs);
    }

    private sealed class Marker
    {
        public int Line { get; set; }

        public int Column { get; set; }
    }

    /// <summary>True once Monaco exists and holds the text given.</summary>
    private const string EditorShows =
        "t => { try { return blazorMonaco.editor.getEditor('rule-editor').getValue() === t; } catch { return false; } }";

    // Whether leaving the page now makes the browser ask (Blazor's NavigationLock cancels the beforeunload event).
    private static Task<bool> BeforeUnloadPromptsAsync(IPage page) => page.EvaluateAsync<bool>(
        "() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; }");

    private static Task<string> EditorTextAsync(IPage page) =>
        page.EvaluateAsync<string>("() => blazorMonaco.editor.getEditor('rule-editor').getValue()");

    // Through Monaco's API: the editor raises its content-changed event exactly as for typing.
    private static Task SetEditorTextAsync(IPage page, string text) =>
        page.EvaluateAsync("t => blazorMonaco.editor.getEditor('rule-editor').getModel().setValue(t)", text);

    private static async Task<JsonNode> OrderAsync(HttpClient trader, string clientOrderId)
    {
        var reply = await trader.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = 1001, clientOrderId, symbol = "COMI.INT", side = "Buy", price = 80.50m, quantity = 100,
        });
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }
}

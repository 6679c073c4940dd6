using Microsoft.Playwright;

namespace TradSys.Portal.Tests;

/// <summary>
/// The compliance officer's rule-pack pages in Arabic, in a real browser: the list and the editor translated, right to left,
/// and Monaco showing the pack (the JSON itself stays left to right, as code does in any language).
/// </summary>
[Collection(Browser.Collection)]
public sealed class ArabicRuleEditorJourneyTests : IDisposable
{
    private readonly PortalHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_officer_in_Arabic_sees_the_pack_in_Monaco_and_the_pages_in_Arabic()
    {
        _host.StartServer();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        page.SetDefaultTimeout(30_000);

        await Browser.SignInAsync(page, _host.Origin, "/portal/rules", "compliance1");
        await page.ClickAsync("#lang-ar");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await page.WaitForURLAsync(_host.Origin + "/portal/rules");
        await Browser.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#nav-rules")).ToHaveTextAsync("حزم القواعد");
        await Assertions.Expect(page.Locator("#nav-audit")).ToHaveTextAsync("سجل التدقيق");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("حزم القواعد");

        await page.Locator("tr[data-pack=sca] .pack-open").ClickAsync();
        await Assertions.Expect(page.Locator("#pack-current")).ToContainTextAsync("الإصدار الحالي 1.0.0");
        var editor = page.Locator("#rule-editor .monaco-editor[role=code]");
        await Assertions.Expect(editor).ToBeVisibleAsync();
        // Monaco lays the pack out: its lines are on screen, left to right, with a real width.
        await Assertions.Expect(editor.Locator(".view-lines")).ToContainTextAsync("\"id\"");
        await Assertions.Expect(page.Locator(".rule-editor-pane")).ToHaveAttributeAsync("dir", "ltr");
        var box = await editor.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width > 300 && box.Height > 200, $"the editor is {box.Width}x{box.Height}");
        await Assertions.Expect(page.Locator("#validate")).ToHaveTextAsync("تحقّق");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("compliance-arabic-rule-editor"), FullPage = true });
    }
}

using System.Net;
using System.Security.Cryptography;
using TradSys.Web.Tests.Reports;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The regulator's reports page and the portal's download proxy: the roles it lets in, and the file passed on unchanged.</summary>
public sealed class PortalReportsTests : IClassFixture<PortalReportsTests.Platform>
{
    public sealed class Platform : PlatformFactory
    {
        public Platform() => Clock.Fixed = ReportScenario.MarketTime;
    }

    private readonly Platform _platform;

    public PortalReportsTests(Platform platform) => _platform = platform;

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    public async Task A_trader_and_a_viewer_are_refused_the_reports_page_and_the_download_proxy(string user)
    {
        var browser = new BrowserFlow(_platform);
        var home = await browser.SignInToPortalAsync("/portal", user);
        Assert.DoesNotContain("nav-reports", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/reports/runs/1/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Http.GetAsync("/portal/reports/runs/1/data")).StatusCode);
    }

    [Fact]
    public async Task Without_a_session_the_download_proxy_starts_the_sign_in()
    {
        var browser = new BrowserFlow(_platform);
        var response = await browser.Http.GetAsync("/portal/reports/runs/1/pdf");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/portal/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regulator_downloads_a_generated_report_through_the_portal_exactly_as_the_API_serves_it()
    {
        var api = await _platform.ClientForAsync("regulator1");
        var run = (await ReportScenario.RunAsync(api, "audit-trail", new { date = "2026-11-20", force = true })).Expect(HttpStatusCode.Accepted);
        var id = run.Long("id");
        await ReportScenario.WaitAsync(api, id);
        var fromApi = await ReportScenario.DownloadAsync(api, id);

        var browser = new BrowserFlow(_platform);
        var page = await browser.SignInToPortalAsync("/portal/reports", "regulator1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("nav-reports", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var pdf = await browser.Http.GetAsync($"/portal/reports/runs/{id}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal(fromApi, bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), pdf.Headers.GetValues("X-Content-SHA256").Single());
        Assert.NotNull(pdf.Content.Headers.ContentDisposition?.FileName);

        using var data = await browser.Http.GetAsync($"/portal/reports/runs/{id}/data");
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        Assert.Equal("application/json", data.Content.Headers.ContentType?.MediaType);

        // No XML twin for the audit-trail report: the API's 404 is passed on; an unknown kind is the portal's own 404.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync($"/portal/reports/runs/{id}/twin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync($"/portal/reports/runs/{id}/zip")).StatusCode);
    }
}

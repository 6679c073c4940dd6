using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// A machine without the report fonts (simulated with a family no machine has): the platform starts and
/// trades; reporting says precisely what to install, in its health check and in a 503 for every request.
/// </summary>
public sealed class MissingFontsTests : IClassFixture<MissingFontsTests.Platform>
{
    public sealed class Platform : PlatformFactory
    {
        public Platform()
        {
            Clock.Fixed = MarketTime;
            Settings["Reporting:Fonts:Sans"] = "Noto Sans";
            Settings["Reporting:Fonts:Arabic"] = "Arabic Family Nobody Installed";
            Settings["Reporting:Fonts:Mono"] = "Noto Mono";
        }
    }

    private const string Problem =
        "Reporting is unavailable: font family 'Arabic Family Nobody Installed' not found. " +
        "Install Debian's fonts with: sudo apt-get install fonts-noto-core fonts-noto-mono";

    private readonly Platform platform;

    public MissingFontsTests(Platform platform) => this.platform = platform;

    [Fact]
    public async Task The_reporting_health_check_is_unhealthy_with_the_install_command_and_readiness_is_unaffected()
    {
        var anonymous = platform.Anonymous();
        var health = await anonymous.GetAsync("/health/reporting");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("Unhealthy", health.Str("reporting"));
        Assert.Equal(Problem, health.Str("detail"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).Status);
    }

    [Fact]
    public async Task Generating_a_report_is_refused_with_a_503_saying_what_to_install_and_stores_nothing()
    {
        var client = await platform.ClientForAsync("regulator1");
        var reply = (await RunAsync(client, "daily-trades", new { date = Day, venue = "ADX" })).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(Problem, reply.Str("detail"));
        var stored = -1;
        await platform.WithDbAsync(async db => stored = await db.GeneratedReports.CountAsync());
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task Trading_goes_on()
    {
        var trader = await platform.ClientForAsync("trader1");
        (await trader.SubmitAsync(1001, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
    }
}

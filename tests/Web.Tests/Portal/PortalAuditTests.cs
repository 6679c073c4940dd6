using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Portal;

/// <summary>The audit records page on the whole platform: the regulator's navigation leads to the trail with its hashes.</summary>
public sealed class PortalAuditTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task A_regulator_reaches_the_audit_trail_from_the_navigation_with_hashes_and_the_verification()
    {
        var browser = new BrowserFlow(_platform);
        var home = await browser.SignInToPortalAsync("/portal", "regulator1");
        Assert.Contains("href=\"/portal/audit\"", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await browser.Http.GetAsync("/portal/audit");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        // The sign-in itself is audited: its record is among the newest, with its hash and its predecessor's.
        var signedIn = default(TradSys.Web.Persistence.Entities.AuditRecord);
        await _platform.WithDbAsync(async db => signedIn = await db.AuditLog.Where(a => a.Action == "portal.signed-in").SingleAsync());
        Assert.Contains(signedIn!.Hash, html, StringComparison.Ordinal);
        Assert.Contains(signedIn.PreviousHash, html, StringComparison.Ordinal);
        Assert.Contains("portal.signed-in", html, StringComparison.Ordinal);
        Assert.Contains("Verified: all", html, StringComparison.Ordinal);
    }
}

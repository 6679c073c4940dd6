using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// The Data Protection key ring in the platform's database: two instances on one database (nodes behind a load balancer
/// without sticky sessions) read each other's protected payloads and portal cookies, and an instance with the same
/// certificates on another database cannot, so it is the database that carries the keys (not the user's home directory,
/// which every instance in this test process shares).
/// </summary>
public sealed partial class DataProtectionKeyRingTests : IDisposable
{
    private readonly SharedKeys _keys = new();
    private readonly PlatformFactory _a;
    private readonly PlatformFactory _b;
    private readonly PlatformFactory _elsewhere;

    public DataProtectionKeyRingTests()
    {
        _a = new PlatformFactory { Settings = _keys.Settings };
        _b = new PlatformFactory { DatabasePath = _a.DatabasePath, Settings = _keys.Settings };
        _elsewhere = new PlatformFactory { Settings = _keys.Settings };
    }

    public void Dispose()
    {
        _elsewhere.Dispose();
        _b.Dispose();
        _a.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task A_payload_protected_on_one_instance_is_read_on_the_other_and_the_key_is_stored_encrypted_in_the_database()
    {
        var payload = Protector(_a).Protect("issued on A");

        Assert.Equal("issued on A", Protector(_b).Unprotect(payload));
        Assert.Throws<CryptographicException>(() => Protector(_elsewhere).Unprotect(payload));

        List<string?> stored = [];
        await _a.WithDbAsync(async db => stored = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        var key = Assert.Single(stored);
        // Encrypted to Auth:EncryptionCertificatePath: the key's secret is an EncryptedXml element, never the plain master key.
        Assert.Contains("<encryptedSecret", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_whose_every_request_lands_on_the_other_instance_signs_in_to_the_portal()
    {
        var cookies = new CookieContainer();
        HttpClient[] nodes = [new BrowserFlow(_a, cookies).Http, new BrowserFlow(_b, cookies).Http];
        var hops = 0;
        HttpClient Next() => nodes[hops++ % 2];

        // The page on A, the sign-in's redirects alternating, the login form read from one node and posted to the other (its
        // antiforgery token and the portal's correlation cookie cross nodes), the callback and the page again alternating.
        var response = await Next().GetAsync("/portal/ticket");
        while (response.StatusCode == HttpStatusCode.Redirect)
        {
            response = await Next().GetAsync(response.Headers.Location);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/connect/login\"", html, StringComparison.Ordinal);
        var fields = HiddenFields().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = "trader1";
        fields["password"] = "trader1-demo-password";
        response = await Next().PostAsync("/connect/login", new FormUrlEncodedContent(fields));
        while (response.StatusCode == HttpStatusCode.Redirect)
        {
            response = await Next().GetAsync(response.Headers.Location);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Order ticket", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(hops >= 5, $"only {hops} requests: the sign-in did not cross nodes as expected");

        // The session cookie itself, issued in that flow, opens the page on both instances, and not on one with another database.
        foreach (var node in nodes)
        {
            var page = await node.GetAsync("/portal/ticket");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Order ticket", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var refused = await new BrowserFlow(_elsewhere, cookies).Http.GetAsync("/portal/ticket");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    [Fact]
    public async Task In_the_embedded_mode_without_certificates_the_keys_survive_a_restart()
    {
        string payload;
        string databasePath;
        using (var first = new PlatformFactory())
        {
            payload = Protector(first).Protect("before the restart");
            databasePath = first.DatabasePath;
        }
        using var restarted = new PlatformFactory { DatabasePath = databasePath };

        Assert.Equal("before the restart", Protector(restarted).Unprotect(payload));
        List<string?> stored = [];
        await restarted.WithDbAsync(async db => stored = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        // No certificate to encrypt to: stored as ASP.NET Core writes it (docs/deployment.md says to protect the file).
        Assert.Contains("<masterKey", Assert.Single(stored), StringComparison.Ordinal);
    }

    private static IDataProtector Protector(PlatformFactory platform) =>
        platform.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("TradSys.Tests.SharedKeyRing");

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenFields();
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TradSys.Portal.Tests;

/// <summary>
/// The whole platform in its embedded mode on a real Kestrel at 127.0.0.1 and a free port (a browser cannot reach the
/// in-memory test server), on a fresh database. The portal's origin and back channel are that address.
/// </summary>
public sealed class PortalHost : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tradsys-portal-tests", Guid.NewGuid().ToString("N"));

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">More settings for this host (e.g. a recurring job switched off), applied after the defaults.</param>
    public PortalHost(IReadOnlyDictionary<string, string>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        Directory.CreateDirectory(_directory);
        Port = FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Production, as the README's run command starts it (launchSettings.json): the browser then loads the portal's
        // scripts and styles exactly as a user's does (WebApplicationFactory would otherwise run in Development).
        builder.UseEnvironment("Production");
        builder.UseSetting("urls", Origin);
        builder.UseSetting("Portal:Origin", Origin);
        builder.UseSetting("Platform:Database", "Sqlite");
        builder.UseSetting("Platform:Bus", "InMemory");
        builder.UseSetting("Platform:Jobs", "InMemory");
        builder.UseSetting("Platform:SeedDemoData", "true");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_directory, "tradsys.db")};Pooling=false");
        builder.UseSetting("Trading:DayOrderExpirySeconds", "0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<Hangfire.JobStorage>(_ => new Hangfire.InMemory.InMemoryStorage()));
    }

    /// <summary>
    /// An HTTP client for the platform's REST API as a demo user, with a bearer token from client credentials
    /// (<c>&lt;user&gt;</c> / <c>&lt;user&gt;-demo-secret</c>), for the parts of a journey another party plays through the API.
    /// </summary>
    public async Task<HttpClient> ApiClientAsync(string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(Origin) };
        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = user,
            ["client_secret"] = $"{user}-demo-secret",
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, $"token for {user}: {(int)token.StatusCode} {body}");
        var accessToken = System.Text.Json.Nodes.JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    /// <summary>
    /// An order the rule packs hold for the compliance review (the workflows' own scenario in Web.Tests): account 1002 becomes a
    /// pre-existing individual account above FATCA's enhanced-review balance without the review done, so FATCA.ENHANCED_REVIEW
    /// holds trader1's buy of 10 COMI.INT at 80 on it (too small for four eyes). Returns the order's id.
    /// </summary>
    public async Task<long> HoldForReviewAsync(string clientOrderId)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TradSys.Web.Persistence.TradSysDbContext>();
            var account = await db.Accounts.SingleAsync(a => a.Id == 1002);
            account.IsPreexisting = true;
            account.BalanceUsd = 1_000_001m;
            account.EnhancedReviewDone = false;
            await db.SaveChangesAsync();
        }
        using var trader = await ApiClientAsync("trader1");
        using var reply = await trader.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = 1002, clientOrderId, symbol = "COMI.INT", side = "Buy", price = 80m, quantity = 10,
        });
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode, body);
        var order = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Equal("PendingReview", order["status"]!.GetValue<string>());
        return order["orderId"]!.GetValue<long>();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Persistence;

namespace TradSys.Web.Tests.Support;

/// <summary>
/// The whole platform in its embedded mode (SQLite file, in-memory bus and jobs, demo data) on a
/// fresh database per instance. Requests go through the real pipeline: auth, problem details, sequencer.
/// </summary>
public class PlatformFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tradsys-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Market time (sessions, journal); token lifetimes keep real time.</summary>
    public ManualClock Clock { get; } = new();

    /// <summary>Set before the host starts to reopen an existing database (restart tests).</summary>
    public string DatabasePath { get; init; }

    /// <summary>Extra configuration for one test (applied last).</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>Extra services for one test (applied last), e.g. the client address a request comes from.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public PlatformFactory()
    {
        Directory.CreateDirectory(_directory);
        DatabasePath = Path.Combine(_directory, "tradsys.db");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Platform:Database", "Sqlite");
        builder.UseSetting("Platform:Bus", "InMemory");
        builder.UseSetting("Platform:Jobs", "InMemory");
        builder.UseSetting("Platform:SeedDemoData", "true");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath};Pooling=false");
        // The DAY-order watcher runs on its own timer; tests that need it switch it on, the rest expire explicitly.
        builder.UseSetting("Trading:DayOrderExpirySeconds", "0");
        // The reference-price close job runs on real time's five-minute marks and stores (and audits) the pinned clock's days
        // meanwhile, which a test counting rows would see at random; tests of the job switch it on or run it on their own clock.
        builder.UseSetting("ReferencePrices:CloseJobMinutes", "0");
        // The in-memory server answers as http://localhost: the portal's redirect URI is registered there.
        builder.UseSetting("Portal:Origin", "http://localhost");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(new TradSys.Web.Ordering.MarketClock(Clock));
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Errors);
            // Hangfire's configuration is static: every host in this test process would share (and the first one disposed
            // would dispose) one in-memory storage. Each host gets its own, disposed with it.
            services.AddSingleton<Hangfire.JobStorage>(_ => new Hangfire.InMemory.InMemoryStorage());
            // The portal reaches the token endpoint and the API over its back channel: here, the in-memory test server.
            services.AddHttpClient(TradSys.Web.Portal.PortalSession.Backchannel).ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
            TestServices?.Invoke(services);
        });
    }

    /// <summary>The errors this platform has logged; a 5xx reply carries them (see <see cref="Reply.ServerLog"/>).</summary>
    public ServerErrorLog Errors { get; } = new();

    public async Task<ApiClient> ClientForAsync(string clientId)
    {
        var http = CreateClient();
        var api = new ApiClient(http, Errors);
        await api.AuthenticateAsync(clientId, $"{clientId}-demo-secret");
        return api;
    }

    public ApiClient Anonymous() => new(CreateClient(), Errors);

    /// <summary>Counts of everything the order path writes, to prove a refusal wrote nothing.</summary>
    public async Task<(int Orders, int Events, int Trades, int Audit)> CountRowsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        return (db.Orders.Count(), db.OrderEvents.Count(), db.Trades.Count(), db.AuditLog.Count());
    }

    public Task<TradSys.Web.Ordering.SequencerResult> SendAsync(TradSys.Web.Ordering.SequencerCommand command) =>
        Services.GetRequiredService<TradSys.Web.Ordering.OrderWriter>().SendAsync(command, CancellationToken.None);

    public async Task WithDbAsync(Func<TradSysDbContext, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<TradSysDbContext>());
    }
}

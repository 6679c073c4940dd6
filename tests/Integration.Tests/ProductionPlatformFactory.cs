using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// The platform in its production mode: PostgreSQL (a fresh database per instance, dropped afterwards),
/// RabbitMQ via MassTransit, Hangfire on PostgreSQL. The servers are the real ones started by
/// tests/infra/up.sh; connection details come from TRADSYS_TEST_PG and TRADSYS_TEST_RABBITMQ with
/// loopback defaults.
/// </summary>
public sealed class ProductionPlatformFactory : WebApplicationFactory<Program>
{
    public static string BaseConnectionString =>
        Environment.GetEnvironmentVariable("TRADSYS_TEST_PG") is { Length: > 0 } cs
            ? cs
            : "Host=127.0.0.1;Port=5432;Username=tradsys;Password=tradsys;Database=tradsys";

    public static Uri RabbitUri => new(Environment.GetEnvironmentVariable("TRADSYS_TEST_RABBITMQ") is { Length: > 0 } uri
        ? uri
        : "amqp://tradsys:tradsys@127.0.0.1:5672/");

    public string ConnectionString { get; }
    public string DatabaseName { get; }

    /// <summary>Market time (sessions, journal, workflow timers); real time unless a test pins it.</summary>
    public ManualClock Clock { get; } = new();

    /// <summary>Extra configuration for one test (applied last).</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>False for a platform that a second one (a restart) reopens: the last one drops the database.</summary>
    public bool DropDatabaseOnDispose { get; init; } = true;

    /// <summary>A fresh database, or <paramref name="databaseName"/> to reopen one (restart tests).</summary>
    public ProductionPlatformFactory(string? databaseName = null)
    {
        DatabaseName = databaseName ?? $"tradsys_it_{Guid.NewGuid():N}";
        ConnectionString = new NpgsqlConnectionStringBuilder(BaseConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var rabbit = RabbitUri;
        var credentials = rabbit.UserInfo.Split(':', 2);
        builder.UseSetting("Platform:Database", "Postgres");
        builder.UseSetting("Platform:Bus", "RabbitMq");
        builder.UseSetting("Platform:Jobs", "Postgres");
        builder.UseSetting("Platform:SeedDemoData", "true");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        builder.UseSetting("RabbitMq:Host", rabbit.Host);
        builder.UseSetting("RabbitMq:Port", rabbit.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RabbitMq:Username", Uri.UnescapeDataString(credentials[0]));
        builder.UseSetting("RabbitMq:Password", Uri.UnescapeDataString(credentials.ElementAtOrDefault(1) ?? ""));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton(new TradSys.Web.Ordering.MarketClock(Clock)));
    }

    public async Task<ApiClient> ClientForAsync(string clientId)
    {
        var api = new ApiClient(CreateClient());
        await api.AuthenticateAsync(clientId, $"{clientId}-demo-secret");
        return api;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (!DropDatabaseOnDispose)
        {
            return;
        }
        await using var connection = new NpgsqlConnection(BaseConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
        // FORCE ends the platform's own sessions, but not an autovacuum worker that the server started on the database (it
        // runs as the server's superuser: 42501 for this role); such a worker is gone within moments, so try again a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is "42501" or "55006" && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }
}

/// <summary>The production-mode tests share the servers: run them one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProductionCollection
{
    public const string Name = "production servers";
}

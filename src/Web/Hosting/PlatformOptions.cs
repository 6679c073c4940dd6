namespace TradSys.Web.Hosting;

/// <summary>Which database the platform runs on.</summary>
public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Which MassTransit transport carries order updates and trades.</summary>
public enum BusTransport { InMemory, RabbitMq }

/// <summary>Where Hangfire keeps its jobs.</summary>
public enum JobStorageKind { InMemory, Postgres }

/// <summary>
/// The runtime mode, from the <c>Platform</c> configuration section (or <c>Platform__*</c> environment
/// variables). The defaults are the embedded mode: SQLite, in-memory bus, in-memory Hangfire, demo data.
/// </summary>
public sealed record PlatformOptions(
    DatabaseProvider Database,
    BusTransport Bus,
    JobStorageKind Jobs,
    bool SeedDemoData,
    bool MigrateOnStartup)
{
    /// <summary>With the demo data, its illustrative daily price history too (<c>Platform:SeedDemoPriceHistory</c>, default true).</summary>
    public bool SeedDemoPriceHistory { get; init; } = true;

    public static PlatformOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Platform");
        return new PlatformOptions(
            Parse(section, "Database", DatabaseProvider.Sqlite),
            Parse(section, "Bus", BusTransport.InMemory),
            Parse(section, "Jobs", JobStorageKind.InMemory),
            ParseBool(section, "SeedDemoData", true),
            ParseBool(section, "MigrateOnStartup", true))
        {
            SeedDemoPriceHistory = ParseBool(section, "SeedDemoPriceHistory", true),
        };
    }

    private static T Parse<T>(IConfigurationSection section, string key, T fallback) where T : struct, Enum
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        return Enum.TryParse<T>(raw, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException(
                $"Configuration Platform:{key} is '{raw}'; expected one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    private static bool ParseBool(IConfigurationSection section, string key, bool fallback)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        return bool.TryParse(raw, out var value)
            ? value
            : throw new InvalidOperationException($"Configuration Platform:{key} is '{raw}'; expected true or false.");
    }
}

using Microsoft.EntityFrameworkCore;
using TradSys.Web.Hosting;

namespace TradSys.Web.Persistence;

/// <summary>Chooses the database by configuration: SQLite (embedded, default) or PostgreSQL.</summary>
public static class PersistenceExtensions
{
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var options = PlatformOptions.From(builder.Configuration);
        var services = builder.Services;
        // The context is scoped (one per request or job); its options are built once (singleton): building them per scope
        // cost about 3 % of an order request's CPU (EF Core's warnings configuration rebuilt on every request).
        switch (options.Database)
        {
            case DatabaseProvider.Postgres:
                var pg = builder.Configuration.GetConnectionString("Postgres")
                    ?? throw new InvalidOperationException(
                        "Platform:Database is Postgres but ConnectionStrings:Postgres is not set " +
                        "(environment variable ConnectionStrings__Postgres).");
                services.AddDbContext<TradSysDbContext, PostgresDbContext>(o => o.UseNpgsql(pg).UseOpenIddict().AddInterceptors(ReferenceCommitInterceptor.Instance), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                services.AddSingleton(new DatabaseSettings(DatabaseProvider.Postgres, pg));
                // The order writer reads the reference tables' change counters only after a change is signaled (ReferenceChangeSignal).
                services.AddHostedService<ReferenceChangeListener>();
                break;
            default:
                var sqlite = builder.Configuration.GetConnectionString("Sqlite") ?? "Data Source=data/tradsys.db";
                EnsureSqliteDirectory(sqlite);
                services.AddDbContext<TradSysDbContext, SqliteDbContext>(o => o.UseSqlite(sqlite).UseOpenIddict().AddInterceptors(ReferenceCommitInterceptor.Instance), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
                services.AddSingleton(new DatabaseSettings(DatabaseProvider.Sqlite, sqlite));
                services.AddHostedService<SqliteCheckpointer>();
                break;
        }
        services.AddSingleton<WriteAheadLog>();
        services.AddSingleton<ReferenceChangeSignal>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}

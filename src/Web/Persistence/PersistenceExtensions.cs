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
        switch (options.Database)
        {
            case DatabaseProvider.Postgres:
                var pg = builder.Configuration.GetConnectionString("Postgres")
                    ?? throw new InvalidOperationException(
                        "Platform:Database is Postgres but ConnectionStrings:Postgres is not set " +
                        "(environment variable ConnectionStrings__Postgres).");
                services.AddDbContext<TradSysDbContext, PostgresDbContext>(o => o.UseNpgsql(pg).UseOpenIddict());
                services.AddSingleton(new DatabaseSettings(DatabaseProvider.Postgres, pg));
                break;
            default:
                var sqlite = builder.Configuration.GetConnectionString("Sqlite") ?? "Data Source=data/tradsys.db";
                EnsureSqliteDirectory(sqlite);
                services.AddDbContext<TradSysDbContext, SqliteDbContext>(o => o.UseSqlite(sqlite).UseOpenIddict());
                services.AddSingleton(new DatabaseSettings(DatabaseProvider.Sqlite, sqlite));
                break;
        }
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

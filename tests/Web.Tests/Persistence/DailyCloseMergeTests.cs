using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Tests.Persistence;

/// <summary>
/// The migration ClsOneDailyCloseStore on an embedded database: the rows of daily_closes move into reference_prices with their source, who
/// and when and the instrument's currency, by the store's precedence (an import replaces the close job's figure and an older import; a
/// demo close never replaces a stored figure), daily_closes is gone; and down again, the imports and demo closes are back in daily_closes.
/// </summary>
public sealed class DailyCloseMergeTests : IAsyncLifetime
{
    /// <summary>The migration before ClsOneDailyCloseStore in the SQLite set.</summary>
    private const string Before = "20261206161842_FixAfClientOrderIds";

    private readonly string _path = Path.Combine(Path.GetTempPath(), "tradsys-tests", $"closes-{Guid.NewGuid():N}.db");
    private string ConnectionString => $"Data Source={_path};Pooling=false";

    /// <param name="foreignKeys">Off to store instruments without their venues (the migration reads only their currency).</param>
    private SqliteDbContext Open(bool foreignKeys = true) =>
        new(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(ConnectionString + (foreignKeys ? "" : ";Foreign Keys=False")).Options);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        File.Delete(_path);
        return Task.CompletedTask;
    }

    private static Instrument Listed(string symbol, string venue, string currency, decimal reference) => new()
    {
        Symbol = symbol, Isin = "XX" + symbol.PadRight(10, '0'), Name = symbol, VenueCode = venue, Currency = currency, Sector = "Banks",
        LotSize = 1, ReferencePrice = reference,
    };

    private static ReferencePriceDay Price(string symbol, int day, decimal price, string currency, string source, string by, int hour) => new()
    {
        Symbol = symbol, Date = new DateOnly(2026, 11, day), Price = price, Currency = currency, Source = source, EnteredBy = by,
        EnteredAt = new DateTime(2026, 11, 25, hour, 0, 0, DateTimeKind.Utc),
    };

    [Fact]
    public async Task The_closes_of_daily_closes_move_into_reference_prices_by_precedence_and_back_down()
    {
        await using (var db = Open(foreignKeys: false))
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            db.Instruments.AddRange(Listed("FAB", "ADX", "AED", 16m), Listed("COMI", "EGX", "EGP", 80m));
            db.ReferencePriceDays.AddRange(
                Price("FAB", 20, 15.30m, "AED", ReferencePriceDay.LastTradeSource, "system", 8),   // the close job's: an import replaces it
                Price("FAB", 19, 15.00m, "AED", ReferencePriceDay.ImportSource, "ops1", 12),      // a newer import than the risk file's: kept
                Price("COMI", 18, 80m, "EGP", ReferencePriceDay.ReferenceSource, "system", 8));   // real: the demo close does not replace it
            await db.SaveChangesAsync();
            foreach (var (symbol, day, close, source, by, hour) in new[]
            {
                ("FAB", 20, 15.40m, "import", "risk1", 10), ("FAB", 19, 14.90m, "import", "risk1", 10),
                ("COMI", 18, 79m, "demo", "system", 1), ("COMI", 17, 78.5m, "demo", "system", 1),
            })
            {
                var date = new DateOnly(2026, 11, day);
                var at = new DateTime(2026, 11, 25, hour, 0, 0, DateTimeKind.Utc);
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO daily_closes ("Symbol", "Date", "Close", "Source", "EnteredBy", "EnteredAt") VALUES ({symbol}, {date}, {close}, {source}, {by}, {at})""");
            }
        }

        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            var rows = await db.ReferencePriceDays.OrderBy(p => p.Date).ThenBy(p => p.Symbol).ToListAsync();
            Assert.Equal(
                [
                    "2026-11-17 COMI 78.5 EGP demo system", "2026-11-18 COMI 80 EGP reference system", "2026-11-19 FAB 15 AED import ops1",
                    "2026-11-20 FAB 15.4 AED import risk1",
                ],
                rows.Select(r => FormattableString.Invariant($"{r.Date:yyyy-MM-dd} {r.Symbol} {r.Price:0.####} {r.Currency} {r.Source} {r.EnteredBy}")));
            Assert.Equal(new DateTime(2026, 11, 25, 10, 0, 0), rows[^1].EnteredAt);
            Assert.Equal(0, await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name = 'daily_closes'").SingleAsync());

            await db.GetService<IMigrator>().MigrateAsync(Before);
            Assert.Equal(["COMI 2026-11-17 demo", "FAB 2026-11-19 import", "FAB 2026-11-20 import"],
                await db.Database.SqlQuery<string>($"""SELECT "Symbol" || ' ' || "Date" || ' ' || "Source" AS "Value" FROM daily_closes ORDER BY 1""").ToListAsync());
            Assert.Equal(0, await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM reference_prices WHERE \"Source\" = 'demo'").SingleAsync());
        }
    }
}

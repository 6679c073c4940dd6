using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TradSys.Engine;
using TradSys.Rules.Context;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Tests.Persistence;

/// <summary>
/// The order writer writes its rows with statements built from the EF Core model; every column must be stored exactly as
/// EF Core stores it (same SQLite storage class and text), or EF Core's queries (ranges on timestamps, decimals as text)
/// would read them wrongly.
/// </summary>
public sealed class JournalRowWriterTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "tradsys-tests", $"rows-{Guid.NewGuid():N}.db");
    private SqliteDbContext _db = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={_path};Pooling=false").Options);
        await _db.Database.MigrateAsync();
        _db.Users.AddRange(
            new User { Id = 2, UserName = "trader1", DisplayName = "Trader One", Roles = "trader" },
            new User { Id = 3, UserName = "trader2", DisplayName = "Trader Two", Roles = "trader" });
        _db.Venues.AddRange(DemoData.Venues());
        _db.Instruments.AddRange(DemoData.Instruments());
        _db.Accounts.AddRange(DemoData.Accounts());
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        File.Delete(_path);
    }

    private static readonly DateTime At = new(2026, 11, 23, 9, 15, 30, 123, 456, DateTimeKind.Utc);

    private static OrderRecord Order(long id) => new()
    {
        Id = id, ClientOrderId = $"rows-{id}", AccountId = 1001, UserId = 2, Symbol = "COMI.INT", Side = Side.Sell, Type = OrderType.StopLimit,
        TimeInForce = TimeInForce.Gtd, Price = 80.05m, StopPrice = 79.5m, DisplayQuantity = 10, DisplayedQuantity = 7, ExpireAt = At.AddDays(3),
        TriggeredAt = At.AddSeconds(1), Quantity = 100, FilledQuantity = 30, LeavesQuantity = 70, FilledNotional = 2401.5m,
        Status = OrderStatus.PartiallyFilled, RejectCode = null, RejectReason = null, PrioritySequence = 12, ShortMarking = ShortMarking.Short,
        LocateId = "LOC-1", UsesMargin = true, IsAdvised = true, CounterpartyLei = "5299009TRDSYSNILE056", Uti = "UTI-1", IsCleared = true,
        MarkupBps = 12.5m, MarkupDisclosed = true, RuleOutcome = "Warn", CreatedAt = At, UpdatedAt = At.AddSeconds(2), SubmissionHash = -42,
    };

    [Fact]
    public async Task Every_column_is_stored_as_EF_Core_stores_it()
    {
        _db.Orders.Add(Order(1));
        _db.OrderEvents.Add(new OrderEventRecord
        {
            Sequence = 1, OrderId = 1, Kind = OrderEventKind.PartiallyFilled, Status = OrderStatus.PartiallyFilled, Price = 80.05m, Quantity = 100,
            FilledQuantity = 30, LeavesQuantity = 70, TradeId = 1, FillPrice = 80.05m, FillQuantity = 30, ReasonCode = 3, Reason = "r", Timestamp = At,
        });
        _db.Trades.Add(Trade(1));
        _db.RuleDecisions.Add(new RuleDecisionRecord { OrderId = 1, Outcome = "Warn", ReasonCodes = "A,B", ReportTags = "T", Json = "{}", ContextJson = "{\"a\":1}", DecidedAt = At });
        _db.AuditLog.Add(Audit(1));
        await _db.SaveChangesAsync();

        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=false");
        await connection.OpenAsync();
        using var rows = new SqliteJournalRowWriter(connection, new JournalTables(_db.Model));
        await using (var transaction = connection.BeginTransaction())
        {
            var order = Order(2);
            rows.Write(new JournalRows([order], [], [
                new OrderEventRecord
                {
                    Sequence = 2, OrderId = 2, Kind = OrderEventKind.PartiallyFilled, Status = OrderStatus.PartiallyFilled, Price = 80.05m, Quantity = 100,
                    FilledQuantity = 30, LeavesQuantity = 70, TradeId = 1, FillPrice = 80.05m, FillQuantity = 30, ReasonCode = 3, Reason = "r", Timestamp = At,
                },
            ], [Trade(2)], [], [new RuleDecisionRecord { OrderId = 2, Outcome = "Warn", ReasonCodes = "A,B", ReportTags = "T", Json = "{}", ContextJson = "{\"a\":1}", DecidedAt = At }]),
                transaction);
            rows.WriteAudit([Audit(2)], transaction);
            // An update writes every column too: change the order as the engine would and store it again.
            order.Status = OrderStatus.Filled;
            order.FilledQuantity = 100;
            order.LeavesQuantity = 0;
            rows.Write(new JournalRows([], [order], [], [], [], []), transaction);
            await transaction.CommitAsync();
        }

        await AssertSameStorageAsync(connection, "orders", "Id", 1, 2, ["Id", "ClientOrderId", "Status", "FilledQuantity", "LeavesQuantity"]);
        await AssertSameStorageAsync(connection, "order_events", "Sequence", 1, 2, ["Sequence", "OrderId"]);
        await AssertSameStorageAsync(connection, "trades", "Id", 1, 2, ["Id"]);
        await AssertSameStorageAsync(connection, "rule_decisions", "OrderId", 1, 2, ["OrderId"]);
        await AssertSameStorageAsync(connection, "audit_log", "Id", 1, 2, ["Id"]);

        // And EF Core reads the rows written here back into equal entities.
        var read = await _db.Orders.AsNoTracking().SingleAsync(o => o.Id == 2);
        var expected = Order(2);
        expected.Status = OrderStatus.Filled;
        expected.FilledQuantity = 100;
        expected.LeavesQuantity = 0;
        Assert.Equivalent(expected, read, strict: true);
        Assert.Equivalent(Trade(2), await _db.Trades.AsNoTracking().SingleAsync(t => t.Id == 2), strict: true);
        // EF Core's own range query on a timestamp finds the row written here.
        Assert.Equal(2, await _db.Orders.CountAsync(o => o.CreatedAt >= At && o.CreatedAt < At.AddTicks(1)));
    }

    [Fact]
    public async Task An_update_of_a_row_that_is_not_there_fails_rather_than_losing_the_change()
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=false");
        await connection.OpenAsync();
        using var rows = new SqliteJournalRowWriter(connection, new JournalTables(_db.Model));
        await using var transaction = connection.BeginTransaction();
        var error = Assert.Throws<InvalidOperationException>(() =>
            rows.Write(new JournalRows([], [Order(99)], [], [], [], []), transaction));
        Assert.Contains("touched 0 rows", error.Message, StringComparison.Ordinal);
    }

    private static TradeRecord Trade(long id) => new()
    {
        Id = id, Symbol = "COMI.INT", Price = 80.05m, Quantity = 30, Currency = "EGP", BuyOrderId = 7, SellOrderId = 1, BuyAccountId = 2001,
        SellAccountId = 1001, AggressorSide = Side.Buy, ExecutedAt = At,
    };

    private static AuditRecord Audit(long id) => new()
    {
        Id = id, Timestamp = At, Actor = "trader1", Action = "order.submitted", Subject = "order/1", Details = "{\"price\":80.05}",
        PreviousHash = "0", Hash = "1",
    };

    private static async Task AssertSameStorageAsync(SqliteConnection connection, string table, string key, long efRow, long writerRow,
        string[] differing)
    {
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }
        foreach (var column in columns.Where(c => !differing.Contains(c)))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT typeof(\"{column}\"), quote(\"{column}\") FROM \"{table}\" WHERE \"{key}\" IN ({efRow}, {writerRow}) ORDER BY \"{key}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var stored = new List<(string Type, string Value)>();
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetString(0), reader.GetString(1)));
            }
            Assert.True(stored.Count == 2, $"{table}: rows {efRow} and {writerRow} are both there");
            Assert.True(stored[0] == stored[1], $"{table}.{column}: EF Core stored {stored[0]}, the writer stored {stored[1]}");
        }
    }
}

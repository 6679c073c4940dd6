using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TradSys.Engine;
using TradSys.Web.Cluster;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Integration.Tests;

/// <summary>
/// The order writer's one-round-trip commit on PostgreSQL (<see cref="PostgresJournalRowWriter.WriteAndCommit"/>): the batch's
/// statements go without a transaction of the client's, so every check that can refuse the batch runs in the server, and a
/// refused batch leaves nothing behind, not even the rows written before the failing statement.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class JournalRowWriterOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new();
    private NpgsqlConnection _connection = null!;
    private JournalTables _tables = null!;

    public async Task InitializeAsync()
    {
        // Started (and migrated, with the demo accounts and instruments) by its first client.
        await _platform.ClientForAsync("trader1");
        using var scope = _platform.Services.CreateScope();
        _tables = new JournalTables(scope.ServiceProvider.GetRequiredService<TradSysDbContext>().Model);
        _connection = new NpgsqlConnection(_platform.ConnectionString);
        await _connection.OpenAsync();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _platform.DisposeAsync();
    }

    private static readonly DateTime At = new(2026, 12, 7, 10, 15, 30, DateTimeKind.Utc);

    private static OrderRecord Order(long id) => new()
    {
        Id = id, ClientOrderId = $"one-trip-{id}", AccountId = 1001, UserId = 2, Symbol = "COMI.INT", Side = Side.Buy, Type = OrderType.Limit,
        TimeInForce = TimeInForce.Day, Price = 79.5m, Quantity = 100, LeavesQuantity = 100, Status = OrderStatus.Accepted, CreatedAt = At, UpdatedAt = At,
    };

    private static JournalRows Rows(IReadOnlyList<OrderRecord> added, IReadOnlyList<OrderRecord> changed) => new(added, changed, [], [], [], []);

    private async Task<long> CountAsync(long id)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orders WHERE \"Id\" = $1", _connection) { Parameters = { new() { Value = id } } };
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_batch_is_committed_when_the_call_returns()
    {
        using var rows = new PostgresJournalRowWriter(_connection, _tables);
        var order = Order(900_001);

        rows.WriteAndCommit(Rows([order], []), []);
        order.Status = OrderStatus.Canceled;
        order.LeavesQuantity = 0;
        rows.WriteAndCommit(Rows([], [order]), []);

        // Another connection sees both statements' work: nothing waits for a COMMIT of the client's.
        await using var other = new NpgsqlConnection(_platform.ConnectionString);
        await other.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT \"Status\", \"LeavesQuantity\" FROM orders WHERE \"Id\" = 900001", other);
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("Canceled", 0L), (reader.GetString(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task A_batch_whose_update_finds_no_order_commits_nothing_of_it()
    {
        using var rows = new PostgresJournalRowWriter(_connection, _tables);

        var error = Assert.Throws<PostgresException>(() => rows.WriteAndCommit(Rows([Order(900_002)], [Order(900_099)]), []));

        Assert.Equal(PostgresJournalRowWriter.RowCountWrong, error.SqlState);
        Assert.Contains("orders update by key) touched 0 rows, not 1", error.MessageText, StringComparison.Ordinal);
        // The new order's insert ran before the failing update, in the same implicit transaction: rolled back with it.
        Assert.Equal(0, await CountAsync(900_002));
        // And the connection is usable again at once (the server ended the failed implicit transaction itself).
        rows.WriteAndCommit(Rows([Order(900_003)], []), []);
        Assert.Equal(1, await CountAsync(900_003));
    }

    [Fact]
    public async Task A_batch_of_a_writer_whose_lease_is_gone_commits_nothing_and_says_so()
    {
        using var rows = new PostgresJournalRowWriter(_connection, _tables) { Fence = new WriterFence("no-such-shard", 7) };

        var error = Assert.Throws<WriterFencedException>(() => rows.WriteAndCommit(Rows([Order(900_004)], []), []));

        Assert.Equal(new WriterFence("no-such-shard", 7), error.Fence);
        Assert.Equal(0, await CountAsync(900_004));
    }
}

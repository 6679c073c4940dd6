using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TradSys.Engine.Fix;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence;

namespace TradSys.Web.Fix;

/// <summary>
/// A FIX session's sequence numbers and sent messages in the platform's database (<c>fix_sessions</c>, <c>fix_messages</c>), so a
/// restart of the platform continues the session where it was: the venue neither sees numbers start again nor loses the
/// messages it may ask to have resent. Each change is written before the call returns, on the store's own connection: a sent
/// message and the sender number after it in one transaction before the message goes on the wire, the target number as each
/// message is accepted. A crash between the write and the send leaves the number one ahead of what the venue got; the venue
/// then asks for the gap and the message is resent from here, as FIX intends.
/// The session calls it from one thread at a time (<see cref="FixSessionDriver"/>'s gate); it is not thread-safe otherwise.
/// </summary>
internal sealed class DatabaseFixSessionStore : IFixSessionStore, IDisposable
{
    private readonly DbConnection _connection;
    private readonly string _id;
    private readonly TimeProvider _clock;
    private int _nextSender;
    private int _nextTarget;

    private DatabaseFixSessionStore(DbConnection connection, string id, TimeProvider clock)
    {
        (_connection, _id, _clock) = (connection, id, clock);
    }

    /// <summary>The session's identity in the tables.</summary>
    public string SessionId => _id;

    /// <summary>The identity of a session: its comp ids and optional qualifier (one venue connection may carry several sessions).</summary>
    public static string IdOf(FixSessionSettings settings, string? qualifier = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var id = $"{settings.BeginString}:{settings.SenderCompId}->{settings.TargetCompId}" + (string.IsNullOrEmpty(qualifier) ? "" : ":" + qualifier);
        return id.Length <= 128 ? id : throw new ArgumentException($"the FIX session id '{id}' is longer than 128 characters", nameof(qualifier));
    }

    /// <summary>Opens the store of <paramref name="sessionId"/>, creating its row (numbers at 1) the first time.</summary>
    public static DatabaseFixSessionStore Open(DatabaseSettings database, string sessionId, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        DbConnection connection = database.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(database.ConnectionString)
            : new SqliteConnection(database.ConnectionString);
        try
        {
            connection.Open();
            if (connection is SqliteConnection)
            {
                Execute(connection, null, "PRAGMA foreign_keys = 1; PRAGMA busy_timeout = 5000;");
            }
            var store = new DatabaseFixSessionStore(connection, sessionId, clock);
            store.Load();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Load()
    {
        Execute(_connection, null,
            "INSERT INTO \"fix_sessions\" (\"Id\", \"NextSenderMsgSeqNum\", \"NextTargetMsgSeqNum\", \"SessionStartUtc\", \"UpdatedAt\") " +
            "VALUES (@id, 1, 1, NULL, @now) ON CONFLICT (\"Id\") DO NOTHING",
            ("id", _id), ("now", Now()));
        using var command = Command(null, "SELECT \"NextSenderMsgSeqNum\", \"NextTargetMsgSeqNum\", \"SessionStartUtc\" FROM \"fix_sessions\" WHERE \"Id\" = @id",
            ("id", _id));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"the FIX session row '{_id}' was not created");
        }
        _nextSender = reader.GetInt32(0);
        _nextTarget = reader.GetInt32(1);
        SessionStartUtc = reader.IsDBNull(2) ? null : DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
    }

    /// <inheritdoc/>
    public int NextSenderMsgSeqNum
    {
        get => _nextSender;
        set
        {
            if (value != _nextSender)
            {
                Update("NextSenderMsgSeqNum", value);
                _nextSender = value;
            }
        }
    }

    /// <inheritdoc/>
    public int NextTargetMsgSeqNum
    {
        get => _nextTarget;
        set
        {
            if (value != _nextTarget)
            {
                Update("NextTargetMsgSeqNum", value);
                _nextTarget = value;
            }
        }
    }

    /// <inheritdoc/>
    public DateTime? SessionStartUtc { get; private set; }

    /// <summary>Keeps the message and moves the sender number past it, in one transaction (a resent number replaces its message).</summary>
    public void Save(int msgSeqNum, ReadOnlySpan<byte> message)
    {
        var next = Math.Max(_nextSender, msgSeqNum + 1);
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, transaction,
            "INSERT INTO \"fix_messages\" (\"SessionId\", \"MsgSeqNum\", \"Message\") VALUES (@id, @seq, @message) " +
            "ON CONFLICT (\"SessionId\", \"MsgSeqNum\") DO UPDATE SET \"Message\" = excluded.\"Message\"",
            ("id", _id), ("seq", msgSeqNum), ("message", message.ToArray()));
        Execute(_connection, transaction, "UPDATE \"fix_sessions\" SET \"NextSenderMsgSeqNum\" = @value, \"UpdatedAt\" = @now WHERE \"Id\" = @id",
            ("id", _id), ("value", next), ("now", Now()));
        transaction.Commit();
        _nextSender = next;
    }

    /// <inheritdoc/>
    public bool TryGet(int msgSeqNum, out ReadOnlyMemory<byte> message)
    {
        using var command = Command(null, "SELECT \"Message\" FROM \"fix_messages\" WHERE \"SessionId\" = @id AND \"MsgSeqNum\" = @seq",
            ("id", _id), ("seq", msgSeqNum));
        if (command.ExecuteScalar() is byte[] bytes)
        {
            message = bytes;
            return true;
        }
        message = default;
        return false;
    }

    /// <inheritdoc/>
    public void Reset(DateTime? sessionStartUtc)
    {
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, transaction, "DELETE FROM \"fix_messages\" WHERE \"SessionId\" = @id", ("id", _id));
        Execute(_connection, transaction,
            "UPDATE \"fix_sessions\" SET \"NextSenderMsgSeqNum\" = 1, \"NextTargetMsgSeqNum\" = 1, \"SessionStartUtc\" = @start, \"UpdatedAt\" = @now " +
            "WHERE \"Id\" = @id",
            ("id", _id), ("start", sessionStartUtc is { } start ? DateTime.SpecifyKind(start, DateTimeKind.Utc) : DBNull.Value), ("now", Now()));
        transaction.Commit();
        (_nextSender, _nextTarget, SessionStartUtc) = (1, 1, sessionStartUtc);
    }

    private void Update(string column, int value) =>
        Execute(_connection, null, $"UPDATE \"fix_sessions\" SET \"{column}\" = @value, \"UpdatedAt\" = @now WHERE \"Id\" = @id",
            ("id", _id), ("value", value), ("now", Now()));

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    private DbCommand Command(DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters) =>
        Command(_connection, transaction, sql, parameters);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}

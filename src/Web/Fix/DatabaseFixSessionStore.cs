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
/// messages it may ask to have resent.
/// </summary>
/// <remarks>
/// Changes are grouped: <see cref="Save"/> and the numbers' setters are held in memory (and seen at once by this store's
/// getters and <see cref="TryGet"/>) until <see cref="Commit"/> writes all of them in one transaction on the store's own
/// connection (SQLite: one commit; PostgreSQL: one batch, one round trip). Its host (<see cref="FixSessionDriver"/>) commits
/// after each session event or group of them and before writing what they sent to the socket, so every message on the wire is
/// kept for a resend first. A crash between the commit and the send leaves the sender number ahead of what the peer got; the
/// peer then asks for the gap and the messages are resent from here. A crash before the commit loses the group: its messages
/// never reached the wire, and the target number falls back to before the messages that caused them, which the peer then
/// resends (PossDupFlag; a new order the platform took already is answered as a duplicate by its ClOrdID).
/// <see cref="Reset"/> is written at once (with the held changes it makes moot dropped). A failed commit keeps the group held
/// (the next commit tries it again) and throws.
/// The session calls it from one thread at a time (<see cref="FixSessionDriver"/>'s gate); it is not thread-safe otherwise.
/// </remarks>
internal sealed class DatabaseFixSessionStore : IFixSessionStore, IDisposable
{
    private const string InsertMessage =
        "INSERT INTO \"fix_messages\" (\"SessionId\", \"MsgSeqNum\", \"Message\") VALUES (@id, @seq, @message) " +
        "ON CONFLICT (\"SessionId\", \"MsgSeqNum\") DO UPDATE SET \"Message\" = excluded.\"Message\"";

    private const string UpdateNumbers =
        "UPDATE \"fix_sessions\" SET \"NextSenderMsgSeqNum\" = @sender, \"NextTargetMsgSeqNum\" = @target, \"UpdatedAt\" = @now WHERE \"Id\" = @id";

    private readonly DbConnection _connection;
    private readonly string _id;
    private readonly TimeProvider _clock;
    private readonly List<(int MsgSeqNum, byte[] Message)> _held = [];
    private int _nextSender;
    private int _nextTarget;
    private bool _numbersHeld;

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
        using var command = Command(_connection, null, "SELECT \"NextSenderMsgSeqNum\", \"NextTargetMsgSeqNum\", \"SessionStartUtc\" FROM \"fix_sessions\" WHERE \"Id\" = @id",
            [("id", _id)]);
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
                _nextSender = value;
                _numbersHeld = true;
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
                _nextTarget = value;
                _numbersHeld = true;
            }
        }
    }

    /// <inheritdoc/>
    public DateTime? SessionStartUtc { get; private set; }

    /// <summary>How many sent messages are held for the next <see cref="Commit"/> (for tests).</summary>
    public int Held => _held.Count;

    /// <summary>Keeps the message and moves the sender number past it (held until <see cref="Commit"/>; a resent number replaces its message).</summary>
    public void Save(int msgSeqNum, ReadOnlySpan<byte> message)
    {
        _held.Add((msgSeqNum, message.ToArray()));
        _nextSender = Math.Max(_nextSender, msgSeqNum + 1);
        _numbersHeld = true;
    }

    /// <summary>
    /// Writes the held messages and numbers in one transaction: SQLite, one commit; PostgreSQL, one batch (its statements in one
    /// implicit transaction, one round trip). Nothing held: nothing written. On failure everything stays held and it throws.
    /// </summary>
    public void Commit()
    {
        if (_held.Count == 0 && !_numbersHeld)
        {
            return;
        }

        var now = Now();
        if (_connection is NpgsqlConnection postgres)
        {
            using var batch = new NpgsqlBatch(postgres);
            foreach (var (seq, message) in _held)
            {
                var insert = new NpgsqlBatchCommand(InsertMessage);
                insert.Parameters.AddWithValue("id", _id);
                insert.Parameters.AddWithValue("seq", seq);
                insert.Parameters.AddWithValue("message", message);
                batch.BatchCommands.Add(insert);
            }

            var update = new NpgsqlBatchCommand(UpdateNumbers);
            update.Parameters.AddWithValue("id", _id);
            update.Parameters.AddWithValue("sender", _nextSender);
            update.Parameters.AddWithValue("target", _nextTarget);
            update.Parameters.AddWithValue("now", now);
            batch.BatchCommands.Add(update);
            batch.ExecuteNonQuery();
        }
        else
        {
            using var transaction = _connection.BeginTransaction();
            if (_held.Count > 0)
            {
                using var insert = Command(_connection, transaction, InsertMessage, [("id", _id), ("seq", 0), ("message", Array.Empty<byte>())]);
                insert.Prepare();
                foreach (var (seq, message) in _held)
                {
                    insert.Parameters["seq"].Value = seq;
                    insert.Parameters["message"].Value = message;
                    insert.ExecuteNonQuery();
                }
            }

            Execute(_connection, transaction, UpdateNumbers, ("id", _id), ("sender", _nextSender), ("target", _nextTarget), ("now", now));
            transaction.Commit();
        }

        _held.Clear();
        _numbersHeld = false;
    }

    /// <inheritdoc/>
    public bool TryGet(int msgSeqNum, out ReadOnlyMemory<byte> message)
    {
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            if (_held[i].MsgSeqNum == msgSeqNum)
            {
                message = _held[i].Message;
                return true;
            }
        }

        using var command = Command(_connection, null, "SELECT \"Message\" FROM \"fix_messages\" WHERE \"SessionId\" = @id AND \"MsgSeqNum\" = @seq",
            [("id", _id), ("seq", msgSeqNum)]);
        if (command.ExecuteScalar() is byte[] bytes)
        {
            message = bytes;
            return true;
        }
        message = default;
        return false;
    }

    /// <summary>Starts again, written at once: both numbers back to 1, the kept messages dropped (the held ones too).</summary>
    public void Reset(DateTime? sessionStartUtc)
    {
        using var transaction = _connection.BeginTransaction();
        Execute(_connection, transaction, "DELETE FROM \"fix_messages\" WHERE \"SessionId\" = @id", ("id", _id));
        Execute(_connection, transaction,
            "UPDATE \"fix_sessions\" SET \"NextSenderMsgSeqNum\" = 1, \"NextTargetMsgSeqNum\" = 1, \"SessionStartUtc\" = @start, \"UpdatedAt\" = @now " +
            "WHERE \"Id\" = @id",
            ("id", _id), ("start", sessionStartUtc is { } start ? DateTime.SpecifyKind(start, DateTimeKind.Utc) : DBNull.Value), ("now", Now()));
        transaction.Commit();
        _held.Clear();
        _numbersHeld = false;
        (_nextSender, _nextTarget, SessionStartUtc) = (1, 1, sessionStartUtc);
    }

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

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

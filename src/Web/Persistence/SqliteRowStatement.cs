using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TradSys.Web.Persistence;

/// <summary>
/// A prepared INSERT or UPDATE of one table run straight on SQLite's C API (the statement Microsoft.Data.Sqlite would run,
/// without its per-execution machinery: a profile of the order writer showed binding through SqliteCommand costing far more
/// than SQLite's own insert). Each value is bound as Microsoft.Data.Sqlite binds it, so the stored row is the one EF Core
/// would have stored (<c>JournalRowWriterTests</c> compares the two column by column): integers, booleans as 0/1, text
/// (bound as UTF-16 from the string or a formatted span), decimals as invariant text "0.0###...", date-times as
/// "yyyy-MM-dd HH:mm:ss.FFFFFFF", doubles, blobs, NULL. Each column is bound by a delegate compiled once from the EF Core
/// model (the property read, the column's value converter, the typed bind), so a row is written without boxing a value
/// or formatting through a format string (an allocation profile of the writer found a tenth of its bytes in those boxes).
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly TableShape _shape;
    private readonly SqliteColumnBinder.Bind[] _binders;
    private readonly char[] _scratch = new char[SqliteColumnBinder.ScratchLength];

    /// <summary>An INSERT of every column.</summary>
    public SqliteRowStatement(SqliteConnection connection, TableShape shape)
        : this(connection, shape, shape.InsertSql(i => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)), [.. Enumerable.Range(0, shape.Columns.Length)])
    {
    }

    /// <summary>An UPDATE by key of every column but <paramref name="fixedProperties"/>.</summary>
    public SqliteRowStatement(SqliteConnection connection, TableShape shape, IReadOnlyCollection<string> fixedProperties)
        : this(connection, shape, shape.UpdateSql(i => "?" + (i + 1).ToString(CultureInfo.InvariantCulture), fixedProperties),
            shape.UpdatedColumns(fixedProperties))
    {
    }

    private SqliteRowStatement(SqliteConnection connection, TableShape shape, string sql, int[] columns)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        _shape = shape;
        _binders = [.. columns.Select(c => SqliteColumnBinder.For(shape.Columns[c]))];
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement), sql);
    }

    /// <summary>Writes one row inside the connection's open transaction; the statement must touch exactly one row.</summary>
    public void Execute(object row)
    {
        try
        {
            for (var i = 0; i < _binders.Length; i++)
            {
                Check(_binders[i](row, _statement, i + 1, _scratch), _shape.Table);
            }
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc, _shape.Table);
            }
            var changes = raw.sqlite3_changes(_db);
            if (changes != 1)
            {
                throw new InvalidOperationException($"writing a row of {_shape.Table} touched {changes} rows, not one");
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private void Check(int rc, string what)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {rc} writing {what}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }
    }

    public void Dispose() => _statement.Dispose();
}

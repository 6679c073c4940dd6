using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TradSys.Web.Persistence;

/// <summary>
/// A prepared INSERT or UPDATE of one table run straight on SQLite's C API (the statement Microsoft.Data.Sqlite would run,
/// without its per-execution machinery: a profile of the order writer showed binding through SqliteCommand costing far more
/// than SQLite's own insert). Each value is bound as Microsoft.Data.Sqlite binds it, so the stored row is the one EF Core
/// would have stored (<c>JournalRowWriterTests</c> compares the two column by column): integers, booleans as 0/1, text
/// (bound as UTF-16 from the string or a formatted span, no allocation), decimals as invariant text "0.0###...", date-times as
/// "yyyy-MM-dd HH:mm:ss.FFFFFFF", doubles, blobs, NULL.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private const string DecimalFormat = "0.0###########################";
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly TableShape _shape;
    private readonly int[] _columns;

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
        _columns = columns;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement), sql);
    }

    /// <summary>Writes one row inside the connection's open transaction; the statement must touch exactly one row.</summary>
    public void Execute(object row)
    {
        var columns = _shape.Columns;
        try
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                Bind(i + 1, columns[_columns[i]].ProviderValue(row));
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

    private void Bind(int index, object value)
    {
        int rc;
        Span<char> text = stackalloc char[64];
        switch (value)
        {
            case DBNull:
                rc = raw.sqlite3_bind_null(_statement, index);
                break;
            case string s:
                rc = raw.sqlite3_bind_text16(_statement, index, s.AsSpan());
                break;
            case long l:
                rc = raw.sqlite3_bind_int64(_statement, index, l);
                break;
            case int n:
                rc = raw.sqlite3_bind_int64(_statement, index, n);
                break;
            case short n:
                rc = raw.sqlite3_bind_int64(_statement, index, n);
                break;
            case byte n:
                rc = raw.sqlite3_bind_int64(_statement, index, n);
                break;
            case bool b:
                rc = raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0);
                break;
            case decimal d when d.TryFormat(text, out var written, DecimalFormat, CultureInfo.InvariantCulture):
                rc = raw.sqlite3_bind_text16(_statement, index, text[..written]);
                break;
            case DateTime t when t.TryFormat(text, out var written, DateTimeFormat, CultureInfo.InvariantCulture):
                rc = raw.sqlite3_bind_text16(_statement, index, text[..written]);
                break;
            case double d:
                rc = raw.sqlite3_bind_double(_statement, index, d);
                break;
            case byte[] bytes:
                rc = raw.sqlite3_bind_blob(_statement, index, bytes);
                break;
            default:
                throw new NotSupportedException($"{_shape.Table}: a value of type {value.GetType().Name} has no SQLite binding here");
        }
        Check(rc, _shape.Table);
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

using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace TradSys.Web.Persistence;

/// <summary>
/// One multi-row INSERT of the PostgreSQL journal: all of a batch's new rows of one table in a single statement that reads one
/// array parameter per column through <c>unnest</c>. PostgreSQL plans and starts an executor once
/// per statement, so one statement for 40 rows costs a fraction of 40 one-row statements (a batch of 33 orders was about two
/// hundred one-row statements; docs/benchmarks.md has the figures before and after); the text is the same for any row count, so
/// it stays prepared on the writer's connection. Each column's values are converted as EF Core converts them (<see cref="TableShape.Column"/>) and
/// cast to the column's own store type, so the rows are the ones the one-row statements wrote.
/// Updates stay one statement per row (<see cref="PostgresJournalRowWriter"/>): an UPDATE joined to <c>unnest</c> is planned
/// once, when the table may still be small, and PostgreSQL kept that plan (a sequential scan of the orders) as the table grew:
/// 7 ms an update at 30,000 orders, where a one-row update by key is always an index lookup.
/// </summary>
internal sealed class PostgresRowSet
{
    private readonly TableShape _shape;
    private readonly int[] _columns;
    private readonly Type[] _elementTypes;
    private readonly NpgsqlDbType?[] _parameterTypes;

    private PostgresRowSet(TableShape shape, int[] columns, string sql)
    {
        _shape = shape;
        _columns = columns;
        Sql = sql;
        _elementTypes = [.. columns.Select(c => ElementType(shape.Columns[c]))];
        _parameterTypes = [.. columns.Select(c => ParameterType(shape.Columns[c]))];
    }

    public string Sql { get; }

    /// <summary>Inserts rows of <paramref name="shape"/>'s table, every column.</summary>
    public static PostgresRowSet Insert(TableShape shape)
    {
        int[] columns = [.. Enumerable.Range(0, shape.Columns.Length)];
        return new PostgresRowSet(shape, columns,
            $"INSERT INTO \"{shape.Table}\" ({string.Join(", ", columns.Select(c => Quoted(shape, c)))}) " +
            $"SELECT * FROM {Unnest(shape, columns)}");
    }

    /// <summary>The statement for <paramref name="rows"/> (at least one), its parameters one array per column.</summary>
    public NpgsqlBatchCommand Command<T>(IReadOnlyList<T> rows) where T : class
    {
        var command = new NpgsqlBatchCommand(Sql);
        for (var j = 0; j < _columns.Length; j++)
        {
            var column = _shape.Columns[_columns[j]];
            var values = Array.CreateInstance(_elementTypes[j], rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var value = column.ProviderValue(rows[i]);
                if (value != DBNull.Value)
                {
                    values.SetValue(value, i);
                }
            }
            var parameter = new NpgsqlParameter { Value = values };
            if (_parameterTypes[j] is { } type)
            {
                parameter.NpgsqlDbType = type;
            }
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static string Unnest(TableShape shape, int[] columns) =>
        $"unnest({string.Join(", ", columns.Select((c, i) => $"${(i + 1).ToString(CultureInfo.InvariantCulture)}::{shape.Columns[c].Mapping.StoreType}[]"))})";

    private static string Quoted(TableShape shape, int column) => $"\"{shape.Columns[column].Name}\"";

    /// <summary>The array's element type: the provider's CLR type, nullable when the column takes nulls.</summary>
    private static Type ElementType(TableShape.Column column)
    {
        var type = column.Mapping.Converter?.ProviderClrType ?? column.Mapping.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsValueType && column.Property.IsNullable ? typeof(Nullable<>).MakeGenericType(type) : type;
    }

    /// <summary>
    /// The parameter's type where the CLR type alone does not say it: a date-time array is sent as timestamptz (Npgsql would
    /// otherwise pick by each value's kind; the one-row statements sent each UTC value as timestamptz too).
    /// </summary>
    private static NpgsqlDbType? ParameterType(TableShape.Column column) =>
        string.Equals(column.Mapping.StoreType, "timestamp with time zone", StringComparison.Ordinal) ? NpgsqlDbType.Array | NpgsqlDbType.TimestampTz : null;
}

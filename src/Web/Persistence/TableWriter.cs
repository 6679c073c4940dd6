using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace TradSys.Web.Persistence;

/// <summary>
/// One entity type's table as the model maps it (table and column names, value conversions, the database type of each
/// column), for the order writer's hot path: INSERT and UPDATE statements built once from the EF Core model, whose
/// parameters are filled exactly as EF Core fills them (the column's own type mapping and value converter), so a row written
/// here reads back through EF Core identically. No change tracking, no per-row SQL generation.
/// </summary>
internal sealed class TableShape
{
    private TableShape(string table, Column[] columns, int keyIndex)
    {
        Table = table;
        Columns = columns;
        KeyIndex = keyIndex;
    }

    public string Table { get; }

    public Column[] Columns { get; }

    /// <summary>The primary key's column (single-column keys only).</summary>
    public int KeyIndex { get; }

    /// <summary>The shape of <typeparamref name="T"/>'s table in <paramref name="model"/>.</summary>
    public static TableShape Of<T>(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var columns = new List<Column>();
        foreach (var property in entity.GetProperties())
        {
            var name = property.GetColumnName(table) ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} has no column");
            columns.Add(new Column(name, property, property.GetGetter(), (RelationalTypeMapping)property.GetTypeMapping()));
        }
        return new TableShape(table.Name, [.. columns], columns.FindIndex(c => c.Property == key));
    }

    public string InsertSql(Func<int, string> parameter) =>
        $"INSERT INTO \"{Table}\" ({string.Join(", ", Columns.Select(c => $"\"{c.Name}\""))}) " +
        $"VALUES ({string.Join(", ", Columns.Select((_, i) => parameter(i)))})";

    /// <summary>
    /// An UPDATE of the columns a row's owner may change after the insert (every column but the key and <paramref name="fixedProperties"/>),
    /// with its parameters in the order of <see cref="UpdatedColumns"/>.
    /// </summary>
    public string UpdateSql(Func<int, string> parameter, IReadOnlyCollection<string> fixedProperties)
    {
        var columns = UpdatedColumns(fixedProperties);
        return $"UPDATE \"{Table}\" SET {string.Join(", ", columns.Skip(1).Select((c, i) => $"\"{Columns[c].Name}\" = {parameter(i + 1)}"))} " +
               $"WHERE \"{Columns[KeyIndex].Name}\" = {parameter(0)}";
    }

    /// <summary>The key's column, then every column an update writes (all but <paramref name="fixedProperties"/>), as indexes into <see cref="Columns"/>.</summary>
    public int[] UpdatedColumns(IReadOnlyCollection<string> fixedProperties)
    {
        var unknown = fixedProperties.Where(p => Columns.All(c => c.Property.Name != p)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{Table} has no properties {string.Join(", ", unknown)}");
        }
        return [KeyIndex, .. Enumerable.Range(0, Columns.Length).Where(i => i != KeyIndex && !fixedProperties.Contains(Columns[i].Property.Name))];
    }

    /// <summary>A parameter for column <paramref name="index"/>, configured by the column's type mapping, with no value yet.</summary>
    public DbParameter Parameter(DbCommand command, int index, string name) =>
        Columns[index].Mapping.CreateParameter(command, name, null, Columns[index].Property.IsNullable);

    /// <summary>One mapped column.</summary>
    internal sealed class Column(string name, IProperty property, IClrPropertyGetter getter, RelationalTypeMapping mapping)
    {
        public string Name { get; } = name;
        public IProperty Property { get; } = property;
        public RelationalTypeMapping Mapping { get; } = mapping;

        /// <summary>The value to bind for <paramref name="entity"/>: converted to the provider's type as EF Core would.</summary>
        public object ProviderValue(object entity)
        {
            var value = getter.GetClrValueUsingContainingEntity(entity);
            if (value is null)
            {
                return DBNull.Value;
            }
            if (Mapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }
            return value ?? DBNull.Value;
        }
    }
}

/// <summary>
/// A prepared INSERT or UPDATE of one table on the writer's own connection: parameters created once, each row binds its
/// values and runs the statement. Used where statements run in process (SQLite); over a network each row would be a round
/// trip, so PostgreSQL batches them instead (<see cref="TableShape"/> serves both).
/// </summary>
internal sealed class PreparedRowCommand : IDisposable
{
    private readonly DbCommand _command;
    private readonly TableShape _shape;
    private readonly int[] _columns;

    /// <summary>An INSERT of every column.</summary>
    public PreparedRowCommand(DbConnection connection, TableShape shape)
        : this(connection, shape, shape.InsertSql(i => "@p" + i), [.. Enumerable.Range(0, shape.Columns.Length)])
    {
    }

    /// <summary>An UPDATE by key of every column but <paramref name="fixedProperties"/>.</summary>
    public PreparedRowCommand(DbConnection connection, TableShape shape, IReadOnlyCollection<string> fixedProperties)
        : this(connection, shape, shape.UpdateSql(i => "@p" + i, fixedProperties), shape.UpdatedColumns(fixedProperties))
    {
    }

    private PreparedRowCommand(DbConnection connection, TableShape shape, string sql, int[] columns)
    {
        _shape = shape;
        _columns = columns;
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        for (var i = 0; i < columns.Length; i++)
        {
            _command.Parameters.Add(shape.Parameter(_command, columns[i], "@p" + i));
        }
        _command.Prepare();
    }

    /// <summary>Writes one row; the statement must touch exactly one row (an UPDATE of a missing row is an error).</summary>
    public void Execute(object row, DbTransaction transaction)
    {
        _command.Transaction = transaction;
        var parameters = _command.Parameters;
        var columns = _shape.Columns;
        for (var i = 0; i < _columns.Length; i++)
        {
            parameters[i].Value = columns[_columns[i]].ProviderValue(row);
        }
        var count = _command.ExecuteNonQuery();
        if (count != 1)
        {
            throw new InvalidOperationException($"writing a row of {_shape.Table} touched {count} rows, not one");
        }
    }

    public void Dispose() => _command.Dispose();
}

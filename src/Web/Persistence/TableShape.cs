using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace TradSys.Web.Persistence;

/// <summary>
/// One entity type's table as the model maps it (table and column names, value conversions), for the order writer's hot
/// path: INSERT and UPDATE statements built once from the EF Core model, with each row's values converted exactly as EF Core
/// converts them (the column's own value converter), so a row written here reads back through EF Core identically. No change
/// tracking, no per-row SQL generation.
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

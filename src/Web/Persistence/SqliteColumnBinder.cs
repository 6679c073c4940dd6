using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using SQLitePCL;

namespace TradSys.Web.Persistence;

/// <summary>
/// Binds one column of an entity to a prepared SQLite statement as Microsoft.Data.Sqlite would bind EF Core's value for it,
/// through a delegate compiled from the EF Core model: read the property, apply the column's value converter (an enum stored
/// as its name reads a cached name instead of calling <see cref="Enum.ToString()"/>), and call the bind for the provider
/// type, with no value boxed on the way.
/// </summary>
internal static class SqliteColumnBinder
{
    /// <summary>Binds <paramref name="row"/>'s value to parameter <paramref name="index"/>; returns SQLite's result code.</summary>
    public delegate int Bind(object row, sqlite3_stmt statement, int index, char[] scratch);

    /// <summary>The scratch buffer a binder formats decimals and date-times into.</summary>
    public const int ScratchLength = 64;

    public static Bind For(TableShape.Column column)
    {
        var row = Expression.Parameter(typeof(object), "row");
        var statement = Expression.Parameter(typeof(sqlite3_stmt), "statement");
        var index = Expression.Parameter(typeof(int), "index");
        var scratch = Expression.Parameter(typeof(char[]), "scratch");
        var property = column.Property;
        var entity = Expression.Convert(row, property.DeclaringType.ClrType);
        Expression read = property.PropertyInfo is { } info
            ? Expression.Property(entity, info)
            : Expression.Field(entity, property.FieldInfo ?? throw new InvalidOperationException($"{property.Name} has neither a property nor a field"));
        var value = Expression.Variable(read.Type, "value");
        var underlying = Nullable.GetUnderlyingType(read.Type);
        Expression present = underlying is not null ? Expression.Property(value, nameof(Nullable<int>.Value)) : value;
        var bind = BindValue(Convert(present, column), statement, index, scratch);
        Expression body = underlying is not null
            ? Expression.Condition(Expression.Property(value, nameof(Nullable<int>.HasValue)), bind, Null(statement, index))
            : read.Type.IsValueType
                ? bind
                : Expression.Condition(Expression.Equal(value, Expression.Constant(null, read.Type)), Null(statement, index), bind);
        var lambda = Expression.Lambda<Bind>(Expression.Block([value], Expression.Assign(value, read), body), row, statement, index, scratch);
        return lambda.Compile();
    }

    /// <summary>The provider value EF Core would bind: the column's converter applied to the (non-null) model value.</summary>
    private static Expression Convert(Expression value, TableShape.Column column)
    {
        if (column.Mapping.Converter is not { } converter)
        {
            return value;
        }
        var model = Expression.Convert(value, converter.ModelClrType);
        if (converter.ModelClrType.IsEnum && converter.ProviderClrType == typeof(string))
        {
            return Expression.Call(typeof(EnumName<>).MakeGenericType(converter.ModelClrType).GetMethod(nameof(EnumName<DayOfWeek>.Of))!, model);
        }
        return Expression.Invoke(converter.ConvertToProviderExpression, model);
    }

    private static Expression BindValue(Expression value, ParameterExpression statement, ParameterExpression index, ParameterExpression scratch)
    {
        var type = value.Type;
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(uint) ||
            type == typeof(ushort) || type == typeof(sbyte))
        {
            return Call(nameof(Int64), statement, index, Expression.Convert(value, typeof(long)));
        }
        if (type == typeof(bool))
        {
            return Call(nameof(Boolean), statement, index, value);
        }
        if (type == typeof(string))
        {
            return Call(nameof(Text), statement, index, value);
        }
        if (type == typeof(decimal))
        {
            return Call(nameof(Decimal), statement, index, value, scratch);
        }
        if (type == typeof(DateTime))
        {
            return Call(nameof(DateTime), statement, index, value, scratch);
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return Call(nameof(Double), statement, index, Expression.Convert(value, typeof(double)));
        }
        if (type == typeof(byte[]))
        {
            return Call(nameof(Blob), statement, index, value);
        }
        throw new NotSupportedException($"a value of type {type.Name} has no SQLite binding here");
    }

    private static MethodCallExpression Call(string method, params Expression[] arguments) =>
        Expression.Call(typeof(SqliteColumnBinder).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!, arguments);

    private static MethodCallExpression Null(ParameterExpression statement, ParameterExpression index) => Call(nameof(BindNull), statement, index);

    private static int BindNull(sqlite3_stmt statement, int index) => raw.sqlite3_bind_null(statement, index);

    private static int Int64(sqlite3_stmt statement, int index, long value) => raw.sqlite3_bind_int64(statement, index, value);

    private static int Boolean(sqlite3_stmt statement, int index, bool value) => raw.sqlite3_bind_int64(statement, index, value ? 1 : 0);

    private static int Text(sqlite3_stmt statement, int index, string? value) =>
        value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text16(statement, index, value.AsSpan());

    private static int Decimal(sqlite3_stmt statement, int index, decimal value, char[] scratch) =>
        raw.sqlite3_bind_text16(statement, index, scratch.AsSpan(0, SqliteText.Format(value, scratch)));

    private static int DateTime(sqlite3_stmt statement, int index, DateTime value, char[] scratch) =>
        raw.sqlite3_bind_text16(statement, index, scratch.AsSpan(0, SqliteText.Format(value, scratch)));

    private static int Double(sqlite3_stmt statement, int index, double value) => raw.sqlite3_bind_double(statement, index, value);

    private static int Blob(sqlite3_stmt statement, int index, byte[]? value) =>
        value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_blob(statement, index, value);

    /// <summary>Each value's name, as <see cref="Enum.ToString()"/> gives it, read once.</summary>
    private static class EnumName<T> where T : struct, Enum
    {
        private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => v.ToString());

        public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : value.ToString();
    }
}

/// <summary>
/// Decimals and date-times as Microsoft.Data.Sqlite writes them to TEXT columns (<c>"0.0###########################"</c> and
/// <c>"yyyy-MM-dd HH:mm:ss.FFFFFFF"</c>, invariant), written straight into a span: the same text without a format string
/// parsed for every value.
/// </summary>
internal static class SqliteText
{
    /// <summary>
    /// Writes <paramref name="value"/> with at least one fractional digit and no trailing zeros beyond it ("80.0", "80.05",
    /// "-0.5"); returns the length. <paramref name="destination"/> holds at least 64 characters.
    /// </summary>
    public static int Format(decimal value, Span<char> destination)
    {
        if (value == 0m)
        {
            "0.0".CopyTo(destination);
            return 3;
        }
        // The general format of a decimal is its digits at its own scale, never an exponent: "80.050", "100", "-0.5".
        if (!value.TryFormat(destination, out var length, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{value} does not fit the scratch buffer");
        }
        if (destination[..length].IndexOf('.') < 0)
        {
            destination[length++] = '.';
            destination[length++] = '0';
            return length;
        }
        while (destination[length - 1] == '0')
        {
            length--;
        }
        // "80." keeps one zero: the character after the point is still the '0' that was there.
        return destination[length - 1] == '.' ? length + 1 : length;
    }

    /// <summary>Writes <paramref name="value"/> as "yyyy-MM-dd HH:mm:ss" and, when it has one, ".F" to ".FFFFFFF" without trailing zeros; returns the length.</summary>
    public static int Format(DateTime value, Span<char> destination)
    {
        Digits(destination[..4], value.Year);
        destination[4] = '-';
        Digits(destination.Slice(5, 2), value.Month);
        destination[7] = '-';
        Digits(destination.Slice(8, 2), value.Day);
        destination[10] = ' ';
        Digits(destination.Slice(11, 2), value.Hour);
        destination[13] = ':';
        Digits(destination.Slice(14, 2), value.Minute);
        destination[16] = ':';
        Digits(destination.Slice(17, 2), value.Second);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19;
        }
        destination[19] = '.';
        Digits(destination.Slice(20, 7), fraction);
        var length = 27;
        while (destination[length - 1] == '0')
        {
            length--;
        }
        return length;
    }

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}

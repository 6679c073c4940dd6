namespace TradSys.Web.Http;

/// <summary>Collects a request's field problems (field name to messages) for one RFC 7807 answer with every problem at once.</summary>
public static class FieldProblems
{
    /// <summary>Adds <paramref name="message"/> to <paramref name="field"/>'s problems.</summary>
    public static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>The value trimmed; null when it is missing or blank.</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Whether <paramref name="code"/> has the form of an ISO 4217 currency code: three upper-case ASCII letters.</summary>
    public static bool IsCurrencyCode([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    /// <summary>A free-text field: required (with what it is, when given) and at most <paramref name="max"/> characters once trimmed.</summary>
    public static void Text(Dictionary<string, List<string>> errors, string field, string? value, int max, bool required = false, string? what = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(errors, field, what is null ? "is required" : $"is required: {what}");
            }
        }
        else if (value.Trim().Length > max)
        {
            Add(errors, field, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be at most {max} characters (it has {value.Trim().Length})"));
        }
    }

    /// <summary>The enumeration value named <paramref name="value"/> (exactly, by name); null and a problem when it is not one.</summary>
    public static T? Choice<T>(Dictionary<string, List<string>> errors, string field, string? value, bool required = false)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(errors, field, $"is required: one of {string.Join(", ", Enum.GetNames<T>())}");
            }
            return null;
        }
        var name = value.Trim();
        if (Enum.GetNames<T>().Contains(name, StringComparer.Ordinal))
        {
            return Enum.Parse<T>(name);
        }
        Add(errors, field, $"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
        return null;
    }
}

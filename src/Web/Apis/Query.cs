using System.Globalization;

namespace TradSys.Web.Apis;

/// <summary>Query-string parsing that collects a clear message per bad parameter instead of a bare 400.</summary>
public sealed class Query(IQueryCollection query)
{
    public Dictionary<string, List<string>> Errors { get; } = [];

    public bool HasErrors => Errors.Count > 0;

    public string? String(string name, int maxLength = 64)
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (raw.Length > maxLength)
        {
            Add(name, $"must be at most {maxLength} characters");
            return null;
        }
        return raw;
    }

    public long? Long(string name)
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        Add(name, $"'{raw}' is not a whole number");
        return null;
    }

    /// <summary>true or false (any case); null when absent.</summary>
    public bool? Bool(string name)
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (bool.TryParse(raw, out var value))
        {
            return value;
        }
        Add(name, $"'{raw}' is not true or false");
        return null;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        Add(name, $"'{raw}' must be a whole number from {min} to {max}");
        return fallback;
    }

    public DateTime? Time(string name)
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.UtcDateTime;
        }
        Add(name, $"'{raw}' is not an ISO 8601 time (e.g. 2026-11-23T10:00:00Z)");
        return null;
    }

    /// <summary>A day as <c>yyyy-MM-dd</c> (at most 10 characters); null when absent, or when bad (its problem added).</summary>
    public DateOnly? Date(string name)
    {
        var text = String(name, 10);
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        Add(name, $"'{text}' is not a date as yyyy-MM-dd");
        return null;
    }

    public TEnum? Enum<TEnum>(string name) where TEnum : struct, System.Enum
    {
        var raw = query[name].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (System.Enum.TryParse<TEnum>(raw, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(raw[0]))
        {
            return value;
        }
        Add(name, $"'{raw}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
        return null;
    }

    public void Add(string name, string message)
    {
        if (!Errors.TryGetValue(name, out var list))
        {
            Errors[name] = list = [];
        }
        list.Add(message);
    }
}

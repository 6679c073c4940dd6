using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradSys.Web.Apis;

namespace TradSys.Web.Portal.Services;

/// <summary>An editor marker: a 1-based line and column range in the draft's text, and its message.</summary>
public sealed record EditorMarker(int Line, int Column, int EndColumn, string Message);

/// <summary>One parameter of a pack as the parameters form shows it.</summary>
/// <param name="Name">The parameter's name (rules read it as <c>@Name</c>).</param>
/// <param name="Type">number, integer, boolean, string or stringList (the schema's types).</param>
/// <param name="Value">The value as the form edits it: a number or string as typed, "true"/"false", a list one item a line.</param>
/// <param name="Description">What it means.</param>
/// <param name="Unverified">True when the pack marks the figure as unverified.</param>
public sealed record PackParameter(string Name, string Type, string Value, string? Description, bool Unverified);

/// <summary>
/// The rule editor's view of a draft's JSON text: where an API error points in it, and its parameters read and rewritten.
/// Pure functions over the text, so the form and the error list can be tested without a browser.
/// </summary>
public static class RulePackText
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Where an error of <c>/validate</c> points in <paramref name="text"/>. Syntax and schema errors carry a line and column;
    /// expression errors carry the JSON path of the expression (<c>rules[2].condition</c>) and a 0-based position inside it,
    /// found here by walking the text to that string value; other errors mark the value at their path, else the first line.
    /// </summary>
    public static EditorMarker Locate(string text, RulePackErrorResponse error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(error);
        if (error.Line is { } line)
        {
            var column = Math.Max(1, error.Position ?? 1);
            return new(line, column, column + 1, error.Message);
        }
        if (error.Location.Length > 0 && FindValue(text, error.Location) is { } value)
        {
            if (error.Position is { } position && value.IsString)
            {
                // Inside the string: after its opening quote. (An escape before the position would shift it by a character or two.)
                var column = value.Column + 1 + position;
                return new(value.Line, column, column + 1, error.Message);
            }
            return new(value.Line, value.Column, value.Column + value.Length, error.Message);
        }
        return new(1, 1, 2, error.Message);
    }

    private readonly record struct ValueAt(int Line, int Column, int Length, bool IsString);

    /// <summary>The line and column of the value at a path such as <c>rules[2].condition</c> or <c>parameters.X.value</c>.</summary>
    private static ValueAt? FindValue(string text, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Each open container: its own path, and the path of the child being read (a property's name, or the next index).
        var stack = new Stack<(string Path, bool IsArray, int Index, string? Property)>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var top = stack.Pop();
                    stack.Push(top with { Property = reader.GetString() });
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }
                var current = "";
                if (stack.Count > 0)
                {
                    var parent = stack.Pop();
                    current = parent.IsArray
                        ? $"{parent.Path}[{parent.Index.ToString(CultureInfo.InvariantCulture)}]"
                        : parent.Path.Length == 0 ? parent.Property ?? "" : $"{parent.Path}.{parent.Property}";
                    stack.Push(parent.IsArray ? parent with { Index = parent.Index + 1 } : parent);
                }
                if (string.Equals(current, path, StringComparison.Ordinal))
                {
                    var start = (int)reader.TokenStartIndex;
                    var length = reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length + 2 : Math.Max(1, reader.ValueSpan.Length);
                    var (line, column) = LineColumn(bytes, start);
                    return new ValueAt(line, column, length, reader.TokenType == JsonTokenType.String);
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Push((current, reader.TokenType == JsonTokenType.StartArray, 0, null));
                }
            }
        }
        catch (JsonException)
        {
            // The text does not parse (yet): the error then points at the first line.
        }
        return null;
    }

    private static (int Line, int Column) LineColumn(byte[] bytes, int offset)
    {
        var before = Encoding.UTF8.GetString(bytes, 0, offset);
        var lastBreak = before.LastIndexOf('\n');
        return (before.Count(c => c == '\n') + 1, before.Length - lastBreak);
    }

    /// <summary>The pack's parameters in the order written; null when the text does not parse as a JSON object.</summary>
    public static IReadOnlyList<PackParameter>? Parameters(string text)
    {
        if (Parse(text) is not JsonObject root)
        {
            return null;
        }
        var list = new List<PackParameter>();
        if (root["parameters"] is JsonObject parameters)
        {
            foreach (var (name, node) in parameters)
            {
                if (node is not JsonObject p)
                {
                    continue;
                }
                var type = p["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "string";
                list.Add(new(name, type, Show(p["value"], type), p["description"] is JsonValue d && d.TryGetValue<string>(out var ds) ? ds : null,
                    p["unverified"] is JsonValue u && u.TryGetValue<bool>(out var ub) && ub));
            }
        }
        return list;
    }

    /// <summary>
    /// The text with one parameter's value replaced, pretty-printed; or an error saying why the value does not fit the
    /// parameter's type (then the text is unchanged).
    /// </summary>
    public static (string Text, string? Error) WithParameter(string text, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Parse(text) is not JsonObject root || root["parameters"]?[name] is not JsonObject parameter)
        {
            return (text, $"{name}: the draft has no such parameter (or its JSON does not parse)");
        }
        var type = parameter["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "string";
        JsonNode? node;
        switch (type)
        {
            case "number" when decimal.TryParse(value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number):
                node = JsonValue.Create(number);
                break;
            case "integer" when long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                node = JsonValue.Create(integer);
                break;
            case "boolean" when bool.TryParse(value.Trim(), out var flag):
                node = JsonValue.Create(flag);
                break;
            case "string":
                node = JsonValue.Create(value);
                break;
            case "stringList":
                node = new JsonArray([.. value.Split('\n', ',').Select(v => v.Trim()).Where(v => v.Length > 0).Select(v => (JsonNode?)JsonValue.Create(v))]);
                break;
            default:
                return (text, $"{name}: '{value}' is not {(type == "integer" ? "a whole number" : type == "boolean" ? "true or false" : "a number")}");
        }
        parameter["value"] = node;
        return (root.ToJsonString(Pretty), null);
    }

    /// <summary>The text with the pack's <c>version</c> set (pretty-printed), or why it cannot be.</summary>
    public static (string Text, string? Error) WithVersion(string text, string version)
    {
        if (Parse(text) is not JsonObject root)
        {
            return (text, "The draft's JSON does not parse: validate it and fix the problems first.");
        }
        if (root["version"] is JsonValue v && v.TryGetValue<string>(out var existing) && string.Equals(existing, version, StringComparison.Ordinal))
        {
            return (text, null);
        }
        root["version"] = version;
        return (root.ToJsonString(Pretty), null);
    }

    private static string Show(JsonNode? value, string type) => value switch
    {
        null => "",
        JsonArray list => string.Join("\n", list.Select(v => v?.ToString() ?? "")),
        JsonValue v when type == "boolean" => v.ToJsonString(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

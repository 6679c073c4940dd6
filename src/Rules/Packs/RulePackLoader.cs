using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace TradSys.Rules.Packs;

/// <summary>
/// Reads a pack's JSON: syntax first (line and position), then the JSON Schema shipped in
/// <c>rulesets/rulepack.schema.json</c>, then the checks a schema cannot express (parameter values of
/// their declared type, unique rule ids, effective dates in order). Expressions are checked by
/// <see cref="Compilation.RulePackCompiler"/>.
/// </summary>
public static partial class RulePackLoader
{
    private const string SchemaResource = "TradSys.Rules.rulepack.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The JSON Schema text every pack must satisfy.</summary>
    public static string SchemaJson { get; } = ReadSchemaText();

    /// <summary>Parses and validates one pack.</summary>
    /// <param name="json">The pack's JSON text.</param>
    /// <param name="source">Where it came from (file name or draft name), for messages.</param>
    /// <returns>The pack.</returns>
    /// <exception cref="RulePackException">The JSON is malformed, violates the schema, or is inconsistent.</exception>
    public static RulePackDocument Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            int? line = ex.LineNumber is { } l ? (int)l + 1 : null;
            int? position = ex.BytePositionInLine is { } p ? (int)p + 1 : null;
            throw new RulePackException([new RulePackError(source, null, null, "", line, position, "malformed JSON: " + FirstSentence(ex.Message))]);
        }

        using (document)
        {
            string? packId = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out JsonElement idElement)
                && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;

            var errors = new List<RulePackError>();
            foreach (NJsonSchema.Validation.ValidationError error in Schema.Value.Validate(json))
            {
                AddSchemaError(errors, error, source, packId, document.RootElement);
            }

            if (errors.Count > 0)
            {
                throw new RulePackException(errors);
            }

            RulePackDocument pack = document.Deserialize<RulePackDocument>(SerializerOptions)
                ?? throw new RulePackException([new RulePackError(source, packId, null, "", null, null, "the pack is empty")]);
            CheckConsistency(pack, source, errors);
            if (errors.Count > 0)
            {
                throw new RulePackException(errors);
            }

            return pack;
        }
    }

    /// <summary>Reads every pack (<c>*.json</c> except schemas) in a directory, in file-name order.</summary>
    /// <param name="directory">The rulesets directory.</param>
    /// <returns>The packs.</returns>
    /// <exception cref="RulePackException">Any pack is bad; carries the errors of all bad packs.</exception>
    public static IReadOnlyList<RulePackDocument> LoadDirectory(string directory)
    {
        var packs = new List<RulePackDocument>();
        var errors = new List<RulePackError>();
        foreach (string path in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".schema.json", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                packs.Add(Parse(File.ReadAllText(path), Path.GetFileName(path)));
            }
            catch (RulePackException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return errors.Count > 0 ? throw new RulePackException(errors) : packs;
    }

    private static void AddSchemaError(List<RulePackError> errors, NJsonSchema.Validation.ValidationError error, string source, string? packId, JsonElement root)
    {
        if (error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            foreach (ICollection<NJsonSchema.Validation.ValidationError> group in child.Errors.Values)
            {
                foreach (NJsonSchema.Validation.ValidationError inner in group)
                {
                    AddSchemaError(errors, inner, source, packId, root);
                }
            }

            return;
        }

        string path = (error.Path ?? "").TrimStart('#').TrimStart('/');
        string? ruleId = RuleIdAt(path, root);
        string what = error.Kind switch
        {
            NJsonSchema.Validation.ValidationErrorKind.PropertyRequired => $"required property '{error.Property}' is missing",
            NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration => $"value is not one of the allowed values ({AllowedValues(error)})",
            NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed => $"unknown property '{error.Property}'",
            _ => $"{error.Kind} ({error.Property})",
        };
        errors.Add(new RulePackError(source, packId, ruleId, path, error.HasLineInfo ? error.LineNumber : null, error.HasLineInfo ? error.LinePosition : null, "schema violation: " + what));
    }

    private static string AllowedValues(NJsonSchema.Validation.ValidationError error) =>
        error.Schema is { Enumeration.Count: > 0 } schema
            ? string.Join(", ", schema.Enumeration.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))
            : "see schema";

    private static string? RuleIdAt(string path, JsonElement root)
    {
        Match m = RuleIndexPattern().Match(path);
        if (!m.Success || !root.TryGetProperty("rules", out JsonElement rules) || rules.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        int index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (index >= rules.GetArrayLength())
        {
            return null;
        }

        JsonElement rule = rules[index];
        return rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : $"#{index}";
    }

    private static void CheckConsistency(RulePackDocument pack, string source, List<RulePackError> errors)
    {
        if (pack.EffectiveTo is { } to && to < pack.EffectiveFrom)
        {
            errors.Add(new RulePackError(source, pack.Id, null, "effectiveTo", null, null, $"effectiveTo {to:yyyy-MM-dd} is before effectiveFrom {pack.EffectiveFrom:yyyy-MM-dd}"));
        }

        foreach ((string name, RuleParameter parameter) in pack.Parameters)
        {
            if (!ParameterValues.TryConvert(parameter, out object value, out string? problem))
            {
                errors.Add(new RulePackError(source, pack.Id, null, $"parameters.{name}.value", null, null, problem));
            }
            else if (parameter.Codes is not null)
            {
                CheckCodes(pack, source, name, parameter, value, errors);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < pack.Rules.Count; i++)
        {
            if (!seen.Add(pack.Rules[i].Id))
            {
                errors.Add(new RulePackError(source, pack.Id, pack.Rules[i].Id, $"rules[{i}].id", null, null, "duplicate rule id"));
            }
        }
    }

    // A list of codes must hold codes of its classification: a misspelt or free-text entry would never match an instrument
    // and the rule would silently let it through.
    private static void CheckCodes(RulePackDocument pack, string source, string name, RuleParameter parameter, object value, List<RulePackError> errors)
    {
        if (parameter.Type != "stringList")
        {
            errors.Add(new RulePackError(source, pack.Id, null, $"parameters.{name}.codes", null, null, "codes applies to a stringList parameter only"));
            return;
        }
        string[] values = (string[])value;
        for (int i = 0; i < values.Length; i++)
        {
            if (!Context.SectorClassification.IsCode(values[i]))
            {
                errors.Add(new RulePackError(source, pack.Id, null, $"parameters.{name}.value[{i}]", null, null,
                    $"'{values[i]}' is not a code of the sector classification (docs/sectors.md lists them, e.g. 40101010 for conventional banks)"));
            }
        }
    }

    private static string FirstSentence(string message)
    {
        int path = message.IndexOf(" Path:", StringComparison.Ordinal);
        return path > 0 ? message[..path] : message;
    }

    private static string ReadSchemaText()
    {
        using Stream stream = typeof(RulePackLoader).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"embedded resource {SchemaResource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonSchema LoadSchema() => JsonSchema.FromJsonAsync(SchemaJson).GetAwaiter().GetResult();

    [GeneratedRegex(@"^rules\[(\d+)\]")]
    private static partial Regex RuleIndexPattern();
}

/// <summary>Converts parameter values from JSON to the CLR types expressions see.</summary>
internal static class ParameterValues
{
    public static bool TryConvert(RuleParameter parameter, out object value, out string problem)
    {
        JsonElement v = parameter.Value;
        value = 0m;
        problem = "";
        switch (parameter.Type)
        {
            case "number" when v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out decimal d):
                value = d;
                return true;
            case "integer" when v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long l):
                value = l;
                return true;
            case "boolean" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = v.GetBoolean();
                return true;
            case "string" when v.ValueKind == JsonValueKind.String:
                value = v.GetString()!;
                return true;
            case "stringList" when v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                value = v.EnumerateArray().Select(e => e.GetString()!).ToArray();
                return true;
            default:
                problem = $"value {v.GetRawText()} is not of the declared type '{parameter.Type}'";
                return false;
        }
    }

    /// <summary>Converts an officer's override (from an editor or a test) to the parameter's declared type.</summary>
    public static bool TryCoerce(string type, object raw, out object value)
    {
        value = raw;
        switch (type)
        {
            case "number" when raw is decimal or int or long or double:
                value = Convert.ToDecimal(raw, CultureInfo.InvariantCulture);
                return true;
            case "integer" when raw is int or long:
                value = Convert.ToInt64(raw, CultureInfo.InvariantCulture);
                return true;
            case "boolean" when raw is bool:
            case "string" when raw is string:
            case "stringList" when raw is string[]:
                return true;
            default:
                return false;
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NJsonSchema;

namespace TradSys.Workflows.Definitions;

/// <summary>
/// Reads a definition's JSON: syntax first (line and position), then <c>rulesets/workflows/workflow.schema.json</c>.
/// Everything a schema cannot express (states, reachability, guards, tasks, timers) is checked by
/// <see cref="WorkflowCompiler"/>.
/// </summary>
public static class WorkflowDefinitionLoader
{
    private const string SchemaResource = "TradSys.Workflows.workflow.schema.json";

    private static readonly Lazy<JsonSchema> Schema = new(
        () => JsonSchema.FromJsonAsync(ReadSchema()).GetAwaiter().GetResult(), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The JSON Schema every definition must satisfy.</summary>
    public static string SchemaJson { get; } = ReadSchema();

    /// <summary>Parses and schema-validates one definition.</summary>
    /// <param name="json">The definition's JSON text.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <returns>The document.</returns>
    /// <exception cref="WorkflowDefinitionException">Malformed JSON or a schema violation.</exception>
    public static WorkflowDefinitionDocument Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new WorkflowDefinitionException([new WorkflowError(source, null, null, null, null, "",
                ex.LineNumber is { } l ? (int)l + 1 : null, ex.BytePositionInLine is { } p ? (int)p + 1 : null, "malformed JSON: " + FirstSentence(ex.Message))]);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            string? id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            int? version = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("version", out JsonElement v) && v.TryGetInt32(out int n) ? n : null;
            var errors = new List<WorkflowError>();
            foreach (NJsonSchema.Validation.ValidationError error in Schema.Value.Validate(json))
            {
                AddSchemaError(errors, error, source, id, version, root);
            }

            if (errors.Count > 0)
            {
                throw new WorkflowDefinitionException(errors);
            }

            try
            {
                return document.Deserialize<WorkflowDefinitionDocument>(SerializerOptions)
                    ?? throw new WorkflowDefinitionException([new WorkflowError(source, id, version, null, null, "", null, null, "the definition is empty")]);
            }
            catch (JsonException ex)
            {
                throw new WorkflowDefinitionException([new WorkflowError(source, id, version, null, null, (ex.Path ?? "").TrimStart('$', '.'), null, null,
                    "the value cannot be read: " + FirstSentence(ex.Message))]);
            }
        }
    }

    private static void AddSchemaError(List<WorkflowError> errors, NJsonSchema.Validation.ValidationError error, string source, string? id, int? version,
        JsonElement root)
    {
        if (error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            foreach (ICollection<NJsonSchema.Validation.ValidationError> group in child.Errors.Values)
            {
                foreach (NJsonSchema.Validation.ValidationError inner in group)
                {
                    AddSchemaError(errors, inner, source, id, version, root);
                }
            }

            return;
        }

        string path = (error.Path ?? "").TrimStart('#').TrimStart('/');
        string what = error.Kind switch
        {
            NJsonSchema.Validation.ValidationErrorKind.PropertyRequired => $"required property '{error.Property}' is missing",
            NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration => $"value is not one of the allowed values ({AllowedValues(error)})",
            NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed => $"unknown property '{error.Property}'",
            NJsonSchema.Validation.ValidationErrorKind.PatternMismatch => $"'{error.Property}' does not match the pattern {error.Schema?.Pattern}",
            _ => $"{error.Kind} ({error.Property})",
        };
        errors.Add(new WorkflowError(source, id, version, StateAt(path, root), null, path,
            error.HasLineInfo ? error.LineNumber : null, error.HasLineInfo ? error.LinePosition : null, "schema violation: " + what));
    }

    private static string? StateAt(string path, JsonElement root)
    {
        // NJsonSchema writes paths as states[1].colour.
        if (!path.StartsWith("states[", StringComparison.Ordinal) || path.IndexOf(']', StringComparison.Ordinal) is var close && close < 0
            || !int.TryParse(path.AsSpan(7, close - 7), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !root.TryGetProperty("states", out JsonElement states) || states.ValueKind != JsonValueKind.Array || index >= states.GetArrayLength())
        {
            return null;
        }

        JsonElement state = states[index];
        return state.ValueKind == JsonValueKind.Object && state.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : $"#{index}";
    }

    private static string AllowedValues(NJsonSchema.Validation.ValidationError error) =>
        error.Schema is { Enumeration.Count: > 0 } schema
            ? string.Join(", ", schema.Enumeration.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))
            : "see schema";

    private static string FirstSentence(string message)
    {
        int path = message.IndexOf(" Path:", StringComparison.Ordinal);
        return path > 0 ? message[..path] : message;
    }

    private static string ReadSchema()
    {
        using Stream stream = typeof(WorkflowDefinitionLoader).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"embedded resource {SchemaResource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradSys.Rules.Tests.Support;

/// <summary>Small packs written in tests, and edits of shipped ones.</summary>
internal static class PackText
{
    /// <summary>A minimal valid pack with one rule whose expression is <paramref name="expression"/>.</summary>
    public static string WithRule(string expression, string outcome = "Block", string id = "test") => $$"""
        {
          "id": "{{id}}",
          "regime": "Test",
          "version": "1.0.0",
          "effectiveFrom": "2024-01-01",
          "appliesTo": "Account.Id >= 0",
          "parameters": {
            "Limit": { "type": "number", "value": 5, "description": "A threshold." },
            "Mics": { "type": "stringList", "value": ["XADS"], "description": "A list." }
          },
          "rules": [
            {
              "id": "TEST.RULE",
              "description": "A rule.",
              "expression": {{JsonSerializer.Serialize(expression)}},
              "outcome": "{{outcome}}",
              "reasonCode": "TEST-001",
              "message": "Fired.",
              "regulation": "None"
            }
          ]
        }
        """;

    /// <summary>A shipped pack with one edit applied to its JSON tree.</summary>
    public static string Edit(string packId, Action<JsonObject> edit)
    {
        JsonObject root = JsonNode.Parse(Repo.PackJson(packId))!.AsObject();
        edit(root);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

using TradSys.Web.RulePacks;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>The words above a rule-pack diff: what a new version changes, for the approver.</summary>
public sealed class PackChangesTests
{
    private const string V1 = """
        {
          "id": "demo", "version": "1.0.0", "effectiveFrom": "2026-01-01", "appliesTo": "true",
          "parameters": {
            "UpperLimitPct": { "type": "number", "value": 15, "description": "Upper limit." },
            "Venues": { "type": "stringList", "value": ["XADS", "XDFM"] }
          },
          "rules": [
            { "id": "A", "outcome": "Block", "expression": "Order.Price > 10", "message": "too high" },
            { "id": "B", "outcome": "Review", "expression": "Order.Quantity > 100", "message": "large" }
          ]
        }
        """;

    [Fact]
    public void The_same_pack_under_a_new_version_number_changes_nothing() =>
        Assert.Empty(PackChanges.Between(V1, V1.Replace("\"1.0.0\"", "\"1.0.1\"", StringComparison.Ordinal)));

    [Fact]
    public void Each_parameter_value_rule_and_field_that_changed_is_named_with_before_and_after()
    {
        const string v2 = """
            {
              "id": "demo", "version": "1.1.0", "effectiveFrom": "2026-02-01", "appliesTo": "true",
              "parameters": {
                "UpperLimitPct": { "type": "number", "value": 0, "description": "Upper limit." },
                "Venues": { "type": "stringList", "value": ["XADS", "XDFM", "XOFF"] },
                "MaxOrders": { "type": "integer", "value": 3 }
              },
              "rules": [
                { "id": "A", "outcome": "Review", "expression": "Order.Price > 10", "message": "too high" },
                { "id": "C", "outcome": "Warn", "expression": "Order.Quantity > 1", "message": "any" }
              ]
            }
            """;
        Assert.Equal(
        [
            "effectiveFrom: 2026-01-01 -> 2026-02-01",
            "parameter MaxOrders added: 3",
            "UpperLimitPct: 15 -> 0",
            "Venues: [XADS, XDFM] -> [XADS, XDFM, XOFF]",
            "rule B removed",
            "rule A outcome: Block -> Review",
            "rule C added (Warn): Order.Quantity > 1",
        ], PackChanges.Between(V1, v2));
    }

    [Fact]
    public void A_removed_parameter_says_its_last_value_and_a_new_pack_says_so()
    {
        var v2 = V1.Replace("\"UpperLimitPct\": { \"type\": \"number\", \"value\": 15, \"description\": \"Upper limit.\" },", "", StringComparison.Ordinal);
        Assert.Equal(["parameter UpperLimitPct removed (was 15)"], PackChanges.Between(V1, v2));
        Assert.Equal(["new pack demo with 2 rules"], PackChanges.Between(null, V1));
    }
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Apis;
using TradSys.Web.Portal.Components.Shared;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>bUnit tests of the rule editor's parameters form and error list, and of where an API error points in the draft.</summary>
public sealed class RuleEditorComponentTests : BunitContext
{
    private const string Pack = """
        {
          "id": "demo",
          "version": "1.0.0",
          "parameters": {
            "Venues": { "type": "stringList", "value": ["XADS", "XDFM"], "description": "MICs covered." },
            "UpperLimitPct": { "type": "number", "value": 15, "description": "Upper price limit.", "unverified": true },
            "MaxOrders": { "type": "integer", "value": 3 },
            "Strict": { "type": "boolean", "value": false }
          },
          "rules": [
            { "id": "A", "expression": "Order.Quantity > 0" },
            { "id": "B", "expression": "Order.Price * 100 > Market.PriorClose * (100 + @UpperLimitPct)" }
          ]
        }
        """;

    /// <summary>The components speak the portal's language (English here).</summary>
    public RuleEditorComponentTests() => Services.AddLocalization();

    [Fact]
    public void The_diff_shows_every_line_as_its_own_row_context_included_and_the_changes_in_words_above_it()
    {
        const string text = "--- sca@1.0.0\n+++ sca@1.0.1\n@@ -20,7 +20,7 @@\n     \"UpperLimitPct\": {\n       \"type\": \"number\",\n-      \"value\": 15,\n+      \"value\": 0,\n\n       \"description\": \"x\"";
        var diff = Render<UnifiedDiff>(p => p.Add(x => x.Text, text));
        var rows = diff.FindAll("span.diff-line");
        Assert.Equal(text.Split('\n').Length, rows.Count);
        Assert.Equal(["diff-file", "diff-file", "diff-hunk", "diff-context", "diff-context", "diff-removed", "diff-added", "diff-context", "diff-context"],
            rows.Select(r => r.ClassList.Single(c => c != "diff-line")));
        Assert.Equal("     \"UpperLimitPct\": {", rows[3].TextContent);
        Assert.Equal(" ", rows[7].TextContent); // an empty line keeps its row

        var list = Render<PackChangeList>(p => p.Add(x => x.Changes, ["UpperLimitPct: 15 -> 0", "rule B removed"]));
        Assert.Equal(["UpperLimitPct: 15 -> 0", "rule B removed"], list.FindAll("li.pack-change").Select(li => li.TextContent));
        Assert.Empty(Render<PackChangeList>(p => p.Add(x => x.Changes, [])).FindAll("li"));
    }

    [Fact]
    public void The_parameters_form_shows_each_parameter_as_a_typed_input_and_a_change_rewrites_the_json()
    {
        string? rewritten = null;
        var form = Render<RuleParameters>(p => p.Add(x => x.Json, Pack).Add(x => x.JsonChanged, (string json) => rewritten = json));

        Assert.Equal("XADS\nXDFM", form.Find("#param-Venues").GetAttribute("value"));
        Assert.Equal("15", form.Find("#param-UpperLimitPct").GetAttribute("value"));
        Assert.Contains("(unverified figure)", form.Find("#param-UpperLimitPct-help").TextContent, StringComparison.Ordinal);
        Assert.Equal("checkbox", form.Find("#param-Strict").GetAttribute("type"));

        form.Find("#param-UpperLimitPct").Change("0.5");
        var node = System.Text.Json.Nodes.JsonNode.Parse(rewritten!)!;
        Assert.Equal(0.5m, node["parameters"]!["UpperLimitPct"]!["value"]!.GetValue<decimal>());
        // The rest of the pack is untouched.
        Assert.Equal("Order.Quantity > 0", node["rules"]![0]!["expression"]!.GetValue<string>());

        form.Find("#param-Venues").Change("XADS\nXDFM\nXOFF");
        Assert.Equal(["XADS", "XDFM", "XOFF"], System.Text.Json.Nodes.JsonNode.Parse(rewritten!)!["parameters"]!["Venues"]!["value"]!.AsArray()
            .Select(v => v!.GetValue<string>()));

        form.Find("#param-Strict").Change(true);
        Assert.True(System.Text.Json.Nodes.JsonNode.Parse(rewritten!)!["parameters"]!["Strict"]!["value"]!.GetValue<bool>());
    }

    [Fact]
    public void A_value_that_does_not_fit_its_type_is_refused_under_its_field_and_the_json_is_not_touched()
    {
        var changes = 0;
        var form = Render<RuleParameters>(p => p.Add(x => x.Json, Pack).Add(x => x.JsonChanged, (string _) => changes++));
        form.Find("#param-MaxOrders").Change("2.5");
        Assert.Contains("not a whole number", form.Find("#param-MaxOrders-problem").TextContent, StringComparison.Ordinal);
        form.Find("#param-UpperLimitPct").Change("fifteen");
        Assert.Contains("not a number", form.Find("#param-UpperLimitPct-problem").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, changes);
    }

    [Fact]
    public void A_draft_that_does_not_parse_says_so_instead_of_a_form()
    {
        var form = Render<RuleParameters>(p => p.Add(x => x.Json, "{ \"id\": "));
        Assert.Contains("does not parse", form.Find("#params-unreadable").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_list_names_rule_location_position_and_message_and_a_click_selects_the_error()
    {
        var compile = new RulePackErrorResponse("demo", "B", "rules[1].expression", null, 12, "No property or field 'Pricee' exists in type 'OrderView'");
        var schema = new RulePackErrorResponse("demo", null, "rules[0].outcome", 11, 40, "schema violation: value is not one of Block, Review");
        var markers = new Dictionary<RulePackErrorResponse, EditorMarker>
        {
            [compile] = RulePackText.Locate(Pack, compile),
            [schema] = RulePackText.Locate(Pack, schema),
        };
        RulePackErrorResponse? selected = null;
        var list = Render<RulePackErrors>(p => p.Add(x => x.Errors, [compile, schema]).Add(x => x.Markers, markers)
            .Add(x => x.OnSelect, (RulePackErrorResponse e) => selected = e));

        var items = list.FindAll(".pack-error");
        Assert.Equal(2, items.Count);
        Assert.Contains("2 problems", list.Find("#pack-errors").TextContent, StringComparison.Ordinal);
        Assert.Contains("B", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("rules[1].expression", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Pricee", items[0].TextContent, StringComparison.Ordinal);
        // Rule B's expression is on line 12; position 12 inside it is one past its opening quote plus 12.
        var line = Pack.Split('\n').Select((text, i) => (text, i)).Single(l => l.text.Contains("\"B\"", StringComparison.Ordinal));
        var column = line.text.IndexOf("\"Order.Price", StringComparison.Ordinal) + 1 + 1 + 12;
        Assert.Contains($"line {line.i + 1}, column {column}", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("line 11, column 40", items[1].TextContent, StringComparison.Ordinal);

        items[0].Click();
        Assert.Same(compile, selected);
    }

    [Fact]
    public void No_errors_render_nothing()
    {
        var list = Render<RulePackErrors>(p => p.Add(x => x.Errors, []));
        Assert.Empty(list.FindAll("#pack-errors"));
    }
}

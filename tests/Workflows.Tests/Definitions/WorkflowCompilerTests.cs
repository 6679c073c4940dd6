using System.Text.Json.Nodes;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Tests.Support;

namespace TradSys.Workflows.Tests.Definitions;

public class WorkflowCompilerTests
{
    [Fact]
    public void Every_shipped_definition_loads_and_compiles()
    {
        foreach (string id in Shipped.Ids)
        {
            CompiledWorkflow w = Shipped.Compile(id);
            Assert.Equal(id, w.Id);
            Assert.Equal(1, w.Version);
        }
    }

    [Fact]
    public void Only_the_straight_through_definition_is_decided_without_an_instance()
    {
        Assert.True(Shipped.Compile("straight-through").IsStraightThrough);
        Assert.False(Shipped.Compile("compliance-review").IsStraightThrough);
        Assert.False(Shipped.Compile("four-eyes-large-orders").IsStraightThrough);
        Assert.False(Shipped.Compile("rulepack-publication").IsStraightThrough);
    }

    [Fact]
    public void Every_file_in_the_folder_is_a_shipped_definition()
    {
        string[] files = [.. System.IO.Directory.GetFiles(Shipped.Directory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];
        Assert.Equal(Shipped.Ids.Order(StringComparer.Ordinal), files);
    }

    [Fact]
    public void An_unreachable_state_is_refused_naming_it()
    {
        var errors = Refused(d => ((JsonArray)d["states"]!).Add(JsonNode.Parse("""{ "name": "Limbo", "final": true }""")));
        var e = Assert.Single(errors);
        Assert.Equal("Limbo", e.State);
        Assert.Contains("unreachable from the initial state 'Received'", e.Message, StringComparison.Ordinal);
        Assert.Equal("states[6]", e.Location);
    }

    [Fact]
    public void A_transition_to_an_unknown_state_is_refused_with_its_field()
    {
        var errors = Refused(d => d["states"]![1]!["transitions"]![1]!["to"] = "Rejectd");
        var e = errors.Single(x => x.Message.Contains("unknown state", StringComparison.Ordinal));
        Assert.Equal("PendingReview", e.State);
        Assert.Equal("transition 'reject -> Rejectd'", e.Transition);
        Assert.Equal("states[1].transitions[1].to", e.Location);
        Assert.Contains("compliance-review", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_guard_that_does_not_compile_is_refused_with_its_position()
    {
        var errors = Refused(d => d["states"]![1]!["transitions"]![0]!["guard"] = "Approvals >= 1 && Nonsense");
        var e = Assert.Single(errors);
        Assert.Equal("states[1].transitions[0].guard", e.Location);
        Assert.Equal("transition 'approve -> Approved'", e.Transition);
        Assert.Equal(18, e.Position);
        Assert.Contains("Nonsense", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guard_leaving_the_sandbox_is_refused()
    {
        var errors = Refused(d => d["appliesWhen"] = "Symbol.ToUpper() == \"FAB\"");
        var e = Assert.Single(errors);
        Assert.Equal("appliesWhen", e.Location);
        Assert.Contains("sandbox", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_literal_in_a_guard_is_refused_like_in_the_rule_packs()
    {
        var errors = Refused(d => d["appliesWhen"] = "NotionalUsd > 250000");
        Assert.Contains("thresholds belong in a pack parameter", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_without_a_role_is_refused()
    {
        var errors = Refused(d => ((JsonObject)d["states"]![1]!["onEntry"]![0]!["task"]!).Remove("role"));
        var e = Assert.Single(errors);
        Assert.Equal("states[1].onEntry[0].task.role", e.Location);
        Assert.Equal("task 'review'", e.Transition);
        Assert.Contains("needs the role", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Four_eyes_with_fewer_than_two_approvals_is_refused()
    {
        var errors = Refused(d => d["states"]![1]!["onEntry"]![0]!["task"]!["fourEyes"] = true);
        var e = Assert.Single(errors);
        Assert.Equal("states[1].onEntry[0].task.approvals", e.Location);
        Assert.Contains("at least 2 distinct approvals", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30 minutes", "is not an ISO 8601 duration")]
    [InlineData("PT0S", "is not a positive duration")]
    [InlineData("P90D", "longer than 31 days")]
    public void A_timer_with_a_bad_duration_is_refused(string after, string expected)
    {
        var errors = Refused(d => d["states"]![1]!["timers"]![0]!["after"] = after);
        var e = Assert.Single(errors);
        Assert.Equal("states[1].timers[0].after", e.Location);
        Assert.Equal("timer 'sla'", e.Transition);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timer_firing_a_trigger_the_state_does_not_handle_is_refused()
    {
        var errors = Refused(d => d["states"]![1]!["timers"]![1]!["fire"] = "timeout");
        Assert.Contains("no transition on trigger 'timeout'", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_violation_names_the_state_and_the_field()
    {
        var errors = Refused(d => d["states"]![1]!["colour"] = "red");
        var e = Assert.Single(errors);
        Assert.True(e.State == "PendingReview", e.ToString());
        Assert.Contains("unknown property 'colour'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_refused_with_line_and_position()
    {
        var ex = Assert.Throws<WorkflowDefinitionException>(() => WorkflowCompiler.Compile("{\n  \"id\": ", "draft"));
        Assert.NotNull(Assert.Single(ex.Errors).Line);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Refused(d =>
        {
            d["states"]![1]!["transitions"]![1]!["to"] = "Nowhere";
            d["states"]![1]!["timers"]![0]!["after"] = "soon";
        });
        Assert.Equal(2, errors.Count(e => e.Message.Contains("Nowhere", StringComparison.Ordinal) || e.Message.Contains("soon", StringComparison.Ordinal)));
    }

    private static IReadOnlyList<WorkflowError> Refused(Action<JsonNode> change)
    {
        JsonNode document = JsonNode.Parse(Shipped.Json("compliance-review"))!;
        change(document);
        var ex = Assert.Throws<WorkflowDefinitionException>(() => WorkflowCompiler.Compile(document.ToJsonString(), "draft"));
        return ex.Errors;
    }
}

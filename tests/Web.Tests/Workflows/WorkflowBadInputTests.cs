using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Workflows.WorkflowScenarios;

namespace TradSys.Web.Tests.Workflows;

/// <summary>The inbox's and the definitions' refusals and role matrix: problem details, nothing changed.</summary>
public sealed class WorkflowBadInputTests
{
    [Theory]
    [InlineData("trader1", HttpStatusCode.Forbidden)]
    [InlineData("viewer1", HttpStatusCode.Forbidden)]
    [InlineData("regulator1", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    [InlineData("compliance1", HttpStatusCode.OK)]
    [InlineData("compliance2", HttpStatusCode.OK)]
    public async Task Only_the_roles_tasks_wait_for_have_an_inbox(string client, HttpStatusCode expected)
    {
        await using var platform = new PlatformFactory();
        var api = await platform.ClientForAsync(client);
        (await api.GetAsync("/api/v1/tasks")).Expect(expected);
        (await api.PostJsonAsync($"/api/v1/tasks/{Guid.NewGuid()}/approve", new { }))
            .Expect(expected == HttpStatusCode.OK ? HttpStatusCode.NotFound : expected);
    }

    [Theory]
    [InlineData("trader1", HttpStatusCode.Forbidden)]
    [InlineData("viewer1", HttpStatusCode.Forbidden)]
    [InlineData("regulator1", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("compliance1", HttpStatusCode.OK)]
    public async Task Definitions_and_histories_are_read_by_compliance_admins_and_regulators(string client, HttpStatusCode expected)
    {
        await using var platform = new PlatformFactory();
        var api = await platform.ClientForAsync(client);
        (await api.GetAsync("/api/v1/workflows/definitions")).Expect(expected);
        (await api.GetAsync($"/api/v1/workflows/instances/{Guid.NewGuid()}")).Expect(expected == HttpStatusCode.OK ? HttpStatusCode.NotFound : expected);
    }

    [Fact]
    public async Task Bad_decisions_are_refused_with_problem_details_and_change_nothing()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var held = await HeldForReviewAsync(platform, trader1);
        var task = TaskOf(held);
        var rows = await platform.CountRowsAsync();

        var unknown = (await compliance1.PostJsonAsync($"/api/v1/tasks/{Guid.NewGuid()}/approve", new { })).Expect(HttpStatusCode.NotFound);
        Assert.Contains("application/problem+json", unknown.Body.Length > 0 ? "application/problem+json" : "", StringComparison.Ordinal);
        (await compliance1.PostRawAsync($"/api/v1/tasks/{task}/approve", "{\"comment\": ")).Expect(HttpStatusCode.BadRequest);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { comment = new string('x', 1025) })).Expect(HttpStatusCode.BadRequest);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { })).Expect(HttpStatusCode.BadRequest);
        (await compliance1.PostJsonAsync($"/api/v1/tasks/{task}/reassign", new { role = "janitor" })).Expect(HttpStatusCode.BadRequest);
        (await compliance1.GetAsync("/api/v1/tasks?status=maybe")).Expect(HttpStatusCode.BadRequest);

        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.Equal("PendingReview", (await trader1.GetAsync($"/api/v1/orders/{held.OrderId}")).Str("status"));
    }

    [Fact]
    public async Task A_definition_with_an_unreachable_state_is_refused_and_never_replaces_the_working_one()
    {
        await using var platform = new PlatformFactory();
        var compliance1 = await platform.ClientForAsync("compliance1");
        var draft = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "rulesets", "workflows", "compliance-review.json")))!;
        draft["version"] = 2;
        draft["states"]!.AsArray().Add(JsonNode.Parse("""{ "name": "Limbo", "final": true }"""));

        var validated = (await compliance1.PostRawAsync("/api/v1/workflows/definitions/validate", draft.ToJsonString())).Expect(HttpStatusCode.BadRequest);
        var error = validated.Json["errors"]!.AsArray().Single()!;
        Assert.Equal("Limbo", error["state"]!.GetValue<string>());
        Assert.Contains("unreachable", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (await compliance1.PostRawAsync("/api/v1/workflows/definitions/compliance-review/publish", draft.ToJsonString())).Expect(HttpStatusCode.BadRequest);

        var definitions = (await compliance1.GetAsync("/api/v1/workflows/definitions")).Json.AsArray();
        var current = definitions.Single(d => d!["id"]!.GetValue<string>() == "compliance-review")!;
        Assert.Equal(1, current["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_new_definition_version_applies_to_new_orders_while_running_instances_keep_theirs()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var compliance1 = await platform.ClientForAsync("compliance1");
        var compliance2 = await platform.ClientForAsync("compliance2");
        var first = await HeldForReviewAsync(platform, trader1);

        var v2 = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "rulesets", "workflows", "compliance-review.json")))!;
        v2["version"] = 2;
        v2["states"]![1]!["onEntry"]![0]!["task"]!["approvals"] = 2;
        (await compliance1.PostRawAsync("/api/v1/workflows/definitions/compliance-review/publish", v2.ToJsonString())).Expect(HttpStatusCode.Created);
        (await compliance1.PostRawAsync("/api/v1/workflows/definitions/compliance-review/publish", v2.ToJsonString())).Expect(HttpStatusCode.Conflict);
        (await compliance1.PostRawAsync("/api/v1/workflows/definitions/straight-through/publish", v2.ToJsonString())).Expect(HttpStatusCode.BadRequest);

        var second = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal(2, Review(second)["definitionVersion"]!.GetValue<int>());
        Assert.Equal(2, Review(second)["openTask"]!["requiredApprovals"]!.GetValue<int>());

        Assert.Equal(1, Review(first)["definitionVersion"]!.GetValue<int>());
        var done = (await ApproveAsync(compliance2, TaskOf(first))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Accepted", done["order"]!["status"]!.GetValue<string>());
        Assert.Equal("ApprovalRecorded", (await ApproveAsync(compliance1, TaskOf(second))).Expect(HttpStatusCode.OK).Json["outcome"]!.GetValue<string>());
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
        {
            dir = dir.Parent;
        }
        return dir!.FullName;
    }
}

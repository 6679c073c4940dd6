using System.Text.Json.Nodes;
using TradSys.Rules.Context;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Tests.Support;

namespace TradSys.Workflows.Tests.Definitions;

public class WorkflowCatalogTests
{
    private readonly WorkflowCatalog _catalog = Shipped.Catalog();

    [Fact]
    public void A_passing_order_goes_straight_through() =>
        Assert.Equal("straight-through", _catalog.Select(WorkflowSubject.Order, Shipped.Order())!.Id);

    [Fact]
    public void A_review_outcome_selects_the_compliance_review() =>
        Assert.Equal("compliance-review", _catalog.Select(WorkflowSubject.Order, Shipped.Order("Review"))!.Id);

    [Theory]
    [InlineData(ClientCategory.Retail, 249_999, "straight-through")]
    [InlineData(ClientCategory.Retail, 250_000, "four-eyes-large-orders")]
    [InlineData(ClientCategory.Professional, 250_000, "straight-through")]
    [InlineData(ClientCategory.Professional, 5_000_000, "four-eyes-large-orders")]
    [InlineData(ClientCategory.MarketCounterparty, 5_000_000, "straight-through")]
    [InlineData(ClientCategory.MarketCounterparty, 25_000_000, "four-eyes-large-orders")]
    public void Large_orders_need_four_eyes_above_their_client_categorys_threshold(ClientCategory category, int notionalUsd, string expected) =>
        Assert.Equal(expected, _catalog.Select(WorkflowSubject.Order, Shipped.Order(notionalUsd: notionalUsd, category: category))!.Id);

    [Fact]
    public void A_large_order_held_for_review_takes_the_four_eyes_flow() =>
        Assert.Equal("four-eyes-large-orders", _catalog.Select(WorkflowSubject.Order, Shipped.Order("Review", 1_000_000m))!.Id);

    [Fact]
    public void A_rule_pack_change_selects_maker_checker() =>
        Assert.Equal("rulepack-publication", _catalog.Select(WorkflowSubject.RulePack, new WorkflowContext { Subject = "rulepack" })!.Id);

    [Fact]
    public void A_version_not_newer_than_the_current_is_refused_and_changes_nothing()
    {
        Assert.Equal(WorkflowPublishOutcome.VersionNotNewer, _catalog.Publish(Shipped.Compile("compliance-review")));
        Assert.Equal(1, _catalog.Current["compliance-review"].Version);
    }

    [Fact]
    public void A_new_version_becomes_current_and_the_old_one_stays_available_for_running_instances()
    {
        JsonNode v2 = JsonNode.Parse(Shipped.Json("four-eyes-large-orders"))!;
        v2["version"] = 2;
        v2["parameters"]!["retailThresholdUsd"]!["value"] = 100_000;
        Assert.Equal(WorkflowPublishOutcome.Published, _catalog.Publish(WorkflowCompiler.Compile(v2.ToJsonString(), "v2")));

        Assert.Equal(2, _catalog.Current["four-eyes-large-orders"].Version);
        Assert.NotNull(_catalog.Get("four-eyes-large-orders", 1));
        Assert.Equal("four-eyes-large-orders", _catalog.Select(WorkflowSubject.Order, Shipped.Order(notionalUsd: 150_000m))!.Id);
    }
}

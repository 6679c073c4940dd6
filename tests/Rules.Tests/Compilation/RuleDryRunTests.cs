using TradSys.Rules.Compilation;
using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Compilation;

public class RuleDryRunTests
{
    public static TheoryData<string> Packs() => new(ShippedPacks.Ids);

    private static CompiledPack Compile(string expression) =>
        RulePackCompiler.Compile(RulePackLoader.Parse(PackText.WithRule(expression), "draft"), "draft");

    [Fact]
    public void A_rule_dividing_by_a_figure_a_new_listing_does_not_have_is_refused_with_the_rule_and_the_fault()
    {
        var errors = RuleDryRun.Check(Compile("Order.Quantity / Market.PriorClose > @Limit"), "draft");

        var error = Assert.Single(errors);
        Assert.Equal("TEST.RULE", error.RuleId);
        Assert.Equal("rules[0].expression", error.Location);
        Assert.Contains("DivideByZeroException", error.Message, StringComparison.Ordinal);
        Assert.Contains("new listing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_that_faults_on_every_order_is_refused()
    {
        var errors = RuleDryRun.Check(Compile("Order.Quantity / (Order.Quantity - Order.Quantity) > 0"), "draft");

        Assert.Equal("TEST.RULE", Assert.Single(errors).RuleId);
    }

    [Fact]
    public void A_guarded_division_evaluates_on_every_sample_but_is_still_named_in_the_warnings()
    {
        var pack = Compile("Market.PriorClose > 0 && Order.Quantity / Market.PriorClose > @Limit");

        Assert.Empty(RuleDryRun.Check(pack, "draft"));
        var warning = Assert.Single(RuleDryRun.Warnings(pack));
        Assert.StartsWith("TEST.RULE divides by Market.PriorClose", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_division_by_a_parameter_is_no_warning()
    {
        Assert.Empty(RuleDryRun.Warnings(Compile("Order.Quantity / @Limit > 1")));
    }

    [Theory]
    [MemberData(nameof(Packs))]
    public void Every_shipped_pack_evaluates_on_every_sample(string packId)
    {
        Assert.Empty(RuleDryRun.Check(ShippedPacks.Compiled(packId), packId + ".json"));
    }
}

using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Evaluation;

public class ShippedRulesTests
{
    public static TheoryData<string> Cases() => RuleCases.Keys();

    public static TheoryData<string> Packs() => new(ShippedPacks.Ids);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_fires_on_its_case(string key)
    {
        RuleCase rc = RuleCases.All.First(c => c.Key == key);
        foreach (RuleCase @case in RuleCases.All.Where(c => c.Key == key))
        {
            OrderContext context = Contexts.For(@case.Pack);
            @case.Fire(context);
            CompiledPack pack = ShippedPacks.Compiled(@case.Pack, @case.Parameters);

            var decision = new RuleDecision();
            new RuleEvaluator(CompiledRuleSet.Create([pack])).Evaluate(context, decision);

            Assert.True(pack.AppliesTo(context), $"{rc.Pack} does not apply to the case's context");
            Assert.True(decision.HasFired(@case.Rule), $"{@case.Rule} did not fire");
            CompiledRule rule = pack.Rules.Single(r => r.Id == @case.Rule);
            Assert.True(decision.Outcome >= rule.Outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_passes_on_the_near_side_of_its_threshold(string key)
    {
        foreach (RuleCase @case in RuleCases.All.Where(c => c.Key == key))
        {
            OrderContext context = Contexts.For(@case.Pack);
            @case.Pass(context);
            CompiledRule rule = ShippedPacks.Compiled(@case.Pack, @case.Parameters).Rules.Single(r => r.Id == @case.Rule);

            Assert.False(rule.Fires(context), $"{@case.Rule} fired on its passing case");
        }
    }

    [Theory]
    [MemberData(nameof(Packs))]
    public void Every_shipped_rule_has_a_case(string packId)
    {
        IEnumerable<string> missing = ShippedPacks.Compiled(packId).Rules.Select(r => r.Id)
            .Where(id => !RuleCases.All.Any(c => c.Pack == packId && c.Rule == id));

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Packs))]
    public void The_passing_context_passes_every_rule_of_the_pack(string packId)
    {
        OrderContext context = Contexts.For(packId);
        var decision = new RuleDecision();
        CompiledPack pack = ShippedPacks.Compiled(packId);

        new RuleEvaluator(CompiledRuleSet.Create([pack])).Evaluate(context, decision);

        Assert.True(pack.AppliesTo(context));
        Assert.Equal(RuleOutcome.Pass, decision.Outcome);
    }
}

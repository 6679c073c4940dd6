using TradSys.Engine;
using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Evaluation;

public class RuleEvaluatorTests
{
    private static OrderContext[] PassingOrders()
    {
        var orders = ShippedPacks.Ids.Select(Contexts.For).ToList();
        OrderContext many = Contexts.Passing();
        many.Account.Jurisdiction = Jurisdiction.Eu;
        many.Account.ShariaOnly = true;
        orders.Add(many);
        return [.. orders];
    }

    [Fact]
    public void The_pass_path_allocates_nothing()
    {
        var evaluator = new RuleEvaluator(ShippedPacks.All());
        var decision = new RuleDecision();
        OrderContext[] orders = PassingOrders();
        foreach (OrderContext order in orders)
        {
            Assert.Equal(RuleOutcome.Pass, evaluator.Evaluate(order, decision));
        }

        // Several rounds: a real allocation on the pass path shows in every round, the runtime's one-off work on
        // this thread (tiered recompilation of the compiled delegates) does not repeat.
        var allocatedPerRound = new List<long>();
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20_000; i++)
            {
                evaluator.Evaluate(orders[i % orders.Length], decision);
            }

            allocatedPerRound.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (allocatedPerRound[^1] == 0)
            {
                return;
            }
        }

        Assert.Fail($"every round of 20,000 evaluations allocated: {string.Join(", ", allocatedPerRound)} bytes");
    }

    [Fact]
    public void All_eight_packs_are_evaluated_and_only_applicable_ones_apply()
    {
        var evaluator = new RuleEvaluator(ShippedPacks.All());
        var decision = new RuleDecision();
        OrderContext order = PassingOrders()[^1];

        evaluator.Evaluate(order, decision);

        string[] applied = [.. Enumerable.Range(0, decision.AppliedPackCount).Select(i => decision.AppliedPack(i).Id)];
        Assert.Equal(["mifid", "sca", "sharia", "fatca"], applied);
    }

    [Fact]
    public void A_block_explains_packs_versions_rules_messages_and_the_inputs_read()
    {
        var evaluator = new RuleEvaluator(ShippedPacks.All());
        var decision = new RuleDecision();
        OrderContext order = Contexts.For("sec");
        order.Aggregates.OpenOrdersNotional = 995_000m;
        order.Order.Side = Side.Sell;
        order.Order.ShortMarking = ShortMarking.Short;

        RuleOutcome outcome = evaluator.Evaluate(order, decision);
        DecisionExplanation explanation = decision.Explain(order);

        Assert.Equal(RuleOutcome.Block, outcome);
        Assert.Contains(explanation.AppliedPacks, p => p is { PackId: "sec", Version: "1.1.0" });
        FiredRule credit = Assert.Single(explanation.FiredRules, r => r.RuleId == "SEC.CREDIT_LIMIT");
        Assert.Equal("SEC-2001", credit.ReasonCode);
        Assert.Equal("SEC Rule 15c3-5(c)(1)(i)", credit.Regulation);
        Assert.Equal("Credit limit 1,000,000.00 exceeded: working 995,000.00 + executed today 0.00 + this order 10,000.00.", credit.Message);
        Assert.Equal(
            [new("Aggregates.OpenOrdersNotional", 995_000m), new("Aggregates.TodayNotional", 0m), new("Order.NotionalInAccountCurrency", 10_000m), new("Account.CreditLimit", 1_000_000m)],
            credit.Inputs);
        FiredRule locate = Assert.Single(explanation.FiredRules, r => r.RuleId == "SEC.LOCATE");
        Assert.Equal("Short sale of ALDAR has no locate.", locate.Message);
    }

    [Fact]
    public void Explanations_list_the_parameters_a_rule_referenced()
    {
        var decision = new RuleDecision();
        OrderContext order = Contexts.For("sca");
        order.Order.Price = 12m;

        new RuleEvaluator(ShippedPacks.All()).Evaluate(order, decision);
        FiredRule upper = Assert.Single(decision.Explain(order).FiredRules);

        Assert.Equal("SCA.PRICE_UPPER", upper.RuleId);
        Assert.Contains(new KeyValuePair<string, object?>("@UpperLimitPct", 15m), upper.Inputs);
        Assert.Equal("Price 12 is above the upper limit, 15% over the previous close 10.00.", upper.Message);
    }

    [Fact]
    public void The_highest_outcome_decides_and_lower_ones_are_kept()
    {
        var decision = new RuleDecision();
        OrderContext order = Contexts.For("fatca");
        order.Account.FatcaStatus = FatcaStatus.Recalcitrant;

        Assert.Equal(RuleOutcome.Report, new RuleEvaluator(ShippedPacks.All()).Evaluate(order, decision));

        order.Account.IsPreexisting = true;
        order.Account.BalanceUsd = 2_000_000m;
        Assert.Equal(RuleOutcome.Review, new RuleEvaluator(ShippedPacks.All()).Evaluate(order, decision));
        Assert.Equal(2, decision.FiredCount);
    }

    [Fact]
    public void The_sharia_methodology_selects_ratios_and_denominators()
    {
        OrderContext order = Contexts.For("sharia");
        // Debt 31% of market cap but 10% of total assets: fails AAOIFI, passes MSCI.
        order.Instrument.Sharia.TotalDebt = 3_100m;
        order.Instrument.Sharia.TotalAssets = 31_000m;
        order.Instrument.Sharia.AverageMarketCap36M = 31_000m;
        var decision = new RuleDecision();

        new RuleEvaluator(CompiledRuleSet.Create([ShippedPacks.Compiled("sharia")])).Evaluate(order, decision);
        Assert.True(decision.HasFired("SHARIA.AAOIFI_DEBT"));

        foreach (string methodology in new[] { "SP", "MSCI" })
        {
            var pack = ShippedPacks.Compiled("sharia", new Dictionary<string, object> { ["Methodology"] = methodology });
            new RuleEvaluator(CompiledRuleSet.Create([pack])).Evaluate(order, decision);
            Assert.Equal(RuleOutcome.Pass, decision.Outcome);
        }
    }

    [Fact]
    public void Msci_only_sectors_pass_under_aaoifi()
    {
        OrderContext order = Contexts.For("sharia");
        order.Instrument.Sector = "hotels";

        Assert.DoesNotContain(ShippedPacks.Compiled("sharia").Rules, r => r.Fires(order));
    }

    [Fact]
    public void A_pack_outside_its_effective_dates_does_not_apply()
    {
        OrderContext order = Contexts.For("sec");
        order.Market.TradeDate = new DateOnly(2024, 5, 27);

        Assert.False(ShippedPacks.Compiled("sec").AppliesTo(order));
    }

    [Fact]
    public void A_context_without_a_trade_date_is_refused()
    {
        OrderContext order = Contexts.Passing();
        order.Market.TradeDate = default;

        Assert.Throws<ArgumentException>(() => new RuleEvaluator(ShippedPacks.All()).Evaluate(order, new RuleDecision()));
    }

    [Fact]
    public void A_rule_that_throws_blocks_the_order()
    {
        CompiledPack pack = RulePackCompiler.Compile(RulePackLoader.Parse(PackText.WithRule("Order.Quantity / Aggregates.TodayOrderCount > @Limit", "Warn"), "d"), "d");
        var decision = new RuleDecision();

        RuleOutcome outcome = new RuleEvaluator(CompiledRuleSet.Create([pack])).Evaluate(Contexts.Passing(), decision);

        Assert.Equal(RuleOutcome.Block, outcome);
        Assert.Equal("TEST.RULE", decision.FaultedRule?.Id);
        Assert.IsType<DivideByZeroException>(decision.Fault);
    }

    [Fact]
    public void A_pack_whose_applicability_throws_blocks_the_order_and_the_explanation_names_the_pack()
    {
        string text = PackText.WithRule("Order.Quantity > @Limit")
            .Replace("\"appliesTo\": \"Account.Id >= 0\"", "\"appliesTo\": \"Order.Quantity / Aggregates.TodayOrderCount > 0\"", StringComparison.Ordinal);
        CompiledPack pack = RulePackCompiler.Compile(RulePackLoader.Parse(text, "d"), "d");
        var decision = new RuleDecision();
        OrderContext order = Contexts.Passing();

        RuleOutcome outcome = new RuleEvaluator(CompiledRuleSet.Create([pack])).Evaluate(order, decision);

        Assert.Equal(RuleOutcome.Block, outcome);
        Assert.Null(decision.FaultedRule);
        Assert.StartsWith("test/appliesTo: DivideByZeroException", decision.Explain(order).Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_draft_never_replaces_the_published_pack()
    {
        var evaluator = new RuleEvaluator(ShippedPacks.All());
        var registry = new RulePackRegistry(evaluator);
        CompiledRuleSet published = evaluator.RuleSet;
        string badExpression = PackText.Edit("sca", root => root["rules"]![1]!["expression"] = "\"\".GetType().Assembly != null");
        string badJson = Repo.PackJson("sca")[..200];

        Assert.False(registry.TryPublish(badExpression, "sca-draft.json", out IReadOnlyList<RulePackError> errors));
        Assert.Contains(errors, e => e.RuleId == "SCA.PRICE_UPPER");
        Assert.False(registry.TryPublish(badJson, "sca-draft.json", out _));
        Assert.Same(published, evaluator.RuleSet);
    }

    [Fact]
    public void A_good_draft_replaces_its_pack_atomically()
    {
        var evaluator = new RuleEvaluator(ShippedPacks.All());
        var registry = new RulePackRegistry(evaluator);
        string draft = PackText.Edit("sca", root =>
        {
            root["version"] = "1.1.0";
            root["parameters"]!["UpperLimitPct"]!["value"] = 20;
        });
        OrderContext order = Contexts.For("sca");
        order.Order.Price = 12m;
        var decision = new RuleDecision();

        Assert.Equal(RuleOutcome.Block, evaluator.Evaluate(order, decision));
        Assert.True(registry.TryPublish(draft, "sca-draft.json", out _));

        Assert.Equal(RuleOutcome.Pass, evaluator.Evaluate(order, decision));
        Assert.Equal("1.1.0", evaluator.RuleSet.Find("sca")!.Version);
        Assert.Equal(8, evaluator.RuleSet.Packs.Count);
    }

    [Fact]
    public void Validate_reports_a_drafts_problems_without_publishing()
    {
        Assert.Empty(RulePackRegistry.Validate(Repo.PackJson("emir"), "emir.json"));
        Assert.NotEmpty(RulePackRegistry.Validate(PackText.WithRule("Order.Quantity > @Nope"), "d"));
    }
}

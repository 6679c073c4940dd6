using TradSys.Rules.Compilation;
using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Compilation;

public class RulePackCompilerTests
{
    public static TheoryData<string> Packs() => new(ShippedPacks.Ids);

    private static RulePackError CompileError(string json)
    {
        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackCompiler.Compile(RulePackLoader.Parse(json, "draft.json"), "draft.json"));
        return Assert.Single(ex.Errors);
    }

    [Theory]
    [MemberData(nameof(Packs))]
    public void Each_shipped_pack_compiles_and_records_what_its_rules_read(string id)
    {
        CompiledPack pack = RulePackCompiler.Compile(ShippedPacks.Document(id), id + ".json");

        Assert.NotEmpty(pack.Rules);
        Assert.All(pack.Rules, r => Assert.NotEmpty(r.InputPaths));
    }

    [Fact]
    public void The_whole_directory_compiles_into_one_rule_set()
    {
        CompiledRuleSet set = RulePackCompiler.CompileDirectory(Repo.Rulesets);

        Assert.Equal(8, set.Packs.Count);
        Assert.True(set.RuleCount >= 48);
    }

    [Fact]
    public void Input_paths_are_the_leaf_members_an_expression_reads()
    {
        CompiledRule rule = ShippedPacks.Compiled("sec").Rules.Single(r => r.Id == "SEC.CREDIT_LIMIT");

        Assert.Equal(["Aggregates.OpenOrdersNotional", "Aggregates.TodayNotional", "Order.NotionalInAccountCurrency", "Account.CreditLimit"], rule.InputPaths);
    }

    [Fact]
    public void An_unknown_parameter_reference_names_the_rule_and_position()
    {
        RulePackError error = CompileError(PackText.WithRule("Order.Quantity > @Limt"));

        Assert.Equal("test", error.PackId);
        Assert.Equal("TEST.RULE", error.RuleId);
        Assert.Equal("rules[0].expression", error.Location);
        Assert.Equal(17, error.Position);
        Assert.Equal("unknown parameter reference '@Limt'", error.Message);
    }

    [Fact]
    public void A_threshold_written_as_a_literal_is_refused()
    {
        RulePackError error = CompileError(PackText.WithRule("Order.Notional > 25000"));

        Assert.Equal(17, error.Position);
        Assert.Contains("literal 25000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Literals_inside_strings_are_not_thresholds()
    {
        CompiledPack pack = RulePackCompiler.Compile(RulePackLoader.Parse(PackText.WithRule("Account.InvestorNumber == \"784-25000\""), "d"), "d");

        Assert.Single(pack.Rules);
    }

    [Fact]
    public void An_expression_that_does_not_parse_names_the_position()
    {
        RulePackError error = CompileError(PackText.WithRule("Order.Quantity >> && @Limit"));

        Assert.Equal("TEST.RULE", error.RuleId);
        Assert.NotNull(error.Position);
        Assert.StartsWith("expression does not compile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_member_names_the_position()
    {
        RulePackError error = CompileError(PackText.WithRule("Order.Quantiti > @Limit"));

        Assert.Equal(6, error.Position);
        Assert.Contains("Quantiti", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_boolean_expression_is_refused()
    {
        RulePackError error = CompileError(PackText.WithRule("Order.Quantity + @Limit"));

        Assert.StartsWith("expression does not compile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_applicability_expression_is_reported_against_applies_to()
    {
        string json = PackText.WithRule("Order.Quantity > @Limit").Replace("\"Account.Id >= 0\"", "\"Account.Nope\"", StringComparison.Ordinal);

        RulePackError error = CompileError(json);

        Assert.Null(error.RuleId);
        Assert.Equal("appliesTo", error.Location);
    }

    [Fact]
    public void A_message_placeholder_must_name_a_context_value_or_parameter()
    {
        string json = PackText.WithRule("Order.Quantity > @Limit").Replace("\"Fired.\"", "\"Qty {Order.Qty} over {@Limit}\"", StringComparison.Ordinal);

        RulePackError error = CompileError(json);

        Assert.Equal("rules[0].message", error.Location);
        Assert.Contains("{Order.Qty}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regulation_label_states_the_parameters_of_the_version_compiled()
    {
        RulePackDocument doc = RulePackLoader.Parse(PackText.WithRule("Order.Quantity > @Limit")
            .Replace("\"None\"", "\"Test limits (+{@Limit}%, {@Mics})\"", StringComparison.Ordinal), "d");

        Assert.Equal("Test limits (+5%, XADS)", RulePackCompiler.Compile(doc, "d").Rules[0].Regulation);
        Assert.Equal("Test limits (+0%, XADS)", RulePackCompiler.Compile(doc, "d", new Dictionary<string, object> { ["Limit"] = 0m }).Rules[0].Regulation);
        Assert.Equal("Test limits (+{@Limit}%, {@Mics})", doc.Rules[0].Regulation); // the pack as written keeps its template
    }

    [Fact]
    public void A_regulation_placeholder_naming_an_unknown_parameter_names_the_rule_and_the_parameter()
    {
        string json = PackText.WithRule("Order.Quantity > @Limit").Replace("\"None\"", "\"Test limits (+{@Limmit}%)\"", StringComparison.Ordinal);

        RulePackError error = CompileError(json);

        Assert.Equal("TEST.RULE", error.RuleId);
        Assert.Equal("rules[0].regulation", error.Location);
        Assert.Equal("regulation placeholder '{@Limmit}' at position 14 names no parameter of the pack", error.Message);
        Assert.Contains("rule 'TEST.RULE' at rules[0].regulation", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_regulation_label_may_not_name_a_value_of_the_order()
    {
        string json = PackText.WithRule("Order.Quantity > @Limit").Replace("\"None\"", "\"Test limits ({Order.Price})\"", StringComparison.Ordinal);

        RulePackError error = CompileError(json);

        Assert.Equal("rules[0].regulation", error.Location);
        Assert.Contains("'{Order.Price}' at position 13 is not a parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_shipped_label_writes_a_figure_its_pack_keeps_in_a_parameter()
    {
        // The shipped labels name their limits as parameters: a version with other limits says its own figures.
        foreach (string id in ShippedPacks.Ids)
        {
            CompiledPack pack = RulePackCompiler.Compile(RulePackLoader.Parse(Repo.PackJson(id), id + ".json"), id + ".json");
            foreach (CompiledRule rule in pack.Rules)
            {
                foreach (string name in rule.ParameterNames)
                {
                    string literal = Literal(rule.Definition.Regulation);
                    foreach (string figure in Figures(pack.Parameters[name]))
                    {
                        Assert.False(literal.Contains(figure, StringComparison.Ordinal),
                            $"{rule.Id}: the regulation '{rule.Definition.Regulation}' writes {figure}, the value of @{name}; name the parameter instead");
                    }
                }
            }
        }

        CompiledPack sca = RulePackCompiler.Compile(RulePackLoader.Parse(Repo.PackJson("sca"), "sca.json"), "sca.json");
        Assert.Equal("SCA price limits (+15%)", sca.Rules.Single(r => r.Id == "SCA.PRICE_UPPER").Regulation);
        Assert.Equal("SCA price limits (-10%)", sca.Rules.Single(r => r.Id == "SCA.PRICE_LOWER").Regulation);
        CompiledPack lower = RulePackCompiler.Compile(RulePackLoader.Parse(Repo.PackJson("sca"), "sca.json"), "sca.json",
            new Dictionary<string, object> { ["UpperLimitPct"] = 0m });
        Assert.Equal("SCA price limits (+0%)", lower.Rules.Single(r => r.Id == "SCA.PRICE_UPPER").Regulation);
    }

    // The label's fixed text (placeholders removed), and a parameter's value as a figure that could appear in it.
    private static string Literal(string template) => System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]*\}", "");

    // How a parameter's value would be written as a limit in a label: a percentage ("15%"), or an amount with separators ("1,000,000").
    private static IEnumerable<string> Figures(object value)
    {
        decimal? number = value switch { decimal d => d, int i => i, long l => l, _ => null };
        if (number is not { } n)
        {
            yield break;
        }

        yield return n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "%";
        if (n >= 1000)
        {
            yield return n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public void Parameter_overrides_rebind_thresholds_and_unknown_overrides_are_refused()
    {
        RulePackDocument doc = RulePackLoader.Parse(PackText.WithRule("Order.Quantity > @Limit"), "d");
        var context = Contexts.Passing();
        context.Order.Quantity = 7;

        Assert.True(RulePackCompiler.Compile(doc, "d").Rules[0].Fires(context));
        Assert.False(RulePackCompiler.Compile(doc, "d", new Dictionary<string, object> { ["Limit"] = 10m }).Rules[0].Fires(context));
        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackCompiler.Compile(doc, "d", new Dictionary<string, object> { ["Limt"] = 10m }));
        Assert.Contains("unknown parameter 'Limt'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartsWith_compares_ordinally()
    {
        CompiledPack pack = RulePackCompiler.Compile(RulePackLoader.Parse(PackText.WithRule("Instrument.Isin.StartsWith(\"AE\") && @Mics.Contains(Venue.Mic)"), "d"), "d");
        var context = Contexts.Passing();

        Assert.True(pack.Rules[0].Fires(context));
        context.Instrument.Isin = "ae000";
        Assert.False(pack.Rules[0].Fires(context));
    }
}

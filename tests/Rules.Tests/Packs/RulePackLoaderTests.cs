using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Packs;

public class RulePackLoaderTests
{
    public static TheoryData<string> Packs() => new(ShippedPacks.Ids);

    [Theory]
    [MemberData(nameof(Packs))]
    public void Each_shipped_pack_validates_against_the_schema(string id)
    {
        RulePackDocument pack = RulePackLoader.Parse(Repo.PackJson(id), id + ".json");

        Assert.Equal(id, pack.Id);
        Assert.True(pack.Rules.Count >= 6, $"{id} has {pack.Rules.Count} rules");
    }

    [Theory]
    [MemberData(nameof(Packs))]
    public void Each_parameter_says_what_it_is_and_unverified_figures_say_so(string id)
    {
        RulePackDocument pack = RulePackLoader.Parse(Repo.PackJson(id), id + ".json");

        Assert.All(pack.Parameters.Values, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.All(pack.Parameters.Values.Where(p => p.Unverified), p => Assert.Contains("UV", p.Source + p.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void The_directory_holds_one_pack_per_regime()
    {
        IReadOnlyList<RulePackDocument> packs = RulePackLoader.LoadDirectory(Repo.Rulesets);

        Assert.Equal(ShippedPacks.Ids.Order(StringComparer.Ordinal), packs.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Malformed_json_is_rejected_with_line_and_position()
    {
        string json = "{\n  \"id\": \"x\",\n  \"regime\" \"Test\"\n}";

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "draft.json"));

        RulePackError error = Assert.Single(ex.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal(12, error.Position);
        Assert.StartsWith("draft.json (line 3, position 12): malformed JSON", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_json_is_rejected()
    {
        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse("{ \"id\": \"sec\", \"rules\": [", "sec.json"));

        Assert.Contains("malformed JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_field_names_the_pack_the_rule_and_the_field()
    {
        string json = PackText.Edit("sec", root => root["rules"]![2]!.AsObject().Remove("regulation"));

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "sec.json"));

        RulePackError error = Assert.Single(ex.Errors);
        Assert.Equal("sec", error.PackId);
        Assert.Equal("SEC.SIZE_COLLAR", error.RuleId);
        Assert.Equal("rules[2].regulation", error.Location);
        Assert.NotNull(error.Line);
        Assert.Contains("required property 'regulation' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_outcome_is_rejected_with_the_allowed_values()
    {
        string json = PackText.Edit("sca", root => root["rules"]![0]!["outcome"] = "Reject");

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "sca.json"));

        RulePackError error = Assert.Single(ex.Errors);
        Assert.Equal("SCA.NIN", error.RuleId);
        Assert.Equal("rules[0].outcome", error.Location);
        Assert.Contains("Block, Review, Report, Warn", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("sca.json: pack 'sca' rule 'SCA.NIN' at rules[0].outcome (line ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_property_is_rejected()
    {
        string json = PackText.Edit("fatca", root => root["rules"]![1]!["severity"] = "high");

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "fatca.json"));

        Assert.Contains(ex.Errors, e => e.RuleId == "FATCA.INDICIA_UNCURED" && e.Message.Contains("unknown property 'severity'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_parameter_value_of_the_wrong_type_is_rejected()
    {
        string json = PackText.Edit("sca", root => root["parameters"]!["UpperLimitPct"]!["value"] = "fifteen");

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "sca.json"));

        Assert.Contains(ex.Errors, e => e.Location == "parameters.UpperLimitPct.value" && e.Message.Contains("not of the declared type 'number'", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_rule_ids_are_rejected()
    {
        string json = PackText.Edit("emir", root => root["rules"]![1]!["id"] = "EMIR.OWN_LEI");

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "emir.json"));

        Assert.Contains(ex.Errors, e => e.RuleId == "EMIR.OWN_LEI" && e.Location == "rules[1].id" && e.Message == "duplicate rule id");
    }

    [Fact]
    public void Effective_dates_out_of_order_are_rejected()
    {
        string json = PackText.Edit("difc", root => root["effectiveTo"] = "2020-01-01");

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "difc.json"));

        Assert.Contains(ex.Errors, e => e.Location == "effectiveTo");
    }

    [Fact]
    public void A_sector_list_with_a_name_instead_of_a_code_is_refused_naming_the_entry()
    {
        string json = PackText.Edit("sharia", p =>
        {
            var list = p["parameters"]!["ExcludedSectors"]!["value"]!.AsArray();
            list.Add("Banks");
        });

        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackLoader.Parse(json, "sharia.json"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("parameters.ExcludedSectors.value[11]", error.Location);
        Assert.Contains("'Banks' is not a code of the sector classification", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_packs_changed_in_issue_14_carry_a_changelog_entry_for_their_version()
    {
        foreach (string id in new[] { "sec", "mifid", "emir", "sharia" })
        {
            RulePackDocument pack = ShippedPacks.Document(id);
            var entry = Assert.Single(pack.Changelog, c => c.Version == pack.Version);
            Assert.NotEmpty(entry.Changes);
            Assert.Equal("1.1.0", pack.Version);
        }
    }
}

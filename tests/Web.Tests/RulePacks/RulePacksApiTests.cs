using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradSys.Rules.Context;
using TradSys.Web.Apis;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>
/// Reading packs, validating drafts and dry runs on one platform: none of these change the published set,
/// which the tests check after every refusal.
/// </summary>
public sealed class RulePacksApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task The_list_shows_the_eight_shipped_packs_loaded_from_the_rulesets_folder_by_system()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var list = (await compliance.GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.OK).Json.AsArray();

        Assert.Equal(RulePackSamples.ShippedIds, list.Select(p => p!["id"]!.GetValue<string>()));
        Assert.All(list, p =>
        {
            Assert.Equal(RulePackSamples.ShippedVersion(p!["id"]!.GetValue<string>()), p["currentVersion"]!.GetValue<string>());
            Assert.Equal("system", p["publishedBy"]!.GetValue<string>());
            Assert.True(p["ruleCount"]!.GetValue<int>() > 0);
            Assert.Equal(64, p["sha256"]!.GetValue<string>().Length);
        });
        var sca = list.Single(p => p!["id"]!.GetValue<string>() == "sca")!;
        Assert.Equal("SCA (ADX/DFM)", sca["regime"]!.GetValue<string>());
        Assert.Equal("2021-09-01", sca["effectiveFrom"]!.GetValue<string>());
        Assert.Null(sca["effectiveTo"]);
    }

    [Fact]
    public async Task A_pack_is_served_with_its_json_exactly_as_published_and_its_history()
    {
        var regulator = await platform.ClientForAsync("regulator1");
        var sca = (await regulator.GetAsync("/api/v1/rulepacks/sca")).Expect(HttpStatusCode.OK);
        Assert.Equal(RulePackSamples.FileText("sca"), sca.Str("json"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sca.Str("json")))),
            sca.Str("sha256"));
        Assert.True(sca.Json["isCurrent"]!.GetValue<bool>());

        var versions = (await regulator.GetAsync("/api/v1/rulepacks/sca/versions")).Expect(HttpStatusCode.OK).Json.AsArray();
        var only = Assert.Single(versions)!;
        Assert.Equal("1.0.0", only["version"]!.GetValue<string>());
        Assert.Equal("loaded from rulesets/sca.json", only["comment"]!.GetValue<string>());

        (await regulator.GetAsync("/api/v1/rulepacks/sca/versions/1.0.0")).Expect(HttpStatusCode.OK);
        var missing = (await regulator.GetAsync("/api/v1/rulepacks/sca/versions/9.9.9")).Expect(HttpStatusCode.NotFound);
        Assert.Contains("no version 9.9.9", missing.Str("detail"), StringComparison.Ordinal);
        (await regulator.GetAsync("/api/v1/rulepacks/nope")).Expect(HttpStatusCode.NotFound);
        (await regulator.GetAsync("/api/v1/rulepacks/nope/versions")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_good_draft_validates_with_its_id_version_and_rule_count()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var reply = (await compliance.PostRawAsync("/api/v1/rulepacks/validate", RulePackSamples.ScaWithUpperLimit("2.0.0", 20))).Expect(HttpStatusCode.OK);
        Assert.True(reply.Json["valid"]!.GetValue<bool>());
        Assert.Equal("sca", reply.Str("packId"));
        Assert.Equal("2.0.0", reply.Str("version"));
        Assert.Equal(JsonNode.Parse(RulePackSamples.FileText("sca"))!["rules"]!.AsArray().Count, reply.Json["rules"]!.GetValue<int>());
        await AssertPublishedSetUnchangedAsync(compliance);
    }

    public static TheoryData<string, string> BadDrafts => new()
    {
        { "malformed", "publish" }, { "malformed", "validate" }, { "malformed", "dry-run" },
        { "schema", "publish" }, { "schema", "validate" }, { "schema", "dry-run" },
        { "sandbox", "publish" }, { "sandbox", "validate" }, { "sandbox", "dry-run" },
        { "parameter", "publish" }, { "parameter", "validate" }, { "parameter", "dry-run" },
    };

    [Theory]
    [MemberData(nameof(BadDrafts))]
    public async Task A_bad_draft_is_refused_with_a_precise_message_and_nothing_is_stored_or_swapped(string kind, string endpoint)
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var draft = kind switch
        {
            // Line 4 loses its comma: the parser stops at the start of line 5.
            "malformed" => RulePackSamples.FileText("sca").Replace("\"regime\": \"SCA (ADX/DFM)\",", "\"regime\": \"SCA (ADX/DFM)\"", StringComparison.Ordinal)
                .Replace("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\"", StringComparison.Ordinal),
            "schema" => RulePackSamples.Edited("sca", p => { p["version"] = "1.0.1"; p["rules"]![0]!["outcome"] = "Deny"; }),
            "sandbox" => RulePackSamples.Edited("sca", p => { p["version"] = "1.0.1"; p["rules"]![0]!["expression"] = "\"\".GetType().Assembly != null"; }),
            _ => RulePackSamples.Edited("sca", p => { p["version"] = "1.0.1"; p["rules"]![0]!["expression"] = "Order.Price > @NoSuchLimit"; }),
        };
        var reply = endpoint switch
        {
            "publish" => await compliance.PostRawAsync("/api/v1/rulepacks/sca/publish", draft),
            "validate" => await compliance.PostRawAsync("/api/v1/rulepacks/validate", draft),
            // The draft as text inside the request, so that lines count as in the editor.
            _ => await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120), JsonValue.Create(draft))),
        };

        reply.Expect(HttpStatusCode.BadRequest);
        Assert.Equal("The rule pack is not valid", reply.Str("title"));
        var errors = reply.Json["errors"]!.AsArray();
        Assert.NotEmpty(errors);
        var first = errors[0]!;
        var message = first["message"]!.GetValue<string>();
        switch (kind)
        {
            case "malformed":
                Assert.StartsWith("malformed JSON", message, StringComparison.Ordinal);
                Assert.Equal(5, first["line"]!.GetValue<int>());
                Assert.NotNull(first["position"]);
                break;
            case "schema":
                Assert.Contains("schema violation", message, StringComparison.Ordinal);
                Assert.Contains("allowed values", message, StringComparison.Ordinal);
                Assert.Equal("SCA.NIN", first["ruleId"]!.GetValue<string>());
                Assert.Contains("outcome", first["location"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.NotNull(first["line"]);
                break;
            case "sandbox":
                // Dynamic LINQ's restricted parser refuses GetType itself; either way the message names it.
                Assert.True(message.Contains("leaves the sandbox", StringComparison.Ordinal) ||
                    message.StartsWith("expression does not compile", StringComparison.Ordinal), message);
                Assert.Contains("GetType", message, StringComparison.Ordinal);
                Assert.Equal("sca", first["packId"]!.GetValue<string>());
                Assert.Equal("SCA.NIN", first["ruleId"]!.GetValue<string>());
                Assert.Equal("rules[0].expression", first["location"]!.GetValue<string>());
                break;
            default:
                Assert.Equal("unknown parameter reference '@NoSuchLimit'", message);
                Assert.Equal("rules[0].expression", first["location"]!.GetValue<string>());
                Assert.Equal(14, first["position"]!.GetValue<int>());
                break;
        }
        Assert.Contains(message, reply.Str("detail"), StringComparison.Ordinal);
        await AssertPublishedSetUnchangedAsync(compliance);
    }

    [Fact]
    public async Task A_draft_whose_id_differs_from_the_route_or_whose_version_exists_is_not_published()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var mismatch = (await compliance.PostRawAsync("/api/v1/rulepacks/sec/publish", RulePackSamples.ScaWithUpperLimit("1.0.1", 20)))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("the pack's id is 'sca'", mismatch.Errors("id")[0], StringComparison.Ordinal);

        var duplicate = (await compliance.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("1.0.0", 20)))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("already has a version 1.0.0", duplicate.Errors("version")[0], StringComparison.Ordinal);
        await AssertPublishedSetUnchangedAsync(compliance);
    }

    [Fact]
    public async Task A_dry_run_fires_the_rule_an_order_breaks_and_explains_it()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var reply = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120))))
            .Expect(HttpStatusCode.OK).Json;

        Assert.Equal("Block", reply["outcome"]!.GetValue<string>());
        Assert.Null(reply["draft"]);
        var applied = reply["appliedPacks"]!.AsArray().Select(p => $"{p!["packId"]} {p["version"]}").ToList();
        Assert.Equal(["fatca 1.0.0", "sca 1.0.0"], applied.Order(StringComparer.Ordinal));
        var fired = Assert.Single(reply["firedRules"]!.AsArray())!;
        Assert.Equal("SCA.PRICE_UPPER", fired["ruleId"]!.GetValue<string>());
        Assert.Equal("SCA-3002", fired["reasonCode"]!.GetValue<string>());
        Assert.Equal("Block", fired["outcome"]!.GetValue<string>());
        Assert.Equal("1.0.0", fired["packVersion"]!.GetValue<string>());
        Assert.Contains("120", fired["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(fired["regulation"]!.GetValue<string>()));
        var inputs = fired["inputs"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!["value"]!.ToJsonString());
        Assert.Equal("120", inputs["Order.Price"]);
        Assert.Equal("100", inputs["Market.PriorClose"]);
        Assert.Equal("\"Limit\"", inputs["Order.Type"]);
        Assert.Equal("15", inputs["@UpperLimitPct"]);
    }

    [Fact]
    public async Task A_dry_run_passes_an_order_that_breaks_no_rule()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var reply = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(110))))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Pass", reply["outcome"]!.GetValue<string>());
        Assert.Empty(reply["firedRules"]!.AsArray());
        Assert.Null(reply["fault"]);
    }

    [Fact]
    public async Task A_drafts_change_shows_in_its_dry_run_but_not_in_the_published_set()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var draft = RulePackSamples.ScaWithUpperLimit("1.1.0", 25);
        foreach (var pack in new[] { JsonNode.Parse(draft)!, JsonValue.Create(draft)! })
        {
            var withDraft = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120), pack)))
                .Expect(HttpStatusCode.OK).Json;
            Assert.Equal("Pass", withDraft["outcome"]!.GetValue<string>());
            Assert.Equal("1.1.0", withDraft["draft"]!["version"]!.GetValue<string>());
            Assert.Contains(withDraft["appliedPacks"]!.AsArray(), p => p!["packId"]!.GetValue<string>() == "sca" && p["version"]!.GetValue<string>() == "1.1.0");
        }
        await AssertPublishedSetUnchangedAsync(compliance);
    }

    [Fact]
    public void Order_context_json_fills_every_nested_view()
    {
        var json = """
            {"order": {"price": 12.5, "quantity": 300, "side": "Sell", "shortMarking": "Short"},
             "account": {"investorNumber": "NIN-1", "usIndicia": "UsCitizenOrResident, UsAddress", "w8BenExpiresOn": "2027-03-31"},
             "instrument": {"symbol": "FAB", "sharia": {"totalDebt": 1000, "asOf": "2025-12-31"}},
             "venue": {"mic": "XADS"}, "market": {"tradeDate": "2026-01-05", "bestBid": 12.4},
             "aggregates": {"positionQuantity": -50, "isInsiderOfIssuer": true}}
            """;
        var context = JsonSerializer.Deserialize<OrderContext>(json, RulePacksApi.OrderContextJson)!;

        Assert.Equal(12.5m, context.Order.Price);
        Assert.Equal(300, context.Order.Quantity);
        Assert.Equal(TradSys.Engine.Side.Sell, context.Order.Side);
        Assert.Equal(ShortMarking.Short, context.Order.ShortMarking);
        Assert.Equal("NIN-1", context.Account.InvestorNumber);
        Assert.Equal(UsIndicia.UsCitizenOrResident | UsIndicia.UsAddress, context.Account.UsIndicia);
        Assert.Equal(new DateOnly(2027, 3, 31), context.Account.W8BenExpiresOn);
        Assert.Equal("FAB", context.Instrument.Symbol);
        Assert.Equal(1000m, context.Instrument.Sharia.TotalDebt);
        Assert.True(context.Instrument.Sharia.HasFigures);
        Assert.Equal("XADS", context.Venue.Mic);
        Assert.Equal(new DateOnly(2026, 1, 5), context.Market.TradeDate);
        Assert.Equal(12.4m, context.Market.BestBid);
        Assert.Equal(-50, context.Aggregates.PositionQuantity);
        Assert.True(context.Aggregates.IsInsiderOfIssuer);
        Assert.True(context.Order.TraderAuthorised, "fields left out keep their defaults");
    }

    [Fact]
    public async Task A_dry_run_with_a_bad_order_names_the_field()
    {
        var compliance = await platform.ClientForAsync("compliance1");
        var typo = RulePackSamples.AdxOrder(110);
        typo["order"]!["pricee"] = 3;
        var unknown = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(typo))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("unknown field 'pricee'", unknown.Str("detail"), StringComparison.Ordinal);

        var wrongEnum = RulePackSamples.AdxOrder(110);
        wrongEnum["order"]!["side"] = "Sideways";
        var badEnum = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(wrongEnum))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("the value at $.order.order.side has the wrong type", badEnum.Str("detail"), StringComparison.Ordinal);

        var undated = RulePackSamples.AdxOrder(110);
        undated["market"]!.AsObject().Remove("tradeDate");
        var noDate = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(undated))).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(noDate.Errors("order.market.tradeDate"));

        (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", "{}")).Expect(HttpStatusCode.BadRequest);
        (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", "{\"order\": ")).Expect(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    public async Task Traders_and_viewers_may_not_read_or_change_rule_packs(string clientId)
    {
        var client = await platform.ClientForAsync(clientId);
        (await client.GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/rulepacks/sca/versions")).Expect(HttpStatusCode.Forbidden);
        (await client.PostRawAsync("/api/v1/rulepacks/validate", RulePackSamples.FileText("sca"))).Expect(HttpStatusCode.Forbidden);
        (await client.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("3.0.0", 20))).Expect(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("regulator1")]
    [InlineData("admin")]
    public async Task Regulators_and_admins_read_but_do_not_validate_dry_run_publish_or_roll_back(string clientId)
    {
        var client = await platform.ClientForAsync(clientId);
        (await client.GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/rulepacks/sca/diff?from=1.0.0")).Expect(HttpStatusCode.OK);
        (await client.PostRawAsync("/api/v1/rulepacks/validate", RulePackSamples.FileText("sca"))).Expect(HttpStatusCode.Forbidden);
        (await client.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(110)))).Expect(HttpStatusCode.Forbidden);
        (await client.PostRawAsync("/api/v1/rulepacks/sca/publish", RulePackSamples.ScaWithUpperLimit("3.0.0", 20))).Expect(HttpStatusCode.Forbidden);
        (await client.PostJsonAsync("/api/v1/rulepacks/sca/rollback", new { version = "1.0.0" })).Expect(HttpStatusCode.Forbidden);
        await AssertPublishedSetUnchangedAsync(await platform.ClientForAsync("compliance1"));
    }

    [Fact]
    public async Task Nothing_is_served_without_a_token()
    {
        (await platform.Anonymous().GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.Unauthorized);
        (await platform.Anonymous().PostRawAsync("/api/v1/rulepacks/validate", RulePackSamples.FileText("sca"))).Expect(HttpStatusCode.Unauthorized);
    }

    /// <summary>Still one stored version per pack, and the published set still blocks the over-limit ADX order with SCA 1.0.0.</summary>
    private static async Task AssertPublishedSetUnchangedAsync(ApiClient compliance)
    {
        var list = (await compliance.GetAsync("/api/v1/rulepacks")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.All(list, p => Assert.Equal(RulePackSamples.ShippedVersion(p!["id"]!.GetValue<string>()), p["currentVersion"]!.GetValue<string>()));
        Assert.Single((await compliance.GetAsync("/api/v1/rulepacks/sca/versions")).Expect(HttpStatusCode.OK).Json.AsArray());
        var dryRun = (await compliance.PostRawAsync("/api/v1/rulepacks/dry-run", RulePackSamples.DryRun(RulePackSamples.AdxOrder(120))))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Block", dryRun["outcome"]!.GetValue<string>());
        Assert.Contains(dryRun["appliedPacks"]!.AsArray(), p => p!["packId"]!.GetValue<string>() == "sca" && p["version"]!.GetValue<string>() == "1.0.0");
    }
}

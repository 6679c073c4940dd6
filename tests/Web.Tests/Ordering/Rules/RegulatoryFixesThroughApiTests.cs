using System.Net;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>
/// The regulatory fixes of issue 14 through POST /api/v1/orders, both ways, beyond the one case per shipped rule of
/// <see cref="ShippedRulesThroughApiTests"/>; and what a rule that faults does, at validation and to an order.
/// </summary>
public sealed class RegulatoryFixesThroughApiTests
{
    private static async Task<(PlatformFactory Platform, RuleCaseRun Run)> StartAsync()
    {
        var platform = new PlatformFactory();
        platform.Clock.Fixed = RuleCaseRun.MarketTime;
        return (platform, new RuleCaseRun(platform, await platform.ClientForAsync("trader1")));
    }

    private static JsonArray Fired(Reply reply) => reply.Json["decision"]!["explanation"]!.AsArray();

    private static bool HasFired(Reply reply, string rule) => Fired(reply).Any(r => r!["ruleId"]!.GetValue<string>() == rule);

    [Fact]
    public async Task A_derivative_is_complex_for_appropriateness_whatever_its_flag_says()
    {
        var (platform, run) = await StartAsync();
        await using var _ = platform;
        // Retail, EU, execution-only, no appropriateness assessment on file.
        var account = await run.NewAccountAsync(RuleCaseTemplates.Eu, a => a.AppropriatenessAssessed = false);
        var order = new Dictionary<string, object?> { ["symbol"] = "FWRY.CW", ["side"] = "Buy", ["price"] = 1.50m, ["quantity"] = 10m };

        var restore = await run.EditInstrumentAsync("FWRY.CW", i => { i.IsComplex = false; i.IsDerivative = true; });
        var derivative = (await run.SubmitAsync(account, order, new() { ["counterpartyLei"] = RuleCaseTemplates.OtherLei })).Expect(HttpStatusCode.Created);
        await restore();
        Assert.Equal("Rejected", derivative.Str("status"));
        Assert.True(HasFired(derivative, "MIFID.APPROPRIATENESS_MISSING"), derivative.Body);

        restore = await run.EditInstrumentAsync("FWRY.CW", i => { i.IsComplex = false; i.IsDerivative = false; });
        var share = (await run.SubmitAsync(account, order, null)).Expect(HttpStatusCode.Created);
        await restore();
        Assert.Equal("Accepted", share.Str("status"));
        Assert.False(HasFired(share, "MIFID.APPROPRIATENESS_MISSING"), share.Body);
    }

    [Fact]
    public async Task Each_same_day_round_trip_is_a_day_trade_and_only_the_order_completing_the_fourth_is_stopped()
    {
        var (platform, run) = await StartAsync();
        await using var _ = platform;
        var account = await run.NewAccountAsync(RuleCaseTemplates.Sec, a => { a.IsMarginAccount = true; a.EquityUsd = 10_000m; });
        await RestRuleCases.ThreeRoundTripsAndABuy(run, account);

        // Another purchase completes no day trade: it passes, and so does a sale of a different instrument.
        var more = (await run.SubmitAsync(account, RuleCaseTemplates.Order("sec"), new() { ["quantity"] = 50m })).Expect(HttpStatusCode.Created);
        Assert.False(HasFired(more, "SEC.PDT"), more.Body);
        Assert.Equal("Accepted", more.Str("status"));

        // The sale that would complete the fourth round trip in COMI.INT is stopped, naming the rule.
        var closing = (await run.SubmitAsync(account, RuleCaseTemplates.Order("sec"),
            new() { ["side"] = "Sell", ["shortMarking"] = "Long", ["quantity"] = 40m })).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", closing.Str("status"));
        Assert.Contains("SEC-2010", closing.Str("rejectReason"), StringComparison.Ordinal);
        var pdt = Fired(closing).Single(r => r!["ruleId"]!.GetValue<string>() == "SEC.PDT")!;
        Assert.Equal(3, pdt["inputs"]!["Aggregates.DayTradesLast5Days"]!.GetValue<int>());
        Assert.True(pdt["inputs"]!["Aggregates.OrderCompletesDayTrade"]!.GetValue<bool>());
    }

    [Fact]
    public async Task With_equity_at_the_minimum_the_order_completing_the_fourth_day_trade_passes()
    {
        var (platform, run) = await StartAsync();
        await using var _ = platform;
        var account = await run.NewAccountAsync(RuleCaseTemplates.Sec, a => { a.IsMarginAccount = true; a.EquityUsd = 25_000m; });
        await RestRuleCases.ThreeRoundTripsAndABuy(run, account);

        var closing = (await run.SubmitAsync(account, RuleCaseTemplates.Order("sec"),
            new() { ["side"] = "Sell", ["shortMarking"] = "Long", ["quantity"] = 40m })).Expect(HttpStatusCode.Created);
        Assert.False(HasFired(closing, "SEC.PDT"), closing.Body);
        Assert.Equal("Accepted", closing.Str("status"));
    }

    [Fact]
    public async Task An_individual_trades_an_exchange_traded_derivative_without_any_LEI_and_an_entity_without_its_own_is_stopped()
    {
        var (platform, run) = await StartAsync();
        await using var _ = platform;
        await run.EditInstrumentAsync("FWRY.CW", i => { i.IsDerivative = true; i.AssetClass = TradSys.Rules.Context.AssetClass.Equity; });
        var order = RuleCaseTemplates.Order("emir");
        var noLeis = new Dictionary<string, object?> { ["counterpartyLei"] = null };

        var person = await run.NewAccountAsync(RuleCaseTemplates.Eu, a => a.Lei = null);
        var byPerson = (await run.SubmitAsync(person, order, noLeis)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", byPerson.Str("status"));
        Assert.Contains(byPerson.Json["decision"]!["packs"]!.AsArray(), p => p!["packId"]!.GetValue<string>() == "emir");

        var entity = await run.NewAccountAsync(RuleCaseTemplates.Eu, a => { a.Lei = null; a.IsLegalEntity = true; });
        var byEntity = (await run.SubmitAsync(entity, order, noLeis)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", byEntity.Str("status"));
        Assert.True(HasFired(byEntity, "EMIR.OWN_LEI"), byEntity.Body);
        Assert.False(HasFired(byEntity, "EMIR.COUNTERPARTY_LEI"), byEntity.Body);
    }

    [Fact]
    public async Task A_sector_is_read_as_its_code_so_Banks_and_Conventional_Finance_cannot_be_told_apart()
    {
        var (platform, run) = await StartAsync();
        await using var _ = platform;
        var account = await run.NewAccountAsync(RuleCaseTemplates.Sharia, null);
        var order = RuleCaseTemplates.Order("sharia");

        foreach (var text in new[] { "Banks", "Conventional Finance" })
        {
            var restore = await run.EditInstrumentAsync("FWRY.CW", i => i.Sector = text);
            var reply = (await run.SubmitAsync(account, order, null)).Expect(HttpStatusCode.Created);
            await restore();
            Assert.Equal("PendingReview", reply.Str("status"));
            Assert.True(HasFired(reply, "SHARIA.UNCLASSIFIED_SECTOR"), reply.Body);
            Assert.False(HasFired(reply, "SHARIA.EXCLUDED_SECTOR"), reply.Body);
        }

        var banks = await run.EditInstrumentAsync("FWRY.CW", i => i.Sector = "40101010");
        var bank = (await run.SubmitAsync(account, order, null)).Expect(HttpStatusCode.Created);
        await banks();
        Assert.Equal("Rejected", bank.Str("status"));
        Assert.True(HasFired(bank, "SHARIA.EXCLUDED_SECTOR"), bank.Body);

        var islamic = await run.EditInstrumentAsync("FWRY.CW", i => i.Sector = "40101090");
        var islamicBank = (await run.SubmitAsync(account, order, null)).Expect(HttpStatusCode.Created);
        await islamic();
        Assert.False(HasFired(islamicBank, "SHARIA.EXCLUDED_SECTOR"), islamicBank.Body);
        Assert.False(HasFired(islamicBank, "SHARIA.UNCLASSIFIED_SECTOR"), islamicBank.Body);
    }

    [Fact]
    public async Task Validation_refuses_a_rule_that_faults_naming_it_and_the_fault_and_warns_of_an_unguarded_division()
    {
        await using var platform = new PlatformFactory();
        var compliance = await platform.ClientForAsync("compliance1");

        var faulting = RulePackSamples.Edited("sca", p =>
        {
            p["version"] = "1.0.1";
            p["rules"]![1]!["expression"] = "Order.Price / Market.PriorClose * 100 > 100 + @UpperLimitPct";
        });
        var refused = (await compliance.PostRawAsync("/api/v1/rulepacks/validate", faulting)).Expect(HttpStatusCode.BadRequest);
        var error = refused.Json["errors"]!.AsArray().Single()!;
        Assert.Equal("SCA.PRICE_UPPER", error["ruleId"]!.GetValue<string>());
        Assert.Contains("DivideByZeroException", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // Nor can it be submitted for publication.
        (await compliance.PostRawAsync("/api/v1/rulepacks/sca/publish", faulting)).Expect(HttpStatusCode.BadRequest);

        var guarded = RulePackSamples.Edited("sca", p =>
        {
            p["version"] = "1.0.1";
            p["rules"]![1]!["expression"] = "Market.PriorClose > 0 && Order.Price / Market.PriorClose * 100 > 100 + @UpperLimitPct";
        });
        var valid = (await compliance.PostRawAsync("/api/v1/rulepacks/validate", guarded)).Expect(HttpStatusCode.OK);
        var warning = valid.Json["warnings"]!.AsArray().Single()!.GetValue<string>();
        Assert.StartsWith("SCA.PRICE_UPPER divides by Market.PriorClose", warning, StringComparison.Ordinal);
        Assert.Contains("the order is blocked", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_that_faults_at_run_time_blocks_the_order_naming_the_rule_and_the_fault()
    {
        var (platform, run) = await StartAsync();
        await using var _ = platform;
        // Faults only for an order of 70 shares, which no sample order has: validation lets it through (with a warning).
        var draft = RulePackSamples.Edited("fatca", p =>
        {
            p["version"] = "1.0.1";
            p["parameters"]!["FaultAt"] = new JsonObject { ["type"] = "integer", ["value"] = 70, ["description"] = "Test: the quantity that faults." };
            p["rules"]![5]!["expression"] = "Order.Quantity / (Order.Quantity - @FaultAt) > 100";
        });
        await MakerChecker.PublishAsync(platform, "fatca", draft);
        var account = await run.NewAccountAsync(RuleCaseTemplates.Passing, null);

        var faulted = (await run.SubmitAsync(account, RuleCaseTemplates.Order("fatca"), new() { ["quantity"] = 70m })).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", faulted.Str("status"));
        Assert.Equal(4001, faulted.Json["rejectCode"]!.GetValue<int>());
        Assert.Contains("FATCA.RECALCITRANT", faulted.Str("rejectReason"), StringComparison.Ordinal);
        Assert.Contains("DivideByZeroException", faulted.Str("rejectReason"), StringComparison.Ordinal);

        var other = (await run.SubmitAsync(account, RuleCaseTemplates.Order("fatca"), new() { ["quantity"] = 10m })).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", other.Str("status"));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using TradSys.Rules.Context;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>A pack and its current version, for the list.</summary>
public sealed record RulePackSummary(string Id, string Regime, string CurrentVersion, DateOnly EffectiveFrom, DateOnly? EffectiveTo,
    int RuleCount, DateTime PublishedAt, string PublishedBy, string Sha256, DateTime CurrentSince, string CurrentSetBy);

/// <summary>One stored version, in a pack's history.</summary>
public sealed record RulePackVersionSummary(string PackId, string Version, bool IsCurrent, string Sha256, DateTime PublishedAt,
    string PublishedBy, string? Comment)
{
    public static RulePackVersionSummary From(RulePackVersion v, long currentId) =>
        new(v.PackId, v.Version, v.Id == currentId, v.Sha256, v.PublishedAt, v.PublishedBy, v.Comment);
}

/// <summary>One stored version with its JSON text exactly as published (feed it back to publish or the editor).</summary>
public sealed record RulePackVersionResponse(string PackId, string Version, bool IsCurrent, string Regime, DateOnly EffectiveFrom,
    DateOnly? EffectiveTo, int RuleCount, string Sha256, DateTime PublishedAt, string PublishedBy, string? Comment, string Json)
{
    public static RulePackVersionResponse From(RulePackVersion v, bool isCurrent, RulePackDocument document) =>
        new(v.PackId, v.Version, isCurrent, document.Regime, document.EffectiveFrom, document.EffectiveTo, document.Rules.Count,
            v.Sha256, v.PublishedAt, v.PublishedBy, v.Comment, v.Json);
}

/// <summary>A draft that validates, compiles and evaluates on every sample order.</summary>
/// <param name="Valid">Always true (an invalid draft is a 400 problem).</param>
/// <param name="PackId">The pack id.</param>
/// <param name="Version">The draft's version.</param>
/// <param name="Rules">How many rules it has.</param>
/// <param name="Warnings">
/// What the officer should know before publishing: each rule that divides by a value of the order, which would fault for an
/// order where it is 0, and a rule that faults at run time blocks the order (fail closed).
/// </param>
public sealed record RulePackValidation(bool Valid, string PackId, string Version, int Rules, IReadOnlyList<string> Warnings);

/// <summary>One precise problem with a pack (the <c>errors</c> list of a 400 problem).</summary>
/// <param name="PackId">The pack id, when it could be read.</param>
/// <param name="RuleId">The rule, when the problem is inside one.</param>
/// <param name="Location">The JSON path (e.g. <c>rules[2].outcome</c>) or the expression field that is wrong.</param>
/// <param name="Line">1-based line in the pack's JSON text, for syntax and schema errors.</param>
/// <param name="Position">1-based column with <paramref name="Line"/>; without it, the 0-based character position inside the expression at <paramref name="Location"/>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record RulePackErrorResponse(string? PackId, string? RuleId, string Location, int? Line, int? Position, string Message)
{
    public static RulePackErrorResponse From(RulePackError e) => new(e.PackId, e.RuleId, e.Location, e.Line, e.Position, e.Message);
}

/// <summary>
/// A dry run: <c>pack</c> is a draft (the pack's JSON object, or its text as a JSON string so that error lines match the
/// editor) evaluated in place of the published pack with the same id; omit it to evaluate the published set.
/// <c>order</c> is an OrderContext: <c>order</c>, <c>account</c>, <c>instrument</c> (with <c>sharia</c>), <c>venue</c>,
/// <c>market</c> (<c>tradeDate</c> required) and <c>aggregates</c>, camelCase, enums by name; fields left out keep their defaults.
/// </summary>
public sealed class RulePackDryRunRequest
{
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Replace)]
    public JsonElement? Pack { get; set; }

    public OrderContext? Order { get; set; }
}

/// <summary>What a dry run decided and why.</summary>
/// <param name="Outcome">Pass, Warn, Report, Review or Block.</param>
/// <param name="Draft">The draft evaluated in place of the published pack, or null.</param>
/// <param name="AppliedPacks">Packs (and versions) that applied to the order.</param>
/// <param name="FiredRules">Rules that fired, in evaluation order, with the values they read.</param>
/// <param name="Fault">A rule that threw (the outcome is then Block), or null.</param>
public sealed record RulePackDryRunResponse(RuleOutcome Outcome, AppliedPack? Draft, IReadOnlyList<AppliedPack> AppliedPacks,
    IReadOnlyList<FiredRuleResponse> FiredRules, string? Fault);

/// <summary>A rule that fired.</summary>
public sealed record FiredRuleResponse(string PackId, string PackVersion, string RuleId, RuleOutcome Outcome, string ReasonCode,
    string Message, string Regulation, IReadOnlyList<RuleInputResponse> Inputs)
{
    public static FiredRuleResponse From(FiredRule r) => new(r.PackId, r.PackVersion, r.RuleId, r.Outcome, r.ReasonCode, r.Message,
        r.Regulation, [.. r.Inputs.Select(i => new RuleInputResponse(i.Key, i.Value))]);
}

/// <summary>A context path (e.g. <c>Order.Price</c>) or parameter (<c>@UpperLimitPct</c>) a rule read, and its value.</summary>
public sealed record RuleInputResponse(string Name, object? Value);

/// <summary>Make a stored version current again.</summary>
public sealed record RulePackRollbackRequest(string? Version, string? Comment);

/// <summary>
/// A line diff of two versions' pretty-printed JSON in unified format, and above it what changed in words
/// (<c>Changes</c>: "UpperLimitPct: 15 -> 0", "rule X added (Block): ...").
/// </summary>
public sealed record RulePackDiffResponse(string PackId, string From, string To, int Added, int Removed, string Diff,
    IReadOnlyList<string>? Changes = null);

using System.Text.Json;

namespace TradSys.Rules.Packs;

/// <summary>One rule pack as written in <c>rulesets/&lt;regime&gt;.json</c> (validated against <c>rulesets/rulepack.schema.json</c>).</summary>
public sealed record RulePackDocument
{
    /// <summary>Pack id, lower case: sec, mifid, sca, adgm, difc, sharia, fatca, emir.</summary>
    public required string Id { get; init; }
    /// <summary>The regime, e.g. "SEC/FINRA".</summary>
    public required string Regime { get; init; }
    /// <summary>Semantic version of the pack.</summary>
    public required string Version { get; init; }
    /// <summary>First trade date the pack applies to.</summary>
    public required DateOnly EffectiveFrom { get; init; }
    /// <summary>Last trade date the pack applies to; null when open-ended.</summary>
    public DateOnly? EffectiveTo { get; init; }
    /// <summary>What the pack covers.</summary>
    public string Description { get; init; } = "";
    /// <summary>Where its figures come from (rulebooks, notices; UV marks).</summary>
    public string Source { get; init; } = "";
    /// <summary>Applicability expression: which accounts, venues and instruments the pack covers.</summary>
    public required string AppliesTo { get; init; }
    /// <summary>Named parameters (thresholds), referenced from expressions as <c>@Name</c>.</summary>
    public IReadOnlyDictionary<string, RuleParameter> Parameters { get; init; } = new Dictionary<string, RuleParameter>();
    /// <summary>The rules, evaluated in order.</summary>
    public required IReadOnlyList<RuleDefinition> Rules { get; init; }
    /// <summary>What each version changed and why, newest first.</summary>
    public IReadOnlyList<RulePackChangelogEntry> Changelog { get; init; } = [];
}

/// <summary>One version's entry in a pack's changelog.</summary>
public sealed record RulePackChangelogEntry
{
    /// <summary>The version that made the changes.</summary>
    public required string Version { get; init; }
    /// <summary>When (ISO date).</summary>
    public required string Date { get; init; }
    /// <summary>Each change and why it was made.</summary>
    public required IReadOnlyList<string> Changes { get; init; }
}

/// <summary>A named pack parameter: a threshold or list an officer may change without touching an expression.</summary>
public sealed record RuleParameter
{
    /// <summary>number (decimal), integer (long), boolean, string or stringList (string[]).</summary>
    public required string Type { get; init; }
    /// <summary>The value, as written in JSON.</summary>
    public required JsonElement Value { get; init; }
    /// <summary>What it is and where the figure comes from.</summary>
    public required string Description { get; init; }
    /// <summary>True when DOMAIN.md marks the figure unverified (UV): sources disagree or it could not be checked.</summary>
    public bool Unverified { get; init; }
    /// <summary>The source of the figure.</summary>
    public string Source { get; init; } = "";
    /// <summary>For a stringList: the fixed classification its values are codes of ("sector"), or null for free strings.</summary>
    public string? Codes { get; init; }
}

/// <summary>One rule: when <see cref="Expression"/> is true for an order, the rule fires with <see cref="Outcome"/>.</summary>
public sealed record RuleDefinition
{
    /// <summary>Rule id, unique within the pack, e.g. SEC.CREDIT_LIMIT.</summary>
    public required string Id { get; init; }
    /// <summary>What the rule checks.</summary>
    public required string Description { get; init; }
    /// <summary>Boolean expression over the order context; true means the rule fires.</summary>
    public required string Expression { get; init; }
    /// <summary>Block, Review, Report or Warn.</summary>
    public required RuleOutcome Outcome { get; init; }
    /// <summary>Stable reason code shown to clients and in reports.</summary>
    public required string ReasonCode { get; init; }
    /// <summary>Message template; <c>{Order.Quantity}</c> inserts a context value, <c>{@Name}</c> a parameter, <c>{X:N2}</c> formats.</summary>
    public required string Message { get; init; }
    /// <summary>
    /// The regulation article the rule enforces; may name the pack's parameters (<c>{@UpperLimitPct}</c>, <c>{@Name:N0}</c>), filled
    /// in when the pack compiles, so that a label never states a figure other than the one the version applies.
    /// </summary>
    public required string Regulation { get; init; }
}

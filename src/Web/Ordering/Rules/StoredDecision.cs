using System.Text.Json;
using System.Text.Json.Serialization;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Rules;

/// <summary>
/// The rule packs' decision on an order as stored (<see cref="RuleDecisionRecord.Json"/>) and shown by the API: the
/// outcome, the packs and versions applied, and every rule that fired with its reason code, message, article and
/// the input values it read.
/// </summary>
/// <param name="Outcome">Pass, Warn, Report, Review or Block: the highest outcome among the fired rules.</param>
/// <param name="DecidedAt">The single writer's timestamp for the order (UTC).</param>
/// <param name="Packs">Packs (and versions) that applied to the order.</param>
/// <param name="Rules">Rules that fired, in evaluation order.</param>
/// <param name="Fault">A rule that could not be evaluated (the order is then blocked: fail closed), or null.</param>
public sealed record StoredDecision(string Outcome, DateTime DecidedAt, IReadOnlyList<StoredPack> Packs, IReadOnlyList<StoredRule> Rules, string? Fault)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The whole <see cref="TradSys.Rules.Context.OrderContext"/> the packs read (<see cref="OrderContextJson"/>), stored in its own
    /// column so that a later rule set (a replayed draft) can be evaluated on exactly what this decision saw; null for a
    /// decision made without the packs (<see cref="Refused"/>). Not part of the decision's own JSON.
    /// </summary>
    [JsonIgnore]
    public string? ContextJson { get; init; }

    /// <summary>With <see cref="ContextJson"/> holding the order's own views only: the account's snapshot (<see cref="StoredContext"/>).</summary>
    [JsonIgnore]
    public long? AccountSnapshotId { get; init; }

    /// <summary>With <see cref="ContextJson"/> holding the order's own views only: the instrument's snapshot (<see cref="StoredContext"/>).</summary>
    [JsonIgnore]
    public long? InstrumentSnapshotId { get; init; }

    /// <summary>The decision from the evaluator's explanation.</summary>
    public static StoredDecision From(DecisionExplanation explanation, DateTime decidedAt) => new(
        explanation.Outcome.ToString(), decidedAt,
        [.. explanation.AppliedPacks.Select(p => new StoredPack(p.PackId, p.Version))],
        [.. explanation.FiredRules.Select(r => new StoredRule(r.PackId, r.PackVersion, r.RuleId, r.Outcome.ToString(), r.ReasonCode, r.Message,
            r.Regulation, r.Inputs.ToDictionary(kv => kv.Key, kv => Plain(kv.Value), StringComparer.Ordinal)))],
        explanation.Fault);

    /// <summary>A decision made without the packs: the order could not be put in front of them (e.g. no FX rate); Block.</summary>
    public static StoredDecision Refused(string reason, DateTime decidedAt) =>
        new(nameof(RuleOutcome.Block), decidedAt, [], [], reason);

    /// <summary>The rules with this outcome.</summary>
    public IEnumerable<StoredRule> With(RuleOutcome outcome) => Rules.Where(r => r.Outcome == outcome.ToString());

    /// <summary>The row stored with the order.</summary>
    public RuleDecisionRecord ToRecord(long orderId) => new()
    {
        OrderId = orderId, Outcome = Outcome, DecidedAt = DecidedAt,
        ReasonCodes = Limit(string.Join(',', Rules.Select(r => r.ReasonCode).Distinct(StringComparer.Ordinal))),
        ReportTags = Limit(string.Join(',', With(RuleOutcome.Report).Select(r => r.RuleId))),
        Json = JsonSerializer.Serialize(this, Options),
        ContextJson = ContextJson,
        AccountSnapshotId = AccountSnapshotId,
        InstrumentSnapshotId = InstrumentSnapshotId,
    };

    /// <summary>Reads a stored decision back.</summary>
    public static StoredDecision Read(RuleDecisionRecord record) =>
        JsonSerializer.Deserialize<StoredDecision>(record.Json, Options) ?? throw new InvalidOperationException($"order {record.OrderId}: empty rule decision");

    /// <summary>Why an order was blocked, in one line for the order's reject reason and journal entry.</summary>
    public string BlockSummary()
    {
        var blocking = With(RuleOutcome.Block).Select(r => $"{r.ReasonCode} ({r.PackId} {r.PackVersion} {r.RuleId}): {r.Message}").ToList();
        var by = Packs.Count > 0 && Packs.All(p => p.PackId == Stages.RiskStage.PackId) ? "refused by pre-trade risk controls: " : "blocked by compliance rules: ";
        var text = blocking.Count > 0 ? by + string.Join("; ", blocking) : by + Fault;
        return text.Length <= 512 ? text : text[..509] + "...";
    }

    /// <summary>Why an order is held, in one line for its journal entry.</summary>
    public string ReviewSummary()
    {
        var text = "held for review: " + string.Join("; ", With(RuleOutcome.Review).Select(r => $"{r.ReasonCode} ({r.RuleId}): {r.Message}"));
        return text.Length <= 512 ? text : text[..509] + "...";
    }

    private static string Limit(string text) => text.Length <= 1024 ? text : text[..1024];

    // Input values are decimals, numbers, booleans, strings, dates and enums; enums and dates as their text.
    private static object? Plain(object? value) => value switch
    {
        Enum e => e.ToString(),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        IEnumerable<string> list when value is not string => list.ToArray(),
        _ => value,
    };
}

/// <summary>A pack that applied to an order.</summary>
/// <param name="PackId">Pack id.</param>
/// <param name="Version">Pack version.</param>
public sealed record StoredPack(string PackId, string Version);

/// <summary>A rule that fired.</summary>
/// <param name="PackId">Pack id.</param>
/// <param name="PackVersion">Pack version.</param>
/// <param name="RuleId">Rule id.</param>
/// <param name="Outcome">Block, Review, Report or Warn.</param>
/// <param name="ReasonCode">Reason code.</param>
/// <param name="Message">The rendered message.</param>
/// <param name="Regulation">The regulation article enforced.</param>
/// <param name="Inputs">Context paths and parameters the rule read, with their values at decision time.</param>
public sealed record StoredRule(string PackId, string PackVersion, string RuleId, string Outcome, string ReasonCode, string Message,
    string Regulation, IReadOnlyDictionary<string, object?> Inputs);

using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Evaluation;

/// <summary>
/// The result of evaluating one order, reusable across orders (one per thread, or pooled with the context):
/// evaluation fills preallocated arrays, so the pass path allocates nothing. Any Block rejects; any Review
/// holds; Report tags for regulatory reports; Warn is shown to the trader. Call <see cref="Explain"/> before
/// the context is reset: it reads the input values of the fired rules from the context.
/// </summary>
public sealed class RuleDecision
{
    private CompiledPack[] _applied = [];
    private CompiledRule[] _fired = [];

    /// <summary>The highest outcome among fired rules; <see cref="RuleOutcome.Pass"/> when none fired.</summary>
    public RuleOutcome Outcome { get; private set; }

    /// <summary>The rule set the decision was made with.</summary>
    public CompiledRuleSet RuleSet { get; private set; } = CompiledRuleSet.Empty;

    /// <summary>How many packs applied to the order.</summary>
    public int AppliedPackCount { get; private set; }

    /// <summary>How many rules fired.</summary>
    public int FiredCount { get; private set; }

    /// <summary>The rule that threw during evaluation, if any; the decision is then Block (fail closed).</summary>
    public CompiledRule? FaultedRule { get; private set; }

    /// <summary>The exception a rule threw, if any.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>The pack being evaluated when <see cref="Fault"/> was thrown (its applicability when <see cref="FaultedRule"/> is null).</summary>
    public CompiledPack? FaultedPack { get; private set; }

    /// <summary>True when the order must be rejected.</summary>
    public bool IsBlocked => Outcome == RuleOutcome.Block;

    /// <summary>The i-th pack that applied.</summary>
    /// <param name="index">0 to <see cref="AppliedPackCount"/> - 1.</param>
    /// <returns>The pack.</returns>
    public CompiledPack AppliedPack(int index) => (uint)index < (uint)AppliedPackCount ? _applied[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The i-th rule that fired.</summary>
    /// <param name="index">0 to <see cref="FiredCount"/> - 1.</param>
    /// <returns>The rule.</returns>
    public CompiledRule FiredRule(int index) => (uint)index < (uint)FiredCount ? _fired[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>True when a rule with this id fired.</summary>
    /// <param name="ruleId">Rule id.</param>
    /// <returns>Whether it fired.</returns>
    public bool HasFired(string ruleId)
    {
        for (int i = 0; i < FiredCount; i++)
        {
            if (string.Equals(_fired[i].Id, ruleId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the explanation: packs and versions applied, fired rules with messages and the values they read. Allocates.</summary>
    /// <param name="context">The context the decision was made on, not yet reset.</param>
    /// <returns>The explanation.</returns>
    public DecisionExplanation Explain(OrderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var packs = new List<AppliedPack>(AppliedPackCount);
        for (int i = 0; i < AppliedPackCount; i++)
        {
            packs.Add(new AppliedPack(_applied[i].Id, _applied[i].Version));
        }

        var fired = new List<FiredRule>(FiredCount);
        for (int i = 0; i < FiredCount; i++)
        {
            CompiledRule rule = _fired[i];
            fired.Add(new FiredRule(rule.Pack.Id, rule.Pack.Version, rule.Id, rule.Outcome, rule.ReasonCode, rule.RenderMessage(context), rule.Regulation, rule.ReadInputs(context)));
        }

        // A fault outside any rule is a pack's applicability expression (FaultedPack), named as such.
        string? fault = Fault is null ? null
            : FaultedRule is not null ? $"{FaultedRule.Pack.Id}/{FaultedRule.Id}: {Fault.GetType().Name}: {Fault.Message}"
            : $"{FaultedPack?.Id}/appliesTo: {Fault.GetType().Name}: {Fault.Message}";
        return new DecisionExplanation(Outcome, packs, fired, fault);
    }

    internal void Begin(CompiledRuleSet ruleSet)
    {
        RuleSet = ruleSet;
        if (_applied.Length < ruleSet.PackArray.Length)
        {
            _applied = new CompiledPack[ruleSet.PackArray.Length];
        }

        if (_fired.Length < ruleSet.RuleCount)
        {
            _fired = new CompiledRule[ruleSet.RuleCount];
        }

        Array.Clear(_applied, 0, AppliedPackCount);
        Array.Clear(_fired, 0, FiredCount);
        AppliedPackCount = 0;
        FiredCount = 0;
        Outcome = RuleOutcome.Pass;
        FaultedRule = null;
        FaultedPack = null;
        Fault = null;
    }

    internal void AddApplied(CompiledPack pack) => _applied[AppliedPackCount++] = pack;

    internal void AddFired(CompiledRule rule)
    {
        _fired[FiredCount++] = rule;
        if (rule.Outcome > Outcome)
        {
            Outcome = rule.Outcome;
        }
    }

    internal void SetFault(CompiledPack? pack, CompiledRule? rule, Exception exception)
    {
        FaultedPack = pack;
        FaultedRule = rule;
        Fault = exception;
        Outcome = RuleOutcome.Block;
    }
}

/// <summary>Why an order got its decision.</summary>
/// <param name="Outcome">The decision.</param>
/// <param name="AppliedPacks">Packs (and versions) that applied.</param>
/// <param name="FiredRules">Rules that fired, in evaluation order.</param>
/// <param name="Fault">A rule that threw (the decision is then Block), or null.</param>
public sealed record DecisionExplanation(RuleOutcome Outcome, IReadOnlyList<AppliedPack> AppliedPacks, IReadOnlyList<FiredRule> FiredRules, string? Fault);

/// <summary>A pack that applied to an order.</summary>
/// <param name="PackId">Pack id.</param>
/// <param name="Version">Pack version.</param>
public sealed record AppliedPack(string PackId, string Version);

/// <summary>A rule that fired, with the values it read.</summary>
/// <param name="PackId">Pack id.</param>
/// <param name="PackVersion">Pack version.</param>
/// <param name="RuleId">Rule id.</param>
/// <param name="Outcome">Block, Review, Report or Warn.</param>
/// <param name="ReasonCode">Reason code.</param>
/// <param name="Message">The rendered message.</param>
/// <param name="Regulation">The regulation article enforced.</param>
/// <param name="Inputs">Context paths and parameters the expression read, with their values at decision time.</param>
public sealed record FiredRule(string PackId, string PackVersion, string RuleId, RuleOutcome Outcome, string ReasonCode, string Message, string Regulation,
    IReadOnlyList<KeyValuePair<string, object?>> Inputs);

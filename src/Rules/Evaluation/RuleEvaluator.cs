using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Evaluation;

/// <summary>
/// Runs every applicable pack on an order. Thread-safe and stateless apart from the published rule set, which is
/// swapped atomically (<see cref="Publish"/>): an evaluation uses the set it read at its start from beginning to
/// end. The caller owns the <see cref="OrderContext"/> and the <see cref="RuleDecision"/> (one per thread or pooled).
/// The pass path allocates nothing.
/// </summary>
/// <remarks>The host's pre-trade stage fills a context, calls <see cref="Evaluate"/>, and maps the decision:
/// Block to a refusal with the fired rules' reason codes and messages, Review to the workflow, Report to a tag.</remarks>
public sealed class RuleEvaluator
{
    private CompiledRuleSet _ruleSet;

    /// <summary>Creates an evaluator running <paramref name="ruleSet"/>.</summary>
    /// <param name="ruleSet">The initial rule set.</param>
    public RuleEvaluator(CompiledRuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        _ruleSet = ruleSet;
    }

    /// <summary>The published rule set.</summary>
    public CompiledRuleSet RuleSet => Volatile.Read(ref _ruleSet);

    /// <summary>Publishes a new rule set; evaluations that start afterwards use it.</summary>
    /// <param name="ruleSet">The new set.</param>
    public void Publish(CompiledRuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        Volatile.Write(ref _ruleSet, ruleSet);
    }

    /// <summary>Evaluates every applicable pack on an order.</summary>
    /// <param name="context">The filled order context; <see cref="MarketView.TradeDate"/> must be set.</param>
    /// <param name="decision">Receives the decision; reused across calls.</param>
    /// <returns>The decision's outcome.</returns>
    /// <exception cref="ArgumentException">The context's trade date is not set.</exception>
    public RuleOutcome Evaluate(OrderContext context, RuleDecision decision)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(decision);
        if (context.Market.TradeDate == default)
        {
            ThrowTradeDateMissing();
        }

        CompiledRuleSet ruleSet = Volatile.Read(ref _ruleSet);
        decision.Begin(ruleSet);
        int day = context.Market.TradeDate.DayNumber;
        CompiledPack[] packs = ruleSet.PackArray;
        CompiledRule? current = null;
        CompiledPack? currentPack = null;
        try
        {
            for (int p = 0; p < packs.Length; p++)
            {
                CompiledPack pack = packs[p];
                currentPack = pack;
                if (day < pack.FromDay || day > pack.ToDay || !pack.AppliesToPredicate(context))
                {
                    continue;
                }

                decision.AddApplied(pack);
                CompiledRule[] rules = pack.RuleArray;
                for (int r = 0; r < rules.Length; r++)
                {
                    current = rules[r];
                    if (current.Predicate(context))
                    {
                        decision.AddFired(current);
                    }
                }

                current = null;
            }
        }
        catch (Exception ex) when (ex is NullReferenceException or ArithmeticException or InvalidOperationException)
        {
            // Fail closed: a rule that cannot be evaluated must not let the order through unchecked.
            decision.SetFault(currentPack, current, ex);
        }

        return decision.Outcome;
    }

    private static void ThrowTradeDateMissing() =>
        throw new ArgumentException("OrderContext.Market.TradeDate must be set: packs apply by effective date.", "context");
}

using TradSys.Rules.Context;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Compilation;

/// <summary>One rule compiled to a delegate, with what it reads, ready for the order path.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(RuleDefinition definition, Func<OrderContext, bool> predicate, IReadOnlyList<string> inputPaths,
        IReadOnlyList<string> parameterNames, MessageTemplate message, string regulation)
    {
        Regulation = regulation;
        Definition = definition;
        Predicate = predicate;
        InputPaths = inputPaths;
        ParameterNames = parameterNames;
        Message = message;
        InputGetters = inputPaths.Select(p => ContextPaths.GetterFor(p)!).ToArray();
    }

    /// <summary>The pack the rule belongs to.</summary>
    public CompiledPack Pack { get; internal set; } = null!;

    /// <summary>The rule as written.</summary>
    public RuleDefinition Definition { get; }

    /// <summary>Rule id.</summary>
    public string Id => Definition.Id;

    /// <summary>Block, Review, Report or Warn.</summary>
    public RuleOutcome Outcome => Definition.Outcome;

    /// <summary>Reason code.</summary>
    public string ReasonCode => Definition.ReasonCode;

    /// <summary>
    /// The regulation article enforced, with the pack's parameters filled in (<c>"SCA price limits (+{@UpperLimitPct}%)"</c> reads
    /// "SCA price limits (+15%)" in a version where the limit is 15): the label stored with each decision this version makes.
    /// </summary>
    public string Regulation { get; }

    /// <summary>Context paths the expression reads (e.g. <c>Order.Quantity</c>), captured at compile time.</summary>
    public IReadOnlyList<string> InputPaths { get; }

    /// <summary>Pack parameters the expression references.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    internal Func<OrderContext, bool> Predicate { get; }

    internal Func<OrderContext, object?>[] InputGetters { get; }

    internal MessageTemplate Message { get; }

    /// <summary>Evaluates the rule alone (rule editor, tests); the order path uses <see cref="Evaluation.RuleEvaluator"/>.</summary>
    /// <param name="context">The order context.</param>
    /// <returns>True when the rule fires.</returns>
    public bool Fires(OrderContext context) => Predicate(context);

    /// <summary>Renders the message template against a context. Allocates; call only for fired rules.</summary>
    /// <param name="context">The order context the rule fired on.</param>
    /// <returns>The message.</returns>
    public string RenderMessage(OrderContext context) => Message.Render(context);

    /// <summary>Reads the inputs the rule's expression reads, and the parameters it references. Allocates.</summary>
    /// <param name="context">The order context.</param>
    /// <returns>Path (or <c>@Name</c>) and value pairs.</returns>
    public IReadOnlyList<KeyValuePair<string, object?>> ReadInputs(OrderContext context)
    {
        var inputs = new List<KeyValuePair<string, object?>>(InputPaths.Count + ParameterNames.Count);
        for (int i = 0; i < InputGetters.Length; i++)
        {
            inputs.Add(new(InputPaths[i], InputGetters[i](context)));
        }

        foreach (string name in ParameterNames)
        {
            inputs.Add(new("@" + name, Pack.Parameters[name]));
        }

        return inputs;
    }
}

/// <summary>A pack compiled with its parameters bound: immutable; a parameter change means a new compile.</summary>
public sealed class CompiledPack
{
    internal CompiledPack(RulePackDocument document, IReadOnlyDictionary<string, object> parameters, Func<OrderContext, bool> appliesTo, CompiledRule[] rules)
    {
        Document = document;
        Parameters = parameters;
        AppliesToPredicate = appliesTo;
        RuleArray = rules;
        FromDay = document.EffectiveFrom.DayNumber;
        ToDay = document.EffectiveTo?.DayNumber ?? int.MaxValue;
        foreach (CompiledRule rule in rules)
        {
            rule.Pack = this;
        }
    }

    /// <summary>The pack as written.</summary>
    public RulePackDocument Document { get; }

    /// <summary>Pack id.</summary>
    public string Id => Document.Id;

    /// <summary>Pack version.</summary>
    public string Version => Document.Version;

    /// <summary>The parameter values bound into the rules (after any overrides).</summary>
    public IReadOnlyDictionary<string, object> Parameters { get; }

    /// <summary>The compiled rules, in pack order.</summary>
    public IReadOnlyList<CompiledRule> Rules => RuleArray;

    internal CompiledRule[] RuleArray { get; }

    internal Func<OrderContext, bool> AppliesToPredicate { get; }

    internal int FromDay { get; }

    internal int ToDay { get; }

    /// <summary>True when the pack is in force on the context's trade date and its applicability expression holds.</summary>
    /// <param name="context">The order context.</param>
    /// <returns>Whether the pack applies.</returns>
    public bool AppliesTo(OrderContext context)
    {
        int day = context.Market.TradeDate.DayNumber;
        return day >= FromDay && day <= ToDay && AppliesToPredicate(context);
    }
}

/// <summary>An immutable set of compiled packs: what the evaluator runs. Publishing one is a single reference swap.</summary>
public sealed class CompiledRuleSet
{
    private CompiledRuleSet(CompiledPack[] packs)
    {
        PackArray = packs;
        RuleCount = packs.Sum(p => p.RuleArray.Length);
    }

    /// <summary>No packs.</summary>
    public static CompiledRuleSet Empty { get; } = new([]);

    /// <summary>The packs, in the order evaluated.</summary>
    public IReadOnlyList<CompiledPack> Packs => PackArray;

    /// <summary>Rules across all packs.</summary>
    public int RuleCount { get; }

    internal CompiledPack[] PackArray { get; }

    /// <summary>Creates a set; pack ids must be unique.</summary>
    /// <param name="packs">The packs.</param>
    /// <returns>The set.</returns>
    public static CompiledRuleSet Create(IEnumerable<CompiledPack> packs)
    {
        CompiledPack[] array = packs.ToArray();
        string? duplicate = array.GroupBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        return duplicate is null ? new CompiledRuleSet(array) : throw new ArgumentException($"pack '{duplicate}' appears twice", nameof(packs));
    }

    /// <summary>The pack with an id, or null.</summary>
    /// <param name="id">Pack id.</param>
    /// <returns>The pack or null.</returns>
    public CompiledPack? Find(string id) => Array.Find(PackArray, p => string.Equals(p.Id, id, StringComparison.Ordinal));

    /// <summary>A new set with <paramref name="pack"/> replacing the pack of the same id (or added).</summary>
    /// <param name="pack">The pack.</param>
    /// <returns>The new set; this one is unchanged.</returns>
    public CompiledRuleSet With(CompiledPack pack)
    {
        var packs = PackArray.ToList();
        int index = packs.FindIndex(p => string.Equals(p.Id, pack.Id, StringComparison.Ordinal));
        if (index >= 0)
        {
            packs[index] = pack;
        }
        else
        {
            packs.Add(pack);
        }

        return new CompiledRuleSet([.. packs]);
    }
}

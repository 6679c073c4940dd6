using TradSys.Rules.Compilation;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Evaluation;

/// <summary>
/// Validates drafts and publishes packs into an evaluator. A draft that fails to parse, validate or compile
/// never replaces the published pack: the evaluator keeps running the last good set.
/// </summary>
public sealed class RulePackRegistry
{
    private readonly RuleEvaluator _evaluator;
    private readonly Lock _gate = new();

    /// <summary>Creates a registry publishing into <paramref name="evaluator"/>.</summary>
    /// <param name="evaluator">The evaluator on the order path.</param>
    public RulePackRegistry(RuleEvaluator evaluator)
    {
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
    }

    /// <summary>Validates and compiles a draft without publishing it (the rule editor's "validate").</summary>
    /// <param name="json">The draft pack JSON.</param>
    /// <param name="source">The draft's name, for messages.</param>
    /// <returns>Every problem found; empty when the draft is good.</returns>
    public static IReadOnlyList<RulePackError> Validate(string json, string source)
    {
        try
        {
            RulePackCompiler.Compile(RulePackLoader.Parse(json, source), source);
            return [];
        }
        catch (RulePackException ex)
        {
            return ex.Errors;
        }
    }

    /// <summary>Publishes a draft when it is good; otherwise leaves the published set untouched.</summary>
    /// <param name="json">The pack JSON.</param>
    /// <param name="source">Its name, for messages.</param>
    /// <param name="errors">Every problem found; empty on success.</param>
    /// <returns>True when published.</returns>
    public bool TryPublish(string json, string source, out IReadOnlyList<RulePackError> errors)
    {
        CompiledPack pack;
        try
        {
            pack = RulePackCompiler.Compile(RulePackLoader.Parse(json, source), source);
        }
        catch (RulePackException ex)
        {
            errors = ex.Errors;
            return false;
        }

        lock (_gate)
        {
            _evaluator.Publish(_evaluator.RuleSet.With(pack));
        }

        errors = [];
        return true;
    }
}

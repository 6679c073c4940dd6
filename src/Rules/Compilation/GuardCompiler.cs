using TradSys.Rules.Context;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Compilation;

/// <summary>One problem with a guard: the 0-based character position in its text when known, and what is wrong.</summary>
/// <param name="Position">0-based character position inside the guard, when known.</param>
/// <param name="Message">What is wrong.</param>
public sealed record GuardError(int? Position, string Message);

/// <summary>
/// Compiles workflow guards: the rule packs' expression language over a <see cref="WorkflowContext"/>, with the
/// definition's parameters bound as constants, through the same scan (no threshold literals), parser configuration
/// and sandbox allowlist as rule expressions.
/// </summary>
public static class GuardCompiler
{
    /// <summary>Converts declared parameters to the values guards see; reports each value not of its declared type.</summary>
    /// <param name="parameters">The declared parameters.</param>
    /// <param name="problems">Receives (parameter name, problem) for each bad value.</param>
    /// <returns>The values by name.</returns>
    public static IReadOnlyDictionary<string, object> BindParameters(IReadOnlyDictionary<string, RuleParameter> parameters, Action<string, string> problems)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(problems);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach ((string name, RuleParameter parameter) in parameters)
        {
            if (ParameterValues.TryConvert(parameter, out object value, out string problem))
            {
                values[name] = value;
            }
            else
            {
                problems(name, problem);
            }
        }

        return values;
    }

    /// <summary>Compiles one guard.</summary>
    /// <param name="text">The guard's expression.</param>
    /// <param name="parameters">Parameter values by name (from <see cref="BindParameters"/>).</param>
    /// <param name="errors">Receives every problem found.</param>
    /// <returns>The guard, or null when <paramref name="errors"/> received a problem.</returns>
    public static Func<WorkflowContext, bool>? Compile(string text, IReadOnlyDictionary<string, object> parameters, ICollection<GuardError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(errors);
        var values = new Dictionary<string, object>(parameters, StringComparer.Ordinal);
        var externals = values.ToDictionary(kv => "@" + kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return RulePackCompiler.CompileSandboxed<WorkflowContext>(text, values, externals,
            (position, message) => errors.Add(new GuardError(position, message)), out _, out _);
    }
}

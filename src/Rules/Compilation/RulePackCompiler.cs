using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using TradSys.Rules.Context;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Compilation;

/// <summary>
/// Compiles a pack: each expression is parsed once by Dynamic LINQ under a restrictive configuration, with the
/// pack's parameters bound as constants (so the pass path reads no dictionary and allocates nothing), then
/// checked and rewritten by <see cref="ExpressionSandbox"/>, then compiled to a delegate. Errors name the pack,
/// the rule and the character position in the expression.
/// </summary>
public static partial class RulePackCompiler
{
    /// <summary>Numeric literals an expression may contain; anything else is a threshold and belongs in a parameter.</summary>
    private static readonly HashSet<string> AllowedLiterals = ["0", "1", "100", "0m", "1m", "100m", "0L", "1L", "100L"];

    /// <summary>Compiles a pack.</summary>
    /// <param name="pack">The pack, as loaded by <see cref="RulePackLoader"/>.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <param name="parameterOverrides">Values replacing declared parameters (an officer's what-if, tests); names must exist.</param>
    /// <returns>The compiled pack.</returns>
    /// <exception cref="RulePackException">Any expression, placeholder or override is bad; carries every problem.</exception>
    public static CompiledPack Compile(RulePackDocument pack, string source, IReadOnlyDictionary<string, object>? parameterOverrides = null)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var errors = new List<RulePackError>();
        Dictionary<string, object> parameters = BindParameters(pack, source, parameterOverrides, errors);
        Dictionary<string, object> externals = parameters.ToDictionary(kv => "@" + kv.Key, kv => kv.Value, StringComparer.Ordinal);

        Func<OrderContext, bool>? appliesTo = CompileExpression(pack, null, "appliesTo", pack.AppliesTo, parameters, externals, source, errors, out _, out _);

        var rules = new List<CompiledRule>(pack.Rules.Count);
        for (int i = 0; i < pack.Rules.Count; i++)
        {
            RuleDefinition rule = pack.Rules[i];
            Func<OrderContext, bool>? predicate = CompileExpression(pack, rule.Id, $"rules[{i}].expression", rule.Expression, parameters, externals, source, errors,
                out IReadOnlyList<string> paths, out IReadOnlyList<string> parameterNames);

            var problems = new List<string>();
            MessageTemplate message = MessageTemplate.Parse(rule.Message, parameters, problems);
            foreach (string problem in problems)
            {
                errors.Add(new RulePackError(source, pack.Id, rule.Id, $"rules[{i}].message", null, null, problem));
            }

            // The label is rendered with this version's parameters now: every decision stores the text of the version that fired.
            var regulationProblems = new List<string>();
            string regulation = MessageTemplate.RenderParameters(rule.Regulation, "regulation", parameters, regulationProblems);
            foreach (string problem in regulationProblems)
            {
                errors.Add(new RulePackError(source, pack.Id, rule.Id, $"rules[{i}].regulation", null, null, problem));
            }

            if (predicate is not null)
            {
                rules.Add(new CompiledRule(rule, predicate, paths, parameterNames, message, regulation));
            }
        }

        if (errors.Count > 0)
        {
            throw new RulePackException(errors);
        }

        return new CompiledPack(pack, parameters, appliesTo!, [.. rules]);
    }

    /// <summary>Loads and compiles every pack in a directory into one rule set.</summary>
    /// <param name="directory">The rulesets directory.</param>
    /// <returns>The rule set.</returns>
    /// <exception cref="RulePackException">Any pack is bad.</exception>
    public static CompiledRuleSet CompileDirectory(string directory)
    {
        var errors = new List<RulePackError>();
        var packs = new List<CompiledPack>();
        foreach (RulePackDocument document in RulePackLoader.LoadDirectory(directory))
        {
            try
            {
                packs.Add(Compile(document, document.Id + ".json"));
            }
            catch (RulePackException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return errors.Count > 0 ? throw new RulePackException(errors) : CompiledRuleSet.Create(packs);
    }

    private static Dictionary<string, object> BindParameters(RulePackDocument pack, string source, IReadOnlyDictionary<string, object>? overrides, List<RulePackError> errors)
    {
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach ((string name, RuleParameter parameter) in pack.Parameters)
        {
            if (ParameterValues.TryConvert(parameter, out object value, out _))
            {
                parameters[name] = value;
            }
        }

        foreach ((string name, object raw) in overrides ?? new Dictionary<string, object>())
        {
            if (!pack.Parameters.TryGetValue(name, out RuleParameter? declared))
            {
                errors.Add(new RulePackError(source, pack.Id, null, $"parameters.{name}", null, null, $"override names unknown parameter '{name}'"));
            }
            else if (!ParameterValues.TryCoerce(declared.Type, raw, out object value))
            {
                errors.Add(new RulePackError(source, pack.Id, null, $"parameters.{name}", null, null, $"override {raw} is not of the declared type '{declared.Type}'"));
            }
            else
            {
                parameters[name] = value;
            }
        }

        return parameters;
    }

    private static Func<OrderContext, bool>? CompileExpression(RulePackDocument pack, string? ruleId, string location, string text,
        Dictionary<string, object> parameters, Dictionary<string, object> externals, string source, List<RulePackError> errors,
        out IReadOnlyList<string> paths, out IReadOnlyList<string> parameterNames) =>
        CompileSandboxed<OrderContext>(text, parameters, externals,
            (position, message) => errors.Add(new RulePackError(source, pack.Id, ruleId, location, null, position, message)),
            out paths, out parameterNames);

    /// <summary>
    /// The one path every expression takes, whatever its root type (an order context for rules, a workflow context for
    /// guards): literal and parameter scan, parse under the restrictive configuration, sandbox, compile.
    /// </summary>
    /// <param name="text">The expression.</param>
    /// <param name="parameters">Declared parameters by name (without the @).</param>
    /// <param name="externals">The same values keyed "@name", for the parser.</param>
    /// <param name="error">Receives each problem with its 0-based position in <paramref name="text"/> when known.</param>
    /// <param name="paths">The context paths the expression reads.</param>
    /// <param name="parameterNames">The parameters it references.</param>
    /// <returns>The delegate, or null when <paramref name="error"/> was called.</returns>
    internal static Func<TContext, bool>? CompileSandboxed<TContext>(string text, Dictionary<string, object> parameters,
        Dictionary<string, object> externals, Action<int?, string> error, out IReadOnlyList<string> paths, out IReadOnlyList<string> parameterNames)
    {
        paths = [];
        parameterNames = [];
        bool failed = false;
        void Error(int? position, string message)
        {
            failed = true;
            error(position, message);
        }

        var referenced = new List<string>();
        foreach (Token token in Scan(text))
        {
            if (token.IsParameter)
            {
                if (!parameters.ContainsKey(token.Text))
                {
                    Error(token.Position, $"unknown parameter reference '@{token.Text}'");
                }
                else if (!referenced.Contains(token.Text))
                {
                    referenced.Add(token.Text);
                }
            }
            else if (!AllowedLiterals.Contains(token.Text))
            {
                Error(token.Position, $"literal {token.Text}: thresholds belong in a pack parameter, not in an expression");
            }
        }

        if (failed)
        {
            return null;
        }

        ParameterExpression root = Expression.Parameter(typeof(TContext), "ctx");
        LambdaExpression parsed;
        try
        {
            parsed = DynamicExpressionParser.ParseLambda(ContextTypes.CreateParsingConfig(), [root], typeof(bool), text, externals);
        }
        catch (ParseException ex)
        {
            Error(ex.Position, "expression does not compile: " + ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            Error(null, "expression does not compile: " + ex.Message);
            return null;
        }

        Expression body;
        try
        {
            body = ExpressionSandbox.Apply(parsed.Body, root, out paths);
        }
        catch (SandboxViolationException ex)
        {
            Error(PositionOf(text, ex.Token), "expression leaves the sandbox: " + ex.Message);
            return null;
        }

        parameterNames = referenced;
        return Expression.Lambda<Func<TContext, bool>>(body, root).Compile();
    }

    private static int? PositionOf(string text, string? token)
    {
        if (token is null)
        {
            return null;
        }

        Match m = Regex.Match(text, char.IsLetter(token[0]) ? $@"\b{Regex.Escape(token)}\b" : Regex.Escape(token), RegexOptions.CultureInvariant);
        return m.Success ? m.Index : null;
    }

    /// <summary>Finds <c>@Name</c> references and numeric literals outside string literals.</summary>
    private static IEnumerable<Token> Scan(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is '"' or '\'')
            {
                i = SkipString(text, i);
                continue;
            }

            if (c == '@')
            {
                int start = ++i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                yield return new Token(text[start..i], start - 1, true);
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                continue;
            }

            if (char.IsDigit(c))
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' || text[i] == '_'))
                {
                    i++;
                }

                yield return new Token(text[start..i], start, false);
                continue;
            }

            i++;
        }
    }

    private static int SkipString(string text, int start)
    {
        char quote = text[start];
        int i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return i;
    }

    private readonly record struct Token(string Text, int Position, bool IsParameter);
}

using System.Globalization;
using System.Text;

namespace TradSys.Rules.Packs;

/// <summary>One precise problem with a pack: which pack, which rule, where, and what.</summary>
/// <param name="Source">The file or draft name the pack came from.</param>
/// <param name="PackId">The pack id, when known.</param>
/// <param name="RuleId">The rule id, when the problem is inside a rule.</param>
/// <param name="Location">The JSON path (e.g. <c>rules[2].outcome</c>) or the expression field that is wrong.</param>
/// <param name="Line">1-based line in the JSON text, when known.</param>
/// <param name="Position">1-based column in the JSON text, or 0-based character position inside an expression, when known.</param>
/// <param name="Message">What is wrong.</param>
public sealed record RulePackError(string Source, string? PackId, string? RuleId, string Location, int? Line, int? Position, string Message)
{
    /// <summary>A one-line description naming source, pack, rule and position.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Source);
        if (PackId is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $": pack '{PackId}'");
        }

        if (RuleId is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" rule '{RuleId}'");
        }

        if (Location.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" at {Location}");
        }

        if (Line is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (line {Line}, position {Position})");
        }
        else if (Position is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (position {Position})");
        }

        sb.Append(": ").Append(Message);
        return sb.ToString();
    }
}

/// <summary>Thrown when a pack cannot be loaded or compiled; carries every problem found.</summary>
public sealed class RulePackException : Exception
{
    /// <summary>Creates the exception from its errors.</summary>
    /// <param name="errors">The problems found; at least one.</param>
    public RulePackException(IReadOnlyList<RulePackError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<RulePackError> Errors { get; }
}

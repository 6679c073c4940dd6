using System.Globalization;
using System.Text;

namespace TradSys.Workflows.Definitions;

/// <summary>One precise problem with a workflow definition: which definition, state and transition, which field, and what.</summary>
/// <param name="Source">The file or draft the definition came from.</param>
/// <param name="DefinitionId">The definition's id, when known.</param>
/// <param name="Version">Its version, when known.</param>
/// <param name="State">The state the problem is in, when it is in one.</param>
/// <param name="Transition">The transition (<c>trigger -&gt; To</c>) or timer the problem is in, when it is in one.</param>
/// <param name="Location">The JSON path of the field that is wrong, e.g. <c>states[1].transitions[0].guard</c>.</param>
/// <param name="Line">1-based line in the JSON text, when known.</param>
/// <param name="Position">1-based column in the JSON text, or 0-based character position inside a guard, when known.</param>
/// <param name="Message">What is wrong.</param>
public sealed record WorkflowError(string Source, string? DefinitionId, int? Version, string? State, string? Transition, string Location,
    int? Line, int? Position, string Message)
{
    /// <summary>One line naming the source, definition, state, transition, field and position.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Source);
        if (DefinitionId is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $": workflow '{DefinitionId}'");
            if (Version is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $" v{Version}");
            }
        }

        if (State is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" state '{State}'");
        }

        if (Transition is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {Transition}");
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

        return sb.Append(": ").Append(Message).ToString();
    }
}

/// <summary>A definition that cannot be loaded or compiled; carries every problem found.</summary>
public sealed class WorkflowDefinitionException : Exception
{
    /// <summary>Creates the exception from its errors.</summary>
    /// <param name="errors">At least one problem.</param>
    public WorkflowDefinitionException(IReadOnlyList<WorkflowError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<WorkflowError> Errors { get; }
}

using System.Globalization;
using System.Text;

namespace TradSys.Engine.Risk;

/// <summary>One problem with one input of a risk calculation: which input (a parameter name, with an index where it
/// helps, e.g. <c>returns[3, 1]</c>) and what is wrong with it.</summary>
/// <param name="Field">The parameter, as the method names it.</param>
/// <param name="Message">What is wrong, with the value that was given.</param>
public sealed record RiskInputProblem(string Field, string Message);

/// <summary>
/// Thrown by the risk mathematics when inputs are invalid. It lists every problem found at once (so a host can answer
/// with one RFC 7807 document naming each field), and its <see cref="ArgumentException.ParamName"/> is the first.
/// Nothing is computed when it is thrown.
/// </summary>
public sealed class RiskInputException : ArgumentException
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public RiskInputException(IReadOnlyList<RiskInputProblem> problems)
        : base(Describe(problems), problems.Count > 0 ? problems[0].Field : null) => Problems = problems;

    /// <summary>Every problem found, in the order the inputs were checked.</summary>
    public IReadOnlyList<RiskInputProblem> Problems { get; }

    private static string Describe(IReadOnlyList<RiskInputProblem> problems)
    {
        var text = new StringBuilder();
        for (int i = 0; i < problems.Count; i++)
        {
            if (i > 0)
            {
                text.Append("; ");
            }

            text.Append(CultureInfo.InvariantCulture, $"{problems[i].Field}: {problems[i].Message}");
        }

        return text.ToString();
    }
}

/// <summary>Collects input problems and throws them together.</summary>
internal sealed class RiskInputCheck
{
    /// <summary>Beyond this many, a long series with bad values is summarised rather than listed entry by entry.</summary>
    private const int MaxListed = 20;

    private List<RiskInputProblem>? problems;
    private int unlisted;

    public bool HasProblems => problems is not null;

    public IReadOnlyList<RiskInputProblem> Problems => problems is null ? [] : problems;

    public void Add(string field, string message)
    {
        problems ??= [];
        if (problems.Count < MaxListed)
        {
            problems.Add(new RiskInputProblem(field, message));
        }
        else
        {
            unlisted++;
        }
    }

    public void Finite(double value, string field)
    {
        if (!double.IsFinite(value))
        {
            Add(field, Invariant($"must be a finite number, was {value}."));
        }
    }

    public void Positive(double value, string field)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            Add(field, Invariant($"must be a finite number greater than 0, was {value}."));
        }
    }

    public void Confidence(double confidence, string field)
    {
        if (!double.IsFinite(confidence) || confidence <= 0 || confidence >= 1)
        {
            Add(field, Invariant($"must be strictly between 0 and 1 (e.g. 0.99 for 99%), was {confidence}."));
        }
    }

    public void AtLeast(int value, int minimum, string field)
    {
        if (value < minimum)
        {
            Add(field, Invariant($"must be at least {minimum}, was {value}."));
        }
    }

    public void ThrowIfAny()
    {
        if (problems is null)
        {
            return;
        }

        if (unlisted > 0)
        {
            problems.Add(new RiskInputProblem("(more)", Invariant($"{unlisted} further problems of the same kind are not listed.")));
        }

        throw new RiskInputException(problems);
    }

    /// <summary>The exception for a single problem, to throw.</summary>
    public static RiskInputException Error(string field, string message) => new([new RiskInputProblem(field, message)]);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

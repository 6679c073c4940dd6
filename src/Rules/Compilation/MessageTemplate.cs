using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TradSys.Rules.Context;

namespace TradSys.Rules.Compilation;

/// <summary>
/// A rule's message with <c>{Order.Quantity}</c> (context value), <c>{@Name}</c> (parameter) and
/// <c>{X:N2}</c> (format) placeholders, checked at compile time and rendered only when the rule fires.
/// </summary>
internal sealed partial class MessageTemplate
{
    private readonly Segment[] _segments;

    private MessageTemplate(Segment[] segments)
    {
        _segments = segments;
    }

    public static MessageTemplate Parse(string template, IReadOnlyDictionary<string, object> parameters, List<string> problems)
    {
        var segments = new List<Segment>();
        int last = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            if (m.Index > last)
            {
                segments.Add(new Segment(template[last..m.Index], null, null, null));
            }

            string name = m.Groups[1].Value;
            string? format = m.Groups[2].Success ? m.Groups[2].Value : null;
            if (name.StartsWith('@'))
            {
                if (parameters.TryGetValue(name[1..], out object? value))
                {
                    segments.Add(new Segment(null, null, value, format));
                }
                else
                {
                    problems.Add($"message placeholder '{{{name}}}' at position {m.Index} names no parameter of the pack");
                }
            }
            else if (ContextPaths.GetterFor(name) is { } getter)
            {
                segments.Add(new Segment(null, getter, null, format));
            }
            else
            {
                problems.Add($"message placeholder '{{{name}}}' at position {m.Index} names no value of the order context");
            }

            last = m.Index + m.Length;
        }

        if (last < template.Length)
        {
            segments.Add(new Segment(template[last..], null, null, null));
        }

        return new MessageTemplate([.. segments]);
    }

    /// <summary>
    /// Renders a text that may name the pack's parameters only (<c>{@Name}</c>, <c>{@Name:N0}</c>): a rule's regulation label,
    /// which states the limits of the version that fired and so is fixed when the pack compiles. A placeholder naming an
    /// unknown parameter or a value of the order is a problem (<paramref name="field"/> names the text in it).
    /// </summary>
    public static string RenderParameters(string template, string field, IReadOnlyDictionary<string, object> parameters, List<string> problems)
    {
        var sb = new StringBuilder();
        int last = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            sb.Append(template, last, m.Index - last);
            string name = m.Groups[1].Value;
            string? format = m.Groups[2].Success ? m.Groups[2].Value : null;
            if (!name.StartsWith('@'))
            {
                problems.Add($"{field} placeholder '{{{name}}}' at position {m.Index} is not a parameter: the {field} may name the pack's parameters only, as {{@Name}}");
            }
            else if (parameters.TryGetValue(name[1..], out object? value))
            {
                sb.Append(Format(value, format));
            }
            else
            {
                problems.Add($"{field} placeholder '{{{name}}}' at position {m.Index} names no parameter of the pack");
            }

            last = m.Index + m.Length;
        }

        sb.Append(template, last, template.Length - last);
        return sb.ToString();
    }

    public string Render(OrderContext context)
    {
        var sb = new StringBuilder();
        foreach (Segment s in _segments)
        {
            if (s.Text is not null)
            {
                sb.Append(s.Text);
                continue;
            }

            object? value = s.Getter is not null ? s.Getter(context) : s.Constant;
            sb.Append(Format(value, s.Format));
        }

        return sb.ToString();
    }

    internal static string Format(object? value, string? format) => value switch
    {
        null => "",
        string[] list => string.Join(", ", list),
        IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\{(@?[A-Za-z][A-Za-z0-9_.]*)(?::([^}]+))?\}")]
    private static partial Regex Placeholder();

    private sealed record Segment(string? Text, Func<OrderContext, object?>? Getter, object? Constant, string? Format);
}

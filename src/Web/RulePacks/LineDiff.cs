using System.Globalization;
using System.Text;

namespace TradSys.Web.RulePacks;

/// <summary>
/// A line diff in unified format (<c>--- a</c>, <c>+++ b</c>, <c>@@ -l,n +l,n @@</c> hunks with three lines of
/// context), from a longest common subsequence. The common head and tail are stripped first, so an edit to a
/// few lines of a long pack costs little; a middle too large for the table is shown as replaced wholesale.
/// </summary>
public static class LineDiff
{
    /// <summary>Unchanged lines shown around each change.</summary>
    public const int ContextLines = 3;

    /// <summary>The largest LCS table (cells) computed; 4 M ints is 16 MB.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>The diff of <paramref name="from"/> to <paramref name="to"/>; empty text when they are equal.</summary>
    public static (string Text, int Added, int Removed) Unified(string fromName, string toName, IReadOnlyList<string> from, IReadOnlyList<string> to)
    {
        var ops = Edits(from, to);
        var added = ops.Count(o => o.Kind == '+');
        var removed = ops.Count(o => o.Kind == '-');
        if (added == 0 && removed == 0)
        {
            return ("", 0, 0);
        }
        var text = new StringBuilder();
        text.Append("--- ").Append(fromName).Append('\n').Append("+++ ").Append(toName).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }
            // A hunk: from this change to the last change followed by fewer than 2 * context unchanged lines.
            var start = Math.Max(0, i - ContextLines);
            var end = i;
            for (var j = i; j < ops.Count; j++)
            {
                if (ops[j].Kind != ' ')
                {
                    end = j;
                }
                else if (j - end > 2 * ContextLines)
                {
                    break;
                }
            }
            var stop = Math.Min(ops.Count - 1, end + ContextLines);
            int fromBefore = 0, toBefore = 0;
            for (var k = 0; k < start; k++)
            {
                fromBefore += ops[k].Kind != '+' ? 1 : 0;
                toBefore += ops[k].Kind != '-' ? 1 : 0;
            }
            int fromCount = 0, toCount = 0;
            for (var k = start; k <= stop; k++)
            {
                fromCount += ops[k].Kind != '+' ? 1 : 0;
                toCount += ops[k].Kind != '-' ? 1 : 0;
            }
            text.Append(CultureInfo.InvariantCulture,
                $"@@ -{fromBefore + (fromCount > 0 ? 1 : 0)},{fromCount} +{toBefore + (toCount > 0 ? 1 : 0)},{toCount} @@\n");
            for (var k = start; k <= stop; k++)
            {
                text.Append(ops[k].Kind).Append(ops[k].Line).Append('\n');
            }
            i = stop + 1;
        }
        return (text.ToString(), added, removed);
    }

    private static List<(char Kind, string Line)> Edits(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var head = 0;
        while (head < a.Count && head < b.Count && string.Equals(a[head], b[head], StringComparison.Ordinal))
        {
            head++;
        }
        var tail = 0;
        while (tail < a.Count - head && tail < b.Count - head && string.Equals(a[a.Count - 1 - tail], b[b.Count - 1 - tail], StringComparison.Ordinal))
        {
            tail++;
        }
        var ops = new List<(char, string)>(a.Count + b.Count);
        for (var k = 0; k < head; k++)
        {
            ops.Add((' ', a[k]));
        }
        int n = a.Count - head - tail, m = b.Count - head - tail;
        if ((long)(n + 1) * (m + 1) > MaxCells)
        {
            for (var k = 0; k < n; k++)
            {
                ops.Add(('-', a[head + k]));
            }
            for (var k = 0; k < m; k++)
            {
                ops.Add(('+', b[head + k]));
            }
        }
        else
        {
            // lcs[i * (m + 1) + j]: length of the LCS of a's middle from i and b's middle from j.
            var lcs = new int[(n + 1) * (m + 1)];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    lcs[i * (m + 1) + j] = string.Equals(a[head + i], b[head + j], StringComparison.Ordinal)
                        ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                        : Math.Max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
                }
            }
            int x = 0, y = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && string.Equals(a[head + x], b[head + y], StringComparison.Ordinal))
                {
                    ops.Add((' ', a[head + x]));
                    x++;
                    y++;
                }
                else if (y >= m || (x < n && lcs[(x + 1) * (m + 1) + y] >= lcs[x * (m + 1) + y + 1]))
                {
                    ops.Add(('-', a[head + x]));
                    x++;
                }
                else
                {
                    ops.Add(('+', b[head + y]));
                    y++;
                }
            }
        }
        for (var k = a.Count - tail; k < a.Count; k++)
        {
            ops.Add((' ', a[k]));
        }
        return ops;
    }
}

using TradSys.Web.RulePacks;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>The unified diff behind GET /api/v1/rulepacks/{id}/diff.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void Equal_texts_have_an_empty_diff()
    {
        Assert.Equal(("", 0, 0), LineDiff.Unified("a", "b", ["x", "y"], ["x", "y"]));
    }

    [Fact]
    public void A_changed_line_shows_with_three_lines_of_context_and_line_numbers()
    {
        string[] from = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
        string[] to = ["1", "2", "3", "4", "five", "6", "7", "8", "9"];
        var (text, added, removed) = LineDiff.Unified("a", "b", from, to);
        Assert.Equal((1, 1), (added, removed));
        Assert.Equal("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", text);
    }

    [Fact]
    public void Insertions_and_deletions_far_apart_make_separate_hunks()
    {
        var from = Enumerable.Range(1, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var to = from.ToList();
        to.RemoveAt(2);
        to.Insert(25, "new");
        var (text, added, removed) = LineDiff.Unified("a", "b", from, to);
        Assert.Equal((1, 1), (added, removed));
        Assert.Equal(["@@ -1,6 +1,5 @@", "@@ -24,6 +23,7 @@"], text.Split('\n').Where(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("\n-3\n", text, StringComparison.Ordinal);
        Assert.Contains("\n+new\n", text, StringComparison.Ordinal);
    }
}

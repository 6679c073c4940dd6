using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;

namespace TradSys.Reporting.Reports;

/// <summary>
/// The compliance report: every order the rule packs blocked or held for review on the day, with
/// the rules that fired (pack, version, rule, reason code, regulation, message) and the input values
/// they read. The reviewer column shows what the review recorded; until the review workflow records
/// reviewers it says "not reviewed yet" rather than inventing a name.
/// </summary>
public static class ComplianceReport
{
    /// <summary>What the reviewer column says for a held order without a recorded review.</summary>
    public const string NotReviewedYet = "not reviewed yet";

    /// <summary>What the reviewer column says for a blocked order: a Block is final, nobody reviews it.</summary>
    public const string BlockedNoReview = "none: blocked by the rules";

    private static string Id(long id) => Format.Count(id).Replace(",", "", StringComparison.Ordinal);

    /// <summary>Builds the document body for the data.</summary>
    public static IReadOnlyList<Block> Build(ComplianceData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var blocked = data.Decisions.Count(d => d.Outcome == "Block");
        var review = data.Decisions.Count(d => d.Outcome == "Review");
        // A rule's label states the limits of the version that fired (stored with each decision): two versions with different
        // limits are two rows, each with its own label, never one row under the first label found.
        var byRule = data.Decisions.SelectMany(d => d.Rules.Where(r => r.Outcome is "Block" or "Review"))
            .GroupBy(r => (r.ReasonCode, r.Regulation)).OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key.ReasonCode, StringComparer.Ordinal).ThenBy(g => g.Key.Regulation, StringComparer.Ordinal).ToList();
        var blocks = new List<Block>
        {
            new Facts(
            [
                new("Day", $"{Format.Date(data.BusinessDate)} ({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)})"),
                new("Orders blocked", Format.Count(blocked)),
                new("Orders held for review", Format.Count(review)),
                new("Reviewer", $"Reviews are recorded by the review workflow; a held order without a recorded review shows \"{NotReviewedYet}\", " +
                    $"a blocked order (final, never reviewed) \"{BlockedNoReview}\"."),
            ]),
            new Heading("Rules that blocked or held orders"),
            new Table([new("Reason code", 2f), new("Regulation", 3f), new("Orders", 0.8f, CellAlign.Right)],
                byRule.Select(g => (IReadOnlyList<string>)[g.Key.ReasonCode, g.Key.Regulation, Format.Count(g.Count())]),
                ["Total", "", Format.Count(byRule.Sum(g => g.Count()))]),
            new Heading("Orders and decisions"),
            new Table(
                [
                    new("Order", 0.8f), new("Decided (UTC)", 1.3f), new("Account", 2.2f), new("Order terms", 2f), new("Outcome", 0.9f),
                    new("Status now", 1.35f), new("Reviewer", 1.2f),
                ],
                data.Decisions.Select(d => (IReadOnlyList<string>)
                [
                    Id(d.OrderId), Format.Utc(d.DecidedAtUtc), Format.Party(d.Account),
                    $"{d.Side} {Format.Count(d.Quantity)} {d.Symbol}" + (d.Price is { } p ? $" @ {Format.Price(p)}" : " at market"),
                    d.Outcome, d.Status, d.Reviewer ?? (d.Outcome == "Block" ? BlockedNoReview : NotReviewedYet),
                ]),
                ["Total", "", "", "", Format.Count(data.Decisions.Count), "", ""]),
            new Heading("Rules fired, with their explanation and the inputs they read"),
            new Table(
                [new("Order", 0.8f), new("Rule", 2.4f), new("Explanation", 3.2f), new("Inputs read", 2.6f)],
                data.Decisions.SelectMany(d => d.Rules.Count == 0
                    ? [(IReadOnlyList<string>)[Id(d.OrderId), "(no rule)", $"the decision could not be computed: {d.Fault}", ""]]
                    : d.Rules.Select(r => (IReadOnlyList<string>)
                    [
                        Id(d.OrderId), $"{r.Outcome} {r.ReasonCode}\n{r.PackId} {r.PackVersion}, {r.RuleId}\n{r.Regulation}", r.Message,
                        string.Join("\n", r.Inputs),
                    ]))),
        };
        return blocks;
    }
}

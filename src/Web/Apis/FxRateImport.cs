using System.Globalization;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>What one line of an FX rate file does: Add (a currency without a rate), Change or Unchanged (the rate in force already).</summary>
/// <param name="Line">The line of the file (the header is line 1).</param>
/// <param name="Currency">The line's currency (ISO 4217).</param>
/// <param name="Action">Add, Change or Unchanged.</param>
/// <param name="UsdPerUnitBefore">US dollars per unit in force before (null for a currency the line adds).</param>
/// <param name="UsdPerUnitAfter">US dollars per unit after the import.</param>
/// <param name="EurPerUnitAfter">Euros per unit after the import (derived from EUR/USD).</param>
/// <param name="AsOf">The date the line's rate is for.</param>
/// <param name="Source">Where the line's rate comes from.</param>
/// <param name="Version">The version the line gave the currency's rate (null in a dry run and for a line that changes nothing).</param>
public sealed record FxRateImportLine(int Line, string Currency, string Action, decimal? UsdPerUnitBefore, decimal UsdPerUnitAfter, decimal EurPerUnitAfter,
    DateOnly AsOf, string Source, int? Version);

/// <summary>
/// What an FX rate import did or, in a dry run, would do: the count of each action, every line, and every currency whose rates change (a
/// line for EUR derives every euro rate again, so it changes currencies the file does not name) with the versions written.
/// </summary>
public sealed record FxRateImportResponse(bool DryRun, int Added, int Changed, int Unchanged, IReadOnlyList<FxRateImportLine> Lines,
    IReadOnlyList<FxRateChangeLine> Changes, IReadOnlyList<FxRateVersionView> Versions);

/// <summary>
/// Many currencies' reference FX rates from a CSV file (issue 14): the day's fixing of every currency typed once into a spreadsheet instead
/// of one PUT per currency. Columns <c>currency</c> and <c>usdPerUnit</c> (required), <c>asOf</c>, <c>source</c>, <c>reason</c>, each the
/// field of <see cref="FxRateRequest"/> of that name; one line per currency. Each line is checked as PUT checks one rate
/// (<see cref="FxRateForm.CheckEntry"/>), except that a currency without a rate is added by its line (as POST /api/v1/fx-rates adds one).
/// The rates after the whole file are worked out at once (<see cref="FxRateForm.Apply"/>), so a file with EUR derives every euro rate from
/// its EUR/USD, its own lines included. Pure: the rates in force come in.
/// </summary>
internal static class FxRateImport
{
    /// <summary>The largest file taken (413 beyond it).</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>The most lines one import takes: more than the active ISO 4217 currencies, one line each.</summary>
    public const int MaxLines = 300;

    private static readonly CsvImport.Layout Layout = new(
        [("currency", CsvImport.Kind.Text), ("usdPerUnit", CsvImport.Kind.Amount), ("asOf", CsvImport.Kind.Date), ("source", CsvImport.Kind.Text),
         ("reason", CsvImport.Kind.Text)],
        ["currency", "usdPerUnit"], "rate", MaxLines);

    /// <summary>The columns, in the order of the documented header.</summary>
    public static IReadOnlyList<string> Columns => Layout.Names;

    /// <summary>The columns every file must have.</summary>
    public static IReadOnlyList<string> RequiredColumns => Layout.Required;

    /// <summary>A checked file: each line's rate asked for, and every currency's rates after the whole file.</summary>
    public sealed record Plan(IReadOnlyList<(int Line, FxRateForm.Entry Entry)> Entries, IReadOnlyList<FxRateForm.Rate> Rates);

    /// <summary>
    /// Reads and checks the file against <paramref name="inForce"/>; <paramref name="reason"/> (the query's) stands for an empty reason cell.
    /// Every problem of the file and of its lines is listed by line and column; the plan is null when there is any.
    /// </summary>
    public static (Plan? Plan, List<CsvImport.Problem> Problems) Read(string csv, string? reason, IReadOnlyList<FxRate> inForce, DateOnly today, string actor)
    {
        var (lines, problems) = CsvImport.Read(csv, Layout);
        var entries = new List<(int Line, FxRateForm.Entry Entry)>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var f = line.Fields;
            var request = new FxRateRequest(f["usdPerUnit"]?.GetValue<decimal>(), (string?)f["asOf"], (string?)f["source"],
                (string?)f["reason"] ?? reason);
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var entry = FxRateForm.CheckEntry(errors, (string?)f["currency"], request, inForce, today, "import: " + actor, FxRateForm.Mode.ChangeOrAdd);
            foreach (var (column, messages) in errors)
            {
                // A cell that could not be read is listed already ("'abc' is not an amount"); "is required" would only repeat it.
                if (!line.UnreadColumns.Contains(column))
                {
                    problems.AddRange(messages.Select(m => new CsvImport.Problem(line.Number, column,
                        column == "reason" && m.StartsWith("is required", StringComparison.Ordinal) ? m + " (a reason cell, or reason in the query for every line)" : m)));
                }
            }
            if (entry is null)
            {
                continue;
            }
            if (firstLine.TryGetValue(entry.Currency, out var first))
            {
                problems.Add(new(line.Number, "currency", string.Create(CultureInfo.InvariantCulture,
                    $"{entry.Currency} is on line {first} already: one line per currency")));
                continue;
            }
            firstLine[entry.Currency] = line.Number;
            entries.Add((line.Number, entry));
        }
        if (problems.Count > 0 || entries.Count == 0)
        {
            return (null, problems);
        }
        var (rates, rateProblems) = FxRateForm.Apply(inForce, [.. entries.Select(e => e.Entry)]);
        problems.AddRange(rateProblems.Select(p => new CsvImport.Problem(firstLine[p.Currency], "usdPerUnit", p.Message)));
        return problems.Count > 0 ? (null, problems) : (new Plan(entries, rates), problems);
    }
}

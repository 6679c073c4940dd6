using System.Globalization;
using System.Text.RegularExpressions;

namespace TradSys.Web.Apis;

/// <summary>What one line of a holiday file does to the calendar, as the import answers it.</summary>
/// <param name="Line">The line of the file (the header is line 1).</param>
/// <param name="Date">The venue-local date, yyyy-MM-dd.</param>
/// <param name="Kind">Holiday or HalfDay, what the date is after the import (null when it is removed).</param>
/// <param name="Name">The holiday's or half day's name (null when it is removed).</param>
/// <param name="CloseAt">The half day's early close, HH:mm (null otherwise).</param>
/// <param name="Action">Add (a date the calendar did not have), Change (it had the date, differently), Remove, or Unchanged.</param>
/// <param name="Before">What the calendar had on the date before ("Holiday: name", "HalfDay 13:00: name"), or null.</param>
public sealed record VenueHolidayImportLine(int Line, string Date, string? Kind, string? Name, string? CloseAt, string Action, string? Before);

/// <summary>
/// What a holiday import did or, in a dry run, would do: the calendar's version after it (the same as before in a dry run or when
/// nothing changed), the count of each action and every line.
/// </summary>
public sealed record VenueHolidayImportResponse(bool DryRun, string Venue, int Version, int Added, int Changed, int Removed, int Unchanged,
    IReadOnlyList<VenueHolidayImportLine> Lines);

/// <summary>
/// A venue's holidays and half days from a CSV file (issue 14): the exchange's notice of next year's holidays, or of an Eid moved by
/// the moon's sighting, typed once into a spreadsheet instead of into the calendar form entry by entry. Columns <c>date</c> and
/// <c>name</c> (required), <c>closeAt</c> (a half day's early close; empty for a holiday) and <c>action</c> (<c>set</c>, the default:
/// the date becomes this holiday or half day, replacing what the calendar had on it; <c>remove</c>: the date is neither any more).
/// Dates the file does not name keep what the calendar has, as do the time zone, trading days and sessions. The merged calendar is
/// checked as a whole with <see cref="VenueCalendarForm.Check"/>, whose problems are given back by the line and column they came
/// from, so the file is refused (every problem at once, nothing stored) exactly when the same calendar sent by PUT would be.
/// </summary>
internal static partial class VenueHolidayImport
{
    public const int MaxBytes = 256 * 1024;
    public const string Set = "set";
    public const string Remove = "remove";

    private static readonly CsvImport.Layout Layout = new(
        [("date", CsvImport.Kind.Date), ("name", CsvImport.Kind.Text), ("closeAt", CsvImport.Kind.Text), ("action", CsvImport.Kind.Text)],
        ["date"], "holiday", VenueCalendarForm.MaxEntries);

    /// <summary>The columns, in the order of the documented header.</summary>
    public static IReadOnlyList<string> Columns => Layout.Names;

    /// <summary>The calendar after the file (to send as PUT would), and what each line does; or every problem, by line and column.</summary>
    public sealed record Plan(VenueCalendarRequest Calendar, IReadOnlyList<VenueHolidayImportLine> Lines)
    {
        public bool Changes => Lines.Any(l => l.Action != "Unchanged");
    }

    /// <summary>
    /// Reads the file and merges it into <paramref name="current"/> (the calendar as GET answers it). Problems of the file, of its lines
    /// and of the calendar they make are all listed (line 0 for the reason, which is not in the file).
    /// </summary>
    public static (Plan? Plan, List<CsvImport.Problem> Problems) Read(string csv, VenueCalendarResponse current, string? reason)
    {
        var (lines, problems) = CsvImport.Read(csv, Layout);
        if (lines.Count == 0)
        {
            return (null, problems);
        }
        var holidays = current.Holidays.ToDictionary(h => h.Date!, StringComparer.Ordinal);
        var halfDays = current.HalfDays.ToDictionary(h => h.Date!, StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = new List<(int Line, string Date, VenueHolidayRequest? Holiday, VenueHalfDayRequest? HalfDay, string Action, string? Before)>();
        foreach (var line in lines)
        {
            var date = (string?)line.Fields["date"];
            var name = (string?)line.Fields["name"];
            var closeAt = (string?)line.Fields["closeAt"];
            var action = ((string?)line.Fields["action"])?.ToLowerInvariant() ?? Set;
            if (date is null)
            {
                if (!line.UnreadColumns.Contains("date"))
                {
                    problems.Add(new(line.Number, "date", "is required: the venue-local date, yyyy-MM-dd"));
                }
                continue;
            }
            if (firstLine.TryGetValue(date, out var first))
            {
                problems.Add(new(line.Number, "date", string.Create(CultureInfo.InvariantCulture, $"{date} is on line {first} already: one line per date")));
                continue;
            }
            firstLine[date] = line.Number;
            var h = holidays.GetValueOrDefault(date);
            var hd = halfDays.GetValueOrDefault(date);
            var before = h is not null ? $"Holiday: {h.Name}" : hd is not null ? $"HalfDay {hd.CloseAt}: {hd.Name}" : null;
            if (action == Remove)
            {
                if (name is not null || closeAt is not null)
                {
                    problems.Add(new(line.Number, name is not null ? "name" : "closeAt", "must be empty on a line that removes its date"));
                }
                entries.Add((line.Number, date, null, null, before is null ? "Unchanged" : "Remove", before));
                continue;
            }
            if (action != Set)
            {
                problems.Add(new(line.Number, "action", $"'{line.Fields["action"]}' is not an action: '{Set}' (the default) or '{Remove}'"));
                continue;
            }
            if (name is null)
            {
                problems.Add(new(line.Number, "name", "is required: the holiday's name as the exchange gives it (e.g. 'Eid al-Fitr')"));
                continue;
            }
            VenueHolidayRequest? holiday = closeAt is null ? new(date, name) : null;
            VenueHalfDayRequest? halfDay = closeAt is null ? null : new(date, closeAt, name);
            var same = holiday is not null
                ? h is not null && h.Name == name
                : hd is not null && hd.Name == name && SameTime(hd.CloseAt, closeAt!);
            entries.Add((line.Number, date, holiday, halfDay, before is null ? "Add" : same ? "Unchanged" : "Change", before));
        }
        // The merged lists: the calendar's dates the file does not name, then the file's, so that an index past the calendar's own
        // entries is a line of the file.
        var named = firstLine.Keys.ToHashSet(StringComparer.Ordinal);
        var keptHolidays = current.Holidays.Where(x => !named.Contains(x.Date!)).ToList();
        var keptHalfDays = current.HalfDays.Where(x => !named.Contains(x.Date!)).ToList();
        var mergedHolidays = new List<VenueHolidayRequest?>(keptHolidays);
        var mergedHalfDays = new List<VenueHalfDayRequest?>(keptHalfDays);
        var holidayLines = new List<int>();
        var halfDayLines = new List<int>();
        foreach (var e in entries)
        {
            if (e.Holiday is not null)
            {
                mergedHolidays.Add(e.Holiday);
                holidayLines.Add(e.Line);
            }
            else if (e.HalfDay is not null)
            {
                mergedHalfDays.Add(e.HalfDay);
                halfDayLines.Add(e.Line);
            }
        }
        var calendar = new VenueCalendarRequest(current.TimeZone, [.. current.TradingDays], [.. current.Sessions],
            mergedHolidays, mergedHalfDays, reason);
        foreach (var (field, messages) in VenueCalendarForm.Check(calendar))
        {
            var (lineNumber, column) = Locate(field, keptHolidays.Count, holidayLines, keptHalfDays.Count, halfDayLines);
            problems.AddRange(messages.Select(m => new CsvImport.Problem(lineNumber, column, lineNumber == 0 && column != "reason" ? $"{field}: {m}" : m)));
        }
        var answered = entries.Select(e => new VenueHolidayImportLine(e.Line, e.Date,
            e.Holiday is not null ? "Holiday" : e.HalfDay is not null ? "HalfDay" : null,
            (e.Holiday?.Name ?? e.HalfDay?.Name)?.Trim(), e.HalfDay?.CloseAt?.Trim(), e.Action, e.Before)).ToList();
        return problems.Count > 0 ? (null, problems) : (new Plan(calendar, answered), problems);
    }

    /// <summary>The line and column of a problem the calendar's check keyed by field (holidays[3].name).</summary>
    private static (int Line, string Column) Locate(string field, int keptHolidays, List<int> holidayLines, int keptHalfDays, List<int> halfDayLines)
    {
        var match = Indexed().Match(field);
        if (!match.Success)
        {
            return (0, field == "reason" ? "reason" : "file");
        }
        var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
        var (kept, lines) = match.Groups["list"].Value == "holidays" ? (keptHolidays, holidayLines) : (keptHalfDays, halfDayLines);
        return index >= kept && index - kept < lines.Count ? (lines[index - kept], match.Groups["column"].Value) : (0, "file");
    }

    private static bool SameTime(string? stored, string sent) =>
        TimeOnly.TryParse(sent.Trim(), CultureInfo.InvariantCulture, out var t) && VenueCalendarForm.Format(t) == stored;

    [GeneratedRegex(@"^(?<list>holidays|halfDays)\[(?<index>\d+)\]\.(?<column>date|name|closeAt)$", RegexOptions.CultureInvariant)]
    private static partial Regex Indexed();
}

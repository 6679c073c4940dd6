using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradSys.Web.Apis;

/// <summary>
/// Reads a CSV file of records to import (RFC 4180: comma-separated, fields with commas, quotes or line breaks in double quotes, a
/// quote doubled inside them; UTF-8, a byte-order mark allowed) into one JSON object per line after the header, keyed by the column
/// names of the header, which name fields of the API's request by their JSON name, in any order (a dotted name such as
/// <c>sharia.asOf</c> is a nested field). A cell left empty is left out ("not on file"). Cells are typed by their column: true/false,
/// whole and decimal numbers with a dot, dates as yyyy-MM-dd, names separated by ';'. Shared by the account and the instrument
/// imports (issue 14); each checks the objects with its API's form.
/// </summary>
internal static class CsvImport
{
    /// <summary>
    /// Declares an import's CSV body in the API contract, described by <paramref name="description"/>. (Accepts("text/csv") would
    /// also make routing answer another media type with a bare 415; each import's handler answers with its own 415 saying what it takes.)
    /// </summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> RequestBody(string description) =>
        (operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true, Description = description,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
            return Task.CompletedTask;
        };

    /// <summary>How a column's cells are read.</summary>
    public enum Kind
    {
        Text,
        Flag,
        WholeNumber,
        Amount,
        Date,
        Names,
    }

    /// <summary>One problem: the line of the file (the header is line 1), the column (or "header", "file", "line") and what is wrong.</summary>
    public sealed record Problem(int Line, string Column, string Message);

    /// <summary>One line after the header: its number, its cells as a request object, and the columns whose cells could not be read.</summary>
    public sealed record Line(int Number, JsonObject Fields, IReadOnlySet<string> UnreadColumns);

    /// <summary>What a file holds: the columns it may have, those it must have, and what one line is called ("account").</summary>
    public sealed record Layout(IReadOnlyList<(string Name, Kind Kind)> Columns, IReadOnlyList<string> Required, string Noun, int MaxLines)
    {
        /// <summary>The column names, in the order of the documented header.</summary>
        public IReadOnlyList<string> Names { get; } = [.. Columns.Select(c => c.Name)];
    }

    /// <summary>
    /// Reads the file. Problems of the header stop there (no line is read); problems of cells are listed with the line and the
    /// column, and the line is still read (its other cells are checked too).
    /// </summary>
    public static (List<Line> Lines, List<Problem> Problems) Read(string csv, Layout layout)
    {
        var problems = new List<Problem>();
        var lines = new List<Line>();
        var records = Records(csv.TrimStart('\uFEFF'), problems);
        if (problems.Count > 0)
        {
            return (lines, problems);
        }
        if (records.Count == 0)
        {
            problems.Add(new(1, "header", $"the file is empty: its first line names the columns ({string.Join(",", layout.Names)})"));
            return (lines, problems);
        }
        var header = records[0].Cells.Select(c => c.Trim()).ToList();
        var kinds = layout.Columns.ToDictionary(c => c.Name, c => c.Kind, StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var column = header[i];
            if (!kinds.ContainsKey(column))
            {
                var near = layout.Names.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
                problems.Add(new(1, column.Length == 0 ? Ordinal(i) : column, near is not null
                    ? $"'{column}' is not a column: column names are case-sensitive (did you mean '{near}'?)"
                    : $"'{column}' is not a column: the columns are {string.Join(", ", layout.Names)}"));
            }
            else if (header.IndexOf(column) != i)
            {
                problems.Add(new(1, column, $"'{column}' is named twice (columns {header.IndexOf(column) + 1} and {i + 1})"));
            }
        }
        foreach (var required in layout.Required.Where(c => !header.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add(new(1, required, $"is missing from the header: every {layout.Noun} needs it"));
        }
        if (problems.Count > 0)
        {
            return (lines, problems);
        }
        var body = records.Skip(1).Where(r => !r.Cells.All(string.IsNullOrWhiteSpace)).ToList();
        if (body.Count == 0)
        {
            problems.Add(new(1, "file", $"has a header but no {layout.Noun}: add one line per {layout.Noun} after it"));
            return (lines, problems);
        }
        if (body.Count > layout.MaxLines)
        {
            problems.Add(new(body[layout.MaxLines].Line, "file", string.Create(CultureInfo.InvariantCulture,
                $"has {body.Count} {layout.Noun}s; one import takes at most {layout.MaxLines}: split the file")));
            return (lines, problems);
        }
        foreach (var record in body)
        {
            if (record.Cells.Count != header.Count)
            {
                problems.Add(new(record.Line, "line", string.Create(CultureInfo.InvariantCulture,
                    $"has {record.Cells.Count} cells but the header names {header.Count} columns (a comma inside a value needs the value in double quotes)")));
                continue;
            }
            var json = new JsonObject();
            var unread = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                var column = header[i];
                var cell = record.Cells[i].Trim();
                if (cell.Length == 0)
                {
                    continue;
                }
                var (value, problem) = Cell(kinds[column], cell);
                if (problem is null)
                {
                    Set(json, column, value);
                }
                else
                {
                    unread.Add(column);
                    problems.Add(new(record.Line, column, problem));
                }
            }
            lines.Add(new Line(record.Line, json, unread));
        }
        return (lines, problems);
    }

    /// <summary>Sets a field, a dotted name in its nested object (sharia.asOf is asOf of sharia).</summary>
    private static void Set(JsonObject json, string column, JsonNode? value)
    {
        var dot = column.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            json[column] = value;
            return;
        }
        var parent = column[..dot];
        if (json[parent] is not JsonObject nested)
        {
            nested = [];
            json[parent] = nested;
        }
        Set(nested, column[(dot + 1)..], value);
    }

    private static string Ordinal(int index) => string.Create(CultureInfo.InvariantCulture, $"column {index + 1}");

    private static (JsonNode? Value, string? Problem) Cell(Kind kind, string cell)
    {
        switch (kind)
        {
            case Kind.Text:
                return (JsonValue.Create(cell), null);
            case Kind.Flag:
                return string.Equals(cell, "true", StringComparison.OrdinalIgnoreCase) ? (JsonValue.Create(true), null)
                    : string.Equals(cell, "false", StringComparison.OrdinalIgnoreCase) ? (JsonValue.Create(false), null)
                    : (null, $"'{cell}' is not true or false");
            case Kind.WholeNumber:
                return long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? (JsonValue.Create(whole), null)
                    : (null, $"'{cell}' is not a whole number");
            case Kind.Amount:
                return decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                    ? (JsonValue.Create(amount), null)
                    : (null, $"'{cell}' is not an amount: digits with a dot for decimals and no thousands separator (e.g. 250000.50)");
            case Kind.Date:
                return DateOnly.TryParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (null, $"'{cell}' is not a date as yyyy-MM-dd (e.g. 2025-03-15)");
            case Kind.Names:
                return (new JsonArray([.. cell.Split(';').Select(n => (JsonNode?)JsonValue.Create(n.Trim()))]), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>
    /// Every problem of an import at once, ordered by line: <c>errors</c> keyed "line N: column" (or the bare name of a problem that
    /// is not on a line of the file, line 0, such as the reason given as a query parameter) and the <c>problems</c> list
    /// [{line, column, message}]. 400 answers a validation problem; another status (409 for a file overtaken since its dry run) a
    /// problem with the same two extensions.
    /// </summary>
    public static IResult Answer(int status, string title, IEnumerable<Problem> problems, string then)
    {
        var ordered = problems.OrderBy(p => p.Line).ToList();
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in ordered)
        {
            Http.FieldProblems.Add(errors, p.Line == 0 ? p.Column : string.Create(CultureInfo.InvariantCulture, $"line {p.Line}: {p.Column}"), p.Message);
        }
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{ordered.Count} problem(s) on {ordered.Where(p => p.Line > 0).Select(p => p.Line).Distinct().Count()} line(s); {then}");
        var byField = errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
        return status == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(byField, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["problems"] = ordered })
            : TypedResults.Problem(statusCode: status, title: title, detail: detail,
                extensions: new Dictionary<string, object?> { ["errors"] = byField, ["problems"] = ordered });
    }

    /// <summary>One record of the file as read: its first line's number and its cells.</summary>
    internal sealed record Record(int Line, List<string> Cells);

    /// <summary>RFC 4180 records, each with the line it starts on; an unterminated quote is a problem of the line it opened on.</summary>
    internal static List<Record> Records(string csv, List<Problem> problems)
    {
        var records = new List<Record>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var quoteLine = 0;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when cell.ToString().Trim().Length == 0:
                    quoted = true;
                    quoteLine = line;
                    cell.Clear();
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    records.Add(new Record(recordLine, cells));
                    cells = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (quoted)
        {
            problems.Add(new(quoteLine, "line", "a double quote opens a value that is never closed (a quote inside a quoted value is written twice: \"\")"));
            return records;
        }
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            records.Add(new Record(recordLine, cells));
        }
        return records;
    }
}

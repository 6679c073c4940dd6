namespace TradSys.Reporting.Documents;

/// <summary>
/// A report as the document layer sees it: what every page's header and footer say, the PDF
/// metadata, and the body as a sequence of blocks that flow over as many pages as they need.
/// </summary>
/// <param name="Page">Header, footer and metadata facts.</param>
/// <param name="Blocks">The body, top to bottom. Table rows may be a lazy sequence: they are read once.</param>
public sealed record ReportDocument(PageTemplate Page, IReadOnlyList<Block> Blocks);

/// <summary>What every page repeats, and the PDF metadata.</summary>
/// <param name="Firm">The reporting firm (header, left; PDF author).</param>
/// <param name="Regulator">The regulator the report is for (header, right).</param>
/// <param name="Title">The report's title (header; PDF title).</param>
/// <param name="Subject">One line on what the report covers (under the title; PDF subject).</param>
/// <param name="ReportId">The generated report's id (footer).</param>
/// <param name="DataSha256">SHA-256 (hex) of the data the report was built from (footer), so a reader can check it against the source.</param>
/// <param name="GeneratedAt">Generation time (footer; PDF creation date). The only input that differs between two renderings of the same data.</param>
public sealed record PageTemplate(
    string Firm, string Regulator, string Title, string Subject, string ReportId, string DataSha256, DateTimeOffset GeneratedAt);

/// <summary>A piece of the body.</summary>
public abstract record Block;

/// <summary>A section heading (kept with at least a few lines of what follows).</summary>
/// <param name="Text">The heading.</param>
public sealed record Heading(string Text) : Block;

/// <summary>Flowing text, wrapped at word boundaries to the page width.</summary>
/// <param name="Text">The paragraph; Arabic runs are shaped right to left.</param>
public sealed record Paragraph(string Text) : Block;

/// <summary>Label and value pairs in two columns (report parameters, verification results).</summary>
/// <param name="Items">The pairs, in order.</param>
public sealed record Facts(IReadOnlyList<KeyValuePair<string, string>> Items) : Block;

/// <summary>
/// A table that breaks across pages, repeating its header row at the top of each page. Cells wrap
/// within their column; a row never splits across pages.
/// </summary>
/// <param name="Columns">Headers, relative widths and alignment.</param>
/// <param name="Rows">The rows, each with one cell per column; read once, in order.</param>
/// <param name="Totals">An optional totals row, drawn in bold after the last row.</param>
public sealed record Table(IReadOnlyList<TableColumn> Columns, IEnumerable<IReadOnlyList<string>> Rows, IReadOnlyList<string>? Totals = null) : Block;

/// <summary>A table column.</summary>
/// <param name="Header">Header text.</param>
/// <param name="Weight">Relative width (the columns share the page width in proportion).</param>
/// <param name="Align">Alignment of the cells; an Arabic cell is always right-aligned.</param>
public sealed record TableColumn(string Header, float Weight, CellAlign Align = CellAlign.Left);

/// <summary>Horizontal alignment in a table cell.</summary>
public enum CellAlign
{
    /// <summary>Text.</summary>
    Left,
    /// <summary>Numbers.</summary>
    Right,
}

/// <summary>A bar chart drawn with ScottPlot as vectors into the page.</summary>
/// <param name="Title">Chart title.</param>
/// <param name="Labels">Category labels (x axis).</param>
/// <param name="Values">One value per label.</param>
/// <param name="ValueAxis">Label of the value axis.</param>
/// <param name="Height">Height on the page in points.</param>
public sealed record BarChart(string Title, IReadOnlyList<string> Labels, IReadOnlyList<double> Values, string ValueAxis, float Height = 220) : Block;

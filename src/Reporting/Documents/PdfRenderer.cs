using System.Globalization;
using SkiaSharp;

namespace TradSys.Reporting.Documents;

/// <summary>
/// Renders a <see cref="ReportDocument"/> to PDF with SkiaSharp's PDF backend: A4 portrait pages
/// with a header (firm, regulator, title, subject) and a footer (report id, SHA-256 of the data,
/// generation time, "Page X of Y"). The body is laid out first (so the page count is known), then
/// drawn. Given the same document the output is the same; only <see cref="PageTemplate.GeneratedAt"/>
/// varies between runs. Not thread-safe: use one renderer per rendering.
/// </summary>
public sealed class PdfRenderer : IDisposable
{
    /// <summary>A4 width in points.</summary>
    public const float PageWidth = 595.28f;
    /// <summary>A4 height in points.</summary>
    public const float PageHeight = 841.89f;
    private const float Margin = 42f;
    private const float BodyTop = 112f;
    private const float BodyBottom = PageHeight - 66f;
    private const float ContentWidth = PageWidth - (2 * Margin);
    private const float BodySize = 9.5f;
    private const float BodyLine = 13.5f;
    private const float TableSize = 7.8f;
    private const float TableLine = 10.2f;
    private const float CellPad = 3f;

    private static readonly SKColor Ink = new(0x1F, 0x23, 0x28);
    private static readonly SKColor Muted = new(0x5B, 0x63, 0x6E);
    private static readonly SKColor RuleColor = new(0x9A, 0xA3, 0xAE);
    private static readonly SKColor HeaderFill = new(0xE4, 0xE9, 0xF0);
    private static readonly SKColor StripeFill = new(0xF6, 0xF8, 0xFA);

    private readonly ReportFonts fonts;
    private readonly TextShaper layoutShaper;
    // Layout measures with the whole fonts; drawing shapes with the rendering's subset (same metrics, fewer glyphs).
    private TextShaper shaper;

    /// <summary>Creates a renderer drawing with the given fonts.</summary>
    public PdfRenderer(ReportFonts fonts)
    {
        this.fonts = fonts;
        shaper = layoutShaper = new TextShaper(fonts);
    }

    /// <summary>Lays out and writes the document as PDF to <paramref name="output"/>; returns the number of pages.</summary>
    public int Render(ReportDocument document, Stream output)
    {
        ArgumentNullException.ThrowIfNull(document);
        var pages = Layout(document.Blocks);
        var t = document.Page;
        var metadata = new SKDocumentPdfMetadata
        {
            Title = t.Title,
            Author = t.Firm,
            Subject = t.Subject,
            Keywords = $"{t.Regulator}; report {t.ReportId}; data SHA-256 {t.DataSha256}",
            Creator = "TradSys reporting",
            Producer = "TradSys (SkiaSharp PDF)",
            Creation = t.GeneratedAt.UtcDateTime,
            Modified = t.GeneratedAt.UtcDateTime,
        };
        // Every character the pages will draw is known once the body is laid out: embed only those glyphs.
        using var subset = fonts.SubsetFor(Codepoints(t, pages));
        using var subsetShaper = subset is null ? null : new TextShaper(subset);
        shaper = subsetShaper ?? layoutShaper;
        try
        {
            using var pdf = SKDocument.CreatePdf(output, metadata);
            using var paint = new SKPaint { IsAntialias = true };
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = pdf.BeginPage(PageWidth, PageHeight);
                DrawHeader(canvas, t, paint);
                foreach (var op in pages[i])
                {
                    op.Draw(canvas, paint, this);
                }
                DrawFooter(canvas, t, i + 1, pages.Count, paint);
                pdf.EndPage();
            }
            pdf.Close();
        }
        finally
        {
            shaper = layoutShaper;
        }
        return pages.Count;
    }

    /// <summary>
    /// The code points the document draws: printable ASCII always (page numbers, times, hashes, chart tick labels), every
    /// character of the template and the laid-out text, and for Arabic text the presentation forms, which the PDF's text
    /// layer maps shaped glyphs back to (initial, medial, final and isolated forms, lam-alef, and the Allah ligature).
    /// </summary>
    private static HashSet<int> Codepoints(PageTemplate t, List<List<DrawOp>> pages)
    {
        var set = new HashSet<int>(Enumerable.Range(0x20, 0x7F - 0x20));
        var arabic = false;
        void Add(string text)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                if (set.Add(rune.Value) && rune.IsBmp && TextShaper.IsArabic((char)rune.Value))
                {
                    arabic = true;
                }
            }
        }
        foreach (var text in new[] { t.Firm, t.Regulator, t.Title, t.Subject, t.ReportId, t.DataSha256 })
        {
            Add(text);
        }
        foreach (var op in pages.SelectMany(p => p))
        {
            switch (op)
            {
                case TextOp text:
                    Add(text.Text);
                    break;
                case ChartOp chart:
                    Add(chart.Chart.Title);
                    Add(chart.Chart.ValueAxis);
                    chart.Chart.Labels.ToList().ForEach(Add);
                    break;
            }
        }
        if (arabic)
        {
            set.UnionWith(Enumerable.Range(0xFE70, 0xFF00 - 0xFE70));
            set.UnionWith(Enumerable.Range(0xFB50, 0xFC00 - 0xFB50));
            set.UnionWith(Enumerable.Range(0xFDF0, 0xFDFE - 0xFDF0));
        }
        return set;
    }

    /// <summary>Renders to a byte array; returns the bytes and the number of pages.</summary>
    public (byte[] Pdf, int Pages) Render(ReportDocument document)
    {
        using var stream = new MemoryStream();
        var pages = Render(document, stream);
        return (stream.ToArray(), pages);
    }

    private void DrawHeader(SKCanvas canvas, PageTemplate t, SKPaint paint)
    {
        Text(canvas, paint, t.Firm, 10f, true, Margin, 50f, Ink);
        // A long addressee ("UAE Ministry of Finance (...); Egypt: ...") is set smaller rather than run into the firm's name.
        var room = ContentWidth - shaper.Measure(t.Firm, 10f, true) - 16f;
        var size = 10f;
        var regulator = shaper.Shape(t.Regulator, size, true);
        while (regulator.Width > room && size > 6.5f)
        {
            size -= 0.5f;
            regulator = shaper.Shape(t.Regulator, size, true);
        }
        paint.Color = Ink;
        regulator.Draw(canvas, PageWidth - Margin - regulator.Width, 50f, paint);
        Text(canvas, paint, t.Title, 14f, true, Margin, 74f, Ink);
        Text(canvas, paint, t.Subject, 8.5f, false, Margin, 89f, Muted);
        Rule(canvas, paint, Margin, 97f, PageWidth - Margin, 97f, 0.8f, RuleColor);
    }

    private void DrawFooter(SKCanvas canvas, PageTemplate t, int page, int pages, SKPaint paint)
    {
        var top = PageHeight - 52f;
        Rule(canvas, paint, Margin, top, PageWidth - Margin, top, 0.6f, RuleColor);
        Text(canvas, paint, $"Report {t.ReportId}", 7f, false, Margin, top + 13f, Muted, mono: true);
        Text(canvas, paint, $"Data SHA-256 {t.DataSha256}", 7f, false, Margin, top + 24f, Muted, mono: true);
        var pageText = shaper.Shape(string.Create(CultureInfo.InvariantCulture, $"Page {page} of {pages}"), 8f, true);
        paint.Color = Ink;
        pageText.Draw(canvas, PageWidth - Margin - pageText.Width, top + 13f, paint);
        var generated = shaper.Shape(
            "Generated " + t.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture), 7f, false);
        paint.Color = Muted;
        generated.Draw(canvas, PageWidth - Margin - generated.Width, top + 24f, paint);
    }

    private void Text(SKCanvas canvas, SKPaint paint, string text, float size, bool bold, float x, float y, SKColor color, bool mono = false)
    {
        paint.Color = color;
        shaper.Shape(text, size, bold, mono).Draw(canvas, x, y, paint);
    }

    private static void Rule(SKCanvas canvas, SKPaint paint, float x1, float y1, float x2, float y2, float width, SKColor color)
    {
        paint.Color = color;
        paint.StrokeWidth = width;
        paint.Style = SKPaintStyle.Stroke;
        canvas.DrawLine(x1, y1, x2, y2, paint);
        paint.Style = SKPaintStyle.Fill;
    }

    // ---- layout -------------------------------------------------------------------------------

    private List<List<DrawOp>> Layout(IReadOnlyList<Block> blocks)
    {
        var state = new LayoutState();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h:
                    LayoutHeading(state, h);
                    break;
                case Paragraph p:
                    LayoutParagraph(state, p.Text);
                    break;
                case Facts f:
                    LayoutFacts(state, f);
                    break;
                case Table table:
                    LayoutTable(state, table);
                    break;
                case BarChart chart:
                    LayoutChart(state, chart);
                    break;
                default:
                    throw new NotSupportedException($"block type {block.GetType().Name} is not supported");
            }
        }
        return state.Pages;
    }

    private void LayoutHeading(LayoutState s, Heading h)
    {
        if (s.Y > BodyTop)
        {
            s.Y += 8f;
        }
        s.EnsureRoom(16f + (4 * BodyLine));
        s.Y += 13f;
        s.Add(new TextOp(h.Text, 11.5f, true, Margin, s.Y, Ink));
        s.Y += 4f;
        s.Add(new RuleOp(Margin, s.Y, Margin + ContentWidth, s.Y, 0.4f, RuleColor));
        s.Y += 4f;
    }

    private void LayoutParagraph(LayoutState s, string text)
    {
        foreach (var line in Wrap(text, ContentWidth, BodySize, false))
        {
            s.EnsureRoom(BodyLine);
            s.Y += BodyLine;
            var x = TextShaper.IsRightToLeft(text) ? Margin + ContentWidth - shaper.Measure(line, BodySize, false) : Margin;
            s.Add(new TextOp(line, BodySize, false, x, s.Y - 3.5f, Ink));
        }
        s.Y += 4f;
    }

    private void LayoutFacts(LayoutState s, Facts f)
    {
        const float labelWidth = 150f;
        foreach (var (label, value) in f.Items)
        {
            var lines = Wrap(value, ContentWidth - labelWidth, BodySize, false);
            s.EnsureRoom(BodyLine * lines.Count);
            s.Add(new TextOp(label, BodySize, true, Margin, s.Y + BodyLine - 3.5f, Muted));
            foreach (var line in lines)
            {
                s.Y += BodyLine;
                var x = TextShaper.IsRightToLeft(line) ? Margin + ContentWidth - shaper.Measure(line, BodySize, false) : Margin + labelWidth;
                s.Add(new TextOp(line, BodySize, false, x, s.Y - 3.5f, Ink));
            }
        }
        s.Y += 4f;
    }

    private void LayoutTable(LayoutState s, Table table)
    {
        var columns = table.Columns;
        var total = columns.Sum(c => c.Weight);
        var widths = columns.Select(c => ContentWidth * c.Weight / total).ToArray();
        var headerLines = columns.Select((c, i) => Wrap(c.Header, widths[i] - (2 * CellPad), TableSize, true)).ToArray();
        var headerHeight = (headerLines.Max(l => l.Count) * TableLine) + (2 * CellPad);

        void Header()
        {
            s.Add(new FillOp(new SKRect(Margin, s.Y, Margin + ContentWidth, s.Y + headerHeight), HeaderFill));
            AddCells(s, columns, widths, headerLines, s.Y, bold: true);
            s.Y += headerHeight;
            s.Add(new RuleOp(Margin, s.Y, Margin + ContentWidth, s.Y, 0.6f, RuleColor));
        }

        var index = 0;
        var headerPlaced = false;
        foreach (var row in table.Rows)
        {
            if (row.Count != columns.Count)
            {
                throw new ArgumentException($"table row {index + 1} has {row.Count} cells, the table has {columns.Count} columns");
            }
            var lines = row.Select((cell, i) => Wrap(cell, widths[i] - (2 * CellPad), TableSize, false)).ToArray();
            var height = (lines.Max(l => l.Count) * TableLine) + (2 * CellPad);
            if (!headerPlaced)
            {
                // The header never stands alone at the foot of a page: it goes where its first row fits.
                s.EnsureRoom(headerHeight + height);
                Header();
                headerPlaced = true;
            }
            else if (s.Y + height > BodyBottom)
            {
                s.NewPage();
                Header();
            }
            if (index % 2 == 1)
            {
                s.Add(new FillOp(new SKRect(Margin, s.Y, Margin + ContentWidth, s.Y + height), StripeFill));
            }
            AddCells(s, columns, widths, lines, s.Y, bold: false);
            s.Y += height;
            index++;
        }
        if (!headerPlaced)
        {
            s.EnsureRoom(headerHeight + TableLine + (2 * CellPad));
            Header();
        }
        if (index == 0)
        {
            s.Y += TableLine + (2 * CellPad);
            s.Add(new TextOp("(no rows)", TableSize, false, Margin + CellPad, s.Y - CellPad - 2.5f, Muted));
        }
        if (table.Totals is { } totals)
        {
            var lines = totals.Select((cell, i) => Wrap(cell, widths[i] - (2 * CellPad), TableSize, true)).ToArray();
            var height = (lines.Max(l => l.Count) * TableLine) + (2 * CellPad);
            if (s.Y + height > BodyBottom)
            {
                s.NewPage();
                Header();
            }
            s.Add(new RuleOp(Margin, s.Y, Margin + ContentWidth, s.Y, 0.8f, Ink));
            AddCells(s, columns, widths, lines, s.Y, bold: true);
            s.Y += height;
        }
        s.Add(new RuleOp(Margin, s.Y, Margin + ContentWidth, s.Y, 0.6f, RuleColor));
        s.Y += 8f;
    }

    private void AddCells(LayoutState s, IReadOnlyList<TableColumn> columns, float[] widths, IReadOnlyList<string>[] lines, float top, bool bold)
    {
        var x = Margin;
        for (var c = 0; c < columns.Count; c++)
        {
            var y = top + CellPad;
            foreach (var line in lines[c])
            {
                y += TableLine;
                var right = columns[c].Align == CellAlign.Right || TextShaper.IsRightToLeft(line);
                var lx = right ? x + widths[c] - CellPad - shaper.Measure(line, TableSize, bold) : x + CellPad;
                s.Add(new TextOp(line, TableSize, bold, lx, y - 2.6f, Ink));
            }
            x += widths[c];
        }
    }

    private void LayoutChart(LayoutState s, BarChart chart)
    {
        s.EnsureRoom(chart.Height + 8f);
        s.Add(new ChartOp(chart, new SKRect(Margin, s.Y + 4f, Margin + ContentWidth, s.Y + 4f + chart.Height)));
        s.Y += chart.Height + 12f;
    }

    /// <summary>Greedy word wrap; a word wider than the line is cut where it must be.</summary>
    internal List<string> Wrap(string text, float width, float size, bool bold)
    {
        var result = new List<string>();
        foreach (var paragraphLine in text.Split('\n'))
        {
            var current = "";
            foreach (var word in paragraphLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (shaper.Measure(candidate, size, bold) <= width)
                {
                    current = candidate;
                    continue;
                }
                if (current.Length > 0)
                {
                    result.Add(current);
                }
                current = word;
                while (current.Length > 1 && shaper.Measure(current, size, bold) > width)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && shaper.Measure(current[..cut], size, bold) > width)
                    {
                        cut--;
                    }
                    result.Add(current[..cut]);
                    current = current[cut..];
                }
            }
            result.Add(current);
        }
        return result;
    }

    /// <summary>
    /// ScottPlot draws the bars, grid and tick marks; the title, axis label and tick labels are drawn here with the
    /// report's shaper, so that they use the rendering's font subset (ScottPlot would embed its own whole copy of the font).
    /// </summary>
    internal void DrawChart(SKCanvas canvas, BarChart chart, SKRect rect)
    {
        const float TitleBand = 22f, LeftBand = 58f, BottomBand = 22f, RightBand = 12f;
        var plot = new ScottPlot.Plot();
        var bars = plot.Add.Bars(chart.Values.ToArray());
        bars.Color = ScottPlot.Color.FromHex("#3B6EA8");
        var ticks = chart.Labels.Select((_, i) => new ScottPlot.Tick(i, "")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.Axes.Margins(bottom: 0);
        plot.Layout.Fixed(new ScottPlot.PixelPadding(LeftBand, RightBand, BottomBand, TitleBand));
        canvas.Save();
        canvas.Translate(rect.Left, rect.Top);
        plot.Render(canvas, (int)rect.Width, (int)rect.Height);
        canvas.Restore();

        using var paint = new SKPaint { IsAntialias = true, Color = Ink };
        var data = plot.LastRender.DataRect;
        var title = shaper.Shape(chart.Title, 10f, true);
        title.Draw(canvas, rect.Left + data.Left + ((data.Width - title.Width) / 2f), rect.Top + TitleBand - 8f, paint);
        paint.Color = Muted;
        for (var i = 0; i < chart.Labels.Count; i++)
        {
            var label = shaper.Shape(chart.Labels[i], 7f, false);
            var x = plot.GetPixel(new ScottPlot.Coordinates(i, 0)).X;
            label.Draw(canvas, rect.Left + x - (label.Width / 2f), rect.Top + data.Bottom + 14f, paint);
        }
        foreach (var tick in plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor))
        {
            var y = plot.GetPixel(new ScottPlot.Coordinates(0, tick.Position)).Y;
            if (y < data.Top - 0.5f || y > data.Bottom + 0.5f)
            {
                continue;
            }
            var label = shaper.Shape(tick.Position.ToString("#,0.##", CultureInfo.InvariantCulture), 7f, false);
            label.Draw(canvas, rect.Left + data.Left - 6f - label.Width, rect.Top + y + 2.5f, paint);
        }
        // The value axis label, turned a quarter anticlockwise, centred on the data area's height.
        var axis = shaper.Shape(chart.ValueAxis, 8f, false);
        canvas.Save();
        canvas.Translate(rect.Left + 10f, rect.Top + data.Top + ((data.Height + axis.Width) / 2f));
        canvas.RotateDegrees(-90f);
        axis.Draw(canvas, 0f, 0f, paint);
        canvas.Restore();
    }

    /// <inheritdoc />
    public void Dispose() => layoutShaper.Dispose();

    private sealed class LayoutState
    {
        public List<List<DrawOp>> Pages { get; } = [[]];
        public float Y { get; set; } = BodyTop;

        public void Add(DrawOp op) => Pages[^1].Add(op);

        public void NewPage()
        {
            Pages.Add([]);
            Y = BodyTop;
        }

        public void EnsureRoom(float height)
        {
            if (Y + height > BodyBottom && Y > BodyTop)
            {
                NewPage();
            }
        }
    }

    private abstract record DrawOp
    {
        public abstract void Draw(SKCanvas canvas, SKPaint paint, PdfRenderer renderer);
    }

    // Text is kept as the string and shaped again when drawn: the page plan of a long report then holds little more
    // than the report's own strings, not a glyph array per cell.
    private sealed record TextOp(string Text, float Size, bool Bold, float X, float Y, SKColor Color) : DrawOp
    {
        public override void Draw(SKCanvas canvas, SKPaint paint, PdfRenderer renderer)
        {
            paint.Color = Color;
            renderer.shaper.Shape(Text, Size, Bold).Draw(canvas, X, Y, paint);
        }
    }

    private sealed record RuleOp(float X1, float Y1, float X2, float Y2, float Width, SKColor Color) : DrawOp
    {
        public override void Draw(SKCanvas canvas, SKPaint paint, PdfRenderer renderer) => Rule(canvas, paint, X1, Y1, X2, Y2, Width, Color);
    }

    private sealed record FillOp(SKRect Rect, SKColor Color) : DrawOp
    {
        public override void Draw(SKCanvas canvas, SKPaint paint, PdfRenderer renderer)
        {
            paint.Color = Color;
            paint.Style = SKPaintStyle.Fill;
            canvas.DrawRect(Rect, paint);
        }
    }

    private sealed record ChartOp(BarChart Chart, SKRect Rect) : DrawOp
    {
        public override void Draw(SKCanvas canvas, SKPaint paint, PdfRenderer renderer) => renderer.DrawChart(canvas, Chart, Rect);
    }
}

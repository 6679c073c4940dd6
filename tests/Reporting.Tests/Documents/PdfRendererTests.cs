using System.Diagnostics;
using SkiaSharp;
using TradSys.Reporting.Documents;
using UglyToad.PdfPig;

namespace TradSys.Reporting.Tests.Documents;

public class PdfRendererTests
{
    private static readonly TableColumn[] Columns =
    [
        new("Trade id", 1.2f), new("Instrument", 1.4f), new("Client", 2.6f),
        new("Quantity", 1.1f, CellAlign.Right), new("Price", 1.1f, CellAlign.Right),
    ];

    private static IEnumerable<IReadOnlyList<string>> Rows(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            yield return [Pdf.Invariant($"T{i:D5}"), "FAB", i % 2 == 0 ? "Gulf Family Office" : "Nile Growth Fund", Pdf.Invariant($"{i * 10:N0}"), "15.50"];
        }
    }

    [Fact]
    public void A_long_table_breaks_across_pages_repeating_its_header_and_numbering_every_page()
    {
        var doc = new ReportDocument(Pdf.Template(), [new Heading("Trades"), new Table(Columns, Rows(300), ["Total", "", "", "1,505,000", ""])]);
        var (bytes, pages) = Pdf.Render(doc);

        var texts = Pdf.PageTexts(bytes);
        Assert.True(pages > 3, $"300 rows should need several pages, got {pages}");
        Assert.Equal(pages, texts.Count);
        for (var p = 0; p < texts.Count; p++)
        {
            Assert.Contains("Trade idInstrumentClientQuantityPrice", texts[p], StringComparison.Ordinal);
            Assert.Contains($"Page {p + 1} of {pages}", texts[p], StringComparison.Ordinal);
            Assert.Contains("TradSys Demo Brokerage", texts[p], StringComparison.Ordinal);
            Assert.Contains("SCA (UAE)", texts[p], StringComparison.Ordinal);
            Assert.Contains("Report RPT-TEST-1", texts[p], StringComparison.Ordinal);
            Assert.Contains("Data SHA-256 ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12", texts[p], StringComparison.Ordinal);
            Assert.Contains("Generated 2026-11-23 12:30:00 UTC", texts[p], StringComparison.Ordinal);
        }
        // Every row exactly once, in order, none lost at a page break.
        var all = string.Concat(texts);
        var positions = Enumerable.Range(1, 300).Select(i => all.IndexOf(Pdf.Invariant($"T{i:D5}"), StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.All(Enumerable.Range(1, 300), i =>
            Assert.Equal(1, CountOf(all, Pdf.Invariant($"T{i:D5}"))));
        Assert.Contains("Total", texts[^1], StringComparison.Ordinal);
        Assert.Contains("1,505,000", texts[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_pdf_carries_title_author_subject_and_creation_date()
    {
        var (bytes, _) = Pdf.Render(new ReportDocument(Pdf.Template("Compliance report"), [new Paragraph("Body.")]));
        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal("Compliance report", pdf.Information.Title);
        Assert.Equal("TradSys Demo Brokerage", pdf.Information.Author);
        Assert.Equal("ADX (XADS), trade date 2026-11-23", pdf.Information.Subject);
        Assert.Equal(Pdf.GeneratedAt, pdf.Information.GetCreatedDateTimeOffset());
    }

    [Fact]
    public void The_same_document_renders_to_the_same_bytes()
    {
        ReportDocument Doc() => new(Pdf.Template(), [new Paragraph("Same input, same output."), new Table(Columns, Rows(40))]);
        var (first, _) = Pdf.Render(Doc());
        var (second, _) = Pdf.Render(Doc());
        Assert.Equal(first, second);
    }

    [Fact]
    public void Flowing_text_wraps_within_the_margins()
    {
        var text = string.Join(' ', Enumerable.Repeat("The order was blocked because the client has US indicia and no W-9 on file.", 12));
        var (bytes, _) = Pdf.Render(new ReportDocument(Pdf.Template(), [new Paragraph(text)]));
        using var pdf = PdfDocument.Open(bytes);
        var page = pdf.GetPage(1);
        var body = page.Letters.Where(l => l.BoundingBox.Bottom < page.Height - 120 && l.BoundingBox.Bottom > 80).ToList();
        var lines = body.Select(l => Math.Round(l.StartBaseLine.Y)).Distinct().Count();
        Assert.True(lines >= 8, $"expected the paragraph to wrap over several lines, got {lines}");
        Assert.All(body, l => Assert.InRange(l.BoundingBox.Right, 40, PdfRenderer.PageWidth - 40));
        var words = page.GetWords().Select(w => w.Text).ToList();
        Assert.Equal(12, words.Count(w => w == "W-9"));
    }

    [Theory]
    [InlineData("البنك التجاري الدولي")] // Commercial International Bank (COMI)
    [InlineData("بنك أبوظبي الأول")] // First Abu Dhabi Bank (FAB)
    [InlineData("هدى إبراهيم")] // Huda Ibrahim, an Egyptian client
    [InlineData("مصرف أبوظبي الإسلامي")] // Abu Dhabi Islamic Bank (ADIB)
    public void An_Arabic_name_is_shaped_and_round_trips_to_its_logical_string(string name)
    {
        var doc = new ReportDocument(Pdf.Template(),
            [new Table([new TableColumn("Account", 1), new TableColumn("Name (Arabic)", 3)], [["1003", name]])]);
        var (bytes, _) = Pdf.Render(doc);

        using var pdf = PdfDocument.Open(bytes);
        var arabic = pdf.GetPage(1).Letters.Where(l => l.Value.Length > 0 && l.Value.All(c => c == ' ' || TextShaperIsArabic(c))).ToList();
        // Shaped: joining letters were drawn with their contextual presentation forms (U+FB50-U+FEFF),
        // not as isolated base letters (which is what unshaped text would show).
        Assert.Contains(arabic, l => l.Value.Any(c => c >= '\uFB50'));
        // Right to left: the glyph sequence read back in visual order, reversed and normalised, is the name.
        var logical = Pdf.LogicalArabic(arabic.Where(l => l.Value != " ").Select(l => l.Value));
        Assert.Equal(name.Replace(" ", "", StringComparison.Ordinal), logical);
        // Right-aligned in its cell (an Arabic cell aligns right): its rightmost glyph ends near the table's right edge.
        Assert.True(arabic.Max(l => l.BoundingBox.Right) > PdfRenderer.PageWidth - 60);
    }

    [Fact]
    public void A_chart_is_drawn_into_the_page_as_vector_text_and_bars()
    {
        var doc = new ReportDocument(Pdf.Template(),
            [new BarChart("Turnover by instrument", ["FAB", "ADCB", "ADIB"], [1500, 900, 300], "AED")]);
        var (bytes, _) = Pdf.Render(doc);
        var text = Pdf.PageTexts(bytes)[0];
        Assert.Contains("Turnover by instrument", text, StringComparison.Ordinal);
        Assert.Contains("ADCB", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_glyphs_a_report_uses_are_embedded_and_its_text_still_reads_back()
    {
        var doc = new ReportDocument(Pdf.Template(),
        [
            new Paragraph("Every glyph drawn here must be in the embedded subsets: Ærø, €, “quotes”, 1,234.50 AED."),
            new Table([new TableColumn("Account", 1), new TableColumn("Name (Arabic)", 3)], [["1003", "عبد الله إبراهيم"], ["1001", "صندوق النيل للنمو"]]),
            new BarChart("Value by instrument", ["FAB", "ALDAR"], [8100, 6522], "AED"),
        ]);
        var (bytes, _) = Pdf.Render(doc);

        // The five font files together are over a megabyte; with subsets the whole document is a small fraction of one of them.
        var fontFiles = new[] { Pdf.Fonts.Regular, Pdf.Fonts.Bold, Pdf.Fonts.Arabic, Pdf.Fonts.ArabicBold, Pdf.Fonts.Mono }
            .Sum(face => { using var stream = face.OpenStream(); return stream.Length; });
        Assert.True(fontFiles > 1_000_000, $"font files: {fontFiles} bytes");
        Assert.True(bytes.Length < 150_000, $"the PDF is {bytes.Length} bytes: the fonts were not subset");

        var text = Pdf.PageTexts(bytes)[0];
        Assert.Contains("Ærø, €, “quotes”, 1,234.50 AED.", text, StringComparison.Ordinal);
        Assert.Contains("Value by instrument", text, StringComparison.Ordinal);
        Assert.Contains("ALDAR", text, StringComparison.Ordinal);
        using var pdf = PdfDocument.Open(bytes);
        var arabic = pdf.GetPage(1).Letters.Where(l => l.Value.Length > 0 && l.Value.All(TextShaperIsArabic)).ToList();
        // "Abdullah" shapes to the Allah ligature in Noto Sans Arabic: its glyph still maps back to text.
        var logical = Pdf.LogicalArabic(arabic.Select(l => l.Value));
        Assert.Contains("عبدالله", logical, StringComparison.Ordinal);
        Assert.Contains("إبراهيم", logical, StringComparison.Ordinal);
        Assert.Contains("صندوقالنيلللنمو", logical, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_addressee_is_set_smaller_and_never_runs_into_the_firms_name()
    {
        const string Addressee = "UAE Ministry of Finance (FATCA Model 1B IGA); Egypt: IGA status unverified";
        var doc = new ReportDocument(Pdf.Template() with { Regulator = Addressee }, [new Paragraph("Body.")]);
        var (bytes, _) = Pdf.Render(doc);
        using var pdf = PdfDocument.Open(bytes);
        var top = pdf.GetPage(1).GetWords().Where(w => w.BoundingBox.Bottom > PdfRenderer.PageHeight - 60).ToList();
        var firmEnd = top.Where(w => w.Text is "Brokerage").Max(w => w.BoundingBox.Right);
        var addresseeStart = top.Where(w => w.Text is "UAE").Min(w => w.BoundingBox.Left);
        Assert.True(addresseeStart > firmEnd + 8, $"the addressee starts at {addresseeStart}, the firm's name ends at {firmEnd}");
        Assert.Contains("Egypt: IGA status unverified", string.Join(" ", top.Select(w => w.Text)), StringComparison.Ordinal);
        Assert.True(top.Max(w => w.BoundingBox.Right) <= PdfRenderer.PageWidth - 41, "the addressee stays inside the right margin");
    }

    [Fact]
    public void A_missing_font_family_is_a_clear_problem_naming_the_Debian_packages()
    {
        var check = ReportFonts.Load(new FontFamilies("Noto Sans", "No Such Arabic Family", "Noto Mono"));
        Assert.Null(check.Fonts);
        Assert.Contains("'No Such Arabic Family'", check.Problem, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install fonts-noto-core fonts-noto-mono", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_one_renders_with_pdftoppm_to_an_image_with_ink_in_header_body_and_footer()
    {
        var doc = new ReportDocument(Pdf.Template(),
        [
            new Heading("Summary"),
            new Facts([new("Venue", "ADX (XADS)"), new("Client", "مصرف أبوظبي الإسلامي")]),
            new BarChart("Turnover by instrument", ["FAB", "ADCB", "ADIB", "ALDAR"], [1500, 900, 300, 1200], "AED"),
            new Heading("Trades"),
            new Table(Columns, Rows(25), ["Total", "", "", "3,250", ""]),
        ]);
        var (bytes, _) = Pdf.Render(doc);
        var dir = Path.Combine(Path.GetTempPath(), "tradsys-reporting-tests");
        Directory.CreateDirectory(dir);
        var pdfPath = Path.Combine(dir, "sample.pdf");
        File.WriteAllBytes(pdfPath, bytes);
        var prefix = Path.Combine(dir, "sample");
        using (var p = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix])
               { RedirectStandardError = true })!)
        {
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"pdftoppm failed ({p.ExitCode}): {err} (install poppler-utils: tests/infra/reporting.sh)");
        }
        using var image = SKBitmap.Decode(prefix + ".png");
        Assert.NotNull(image);
        Assert.InRange(image.Width, 657, 663);
        // Dark pixels in the header band, the body and the footer band: text was drawn, not blank.
        Assert.True(DarkPixels(image, 0.03, 0.12) > 200, "header has no ink");
        Assert.True(DarkPixels(image, 0.15, 0.85) > 2000, "body has no ink");
        Assert.True(DarkPixels(image, 0.93, 0.99) > 100, "footer has no ink");
    }

    private static int DarkPixels(SKBitmap image, double fromY, double toY)
    {
        var count = 0;
        for (var y = (int)(image.Height * fromY); y < (int)(image.Height * toY); y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var c = image.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 450)
                {
                    count++;
                }
            }
        }
        return count;
    }

    private static bool TextShaperIsArabic(char c) =>
        c is >= '\u0600' and <= '\u06FF' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}

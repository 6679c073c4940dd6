using TradSys.Reporting.Documents;
using UglyToad.PdfPig;

namespace TradSys.Reporting.Tests.Documents;

/// <summary>
/// The fonts shipped with the platform (src/Reporting/Fonts) are enough to draw a report: loaded without looking at the
/// installed fonts at all, a report with Latin, Arabic and monospaced text renders, and the PDF's text is drawn with them.
/// </summary>
public sealed class ShippedFontsTests
{
    [Fact]
    public void A_report_renders_with_the_shipped_fonts_only()
    {
        var check = ReportFonts.Load(installed: false);
        Assert.Null(check.Problem);
        using var fonts = check.Fonts!;
        var doc = new ReportDocument(Pdf.Template(),
        [
            new Heading("Summary"),
            new Facts([new("Venue", "ADX (XADS)"), new("Client", "مصرف أبوظبي الإسلامي")]),
            new Paragraph("Every trade of the day."),
        ]);
        using var renderer = new PdfRenderer(fonts);
        var (bytes, pages) = renderer.Render(doc);

        Assert.Equal(1, pages);
        using var pdf = PdfDocument.Open(bytes);
        var page = pdf.GetPage(1);
        Assert.Contains("Every trade of the day.", page.Text, StringComparison.Ordinal);
        var drawnWith = page.Letters.Select(l => l.FontName ?? "").Distinct(StringComparer.Ordinal).ToList();
        Assert.Contains(drawnWith, f => f.EndsWith("NotoSans-Regular", StringComparison.Ordinal));
        Assert.Contains(drawnWith, f => f.EndsWith("NotoSans-Bold", StringComparison.Ordinal));
        Assert.Contains(drawnWith, f => f.Contains("NotoSansArabic", StringComparison.Ordinal));
        Assert.Contains(drawnWith, f => f.Contains("NotoMono", StringComparison.Ordinal));
        Assert.All(drawnWith, f => Assert.Contains("Noto", f, StringComparison.Ordinal));
    }

    [Fact]
    public void A_family_that_is_not_shipped_is_not_found_when_installed_fonts_are_left_out()
    {
        Assert.True(ReportFonts.IsShipped("Noto Sans Arabic", bold: true));
        var check = ReportFonts.Load(new FontFamilies("Noto Sans", "Noto Sans Arabic", "Family Not Shipped Mono"), installed: false);
        Assert.Null(check.Fonts);
        Assert.Contains("'Family Not Shipped Mono'", check.Problem, StringComparison.Ordinal);
    }
}

using System.Globalization;
using System.Text;
using TradSys.Reporting.Documents;
using UglyToad.PdfPig;

namespace TradSys.Reporting.Tests.Documents;

/// <summary>Shared helpers: the fonts (loaded once), a renderer, and PdfPig read-back.</summary>
public static class Pdf
{
    private static readonly Lazy<ReportFonts> LazyFonts = new(() =>
    {
        var check = ReportFonts.Load();
        return check.Fonts ?? throw new InvalidOperationException(check.Problem);
    });

    public static ReportFonts Fonts => LazyFonts.Value;

    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 23, 12, 30, 0, TimeSpan.Zero);

    public static PageTemplate Template(string title = "Daily trade report") =>
        new("TradSys Demo Brokerage", "SCA (UAE)", title, "ADX (XADS), trade date 2026-11-23", "RPT-TEST-1",
            "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12", GeneratedAt);

    public static (byte[] Bytes, int Pages) Render(ReportDocument document)
    {
        using var renderer = new PdfRenderer(Fonts);
        return renderer.Render(document);
    }

    public static List<string> PageTexts(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return doc.GetPages().Select(p => p.Text).ToList();
    }

    /// <summary>
    /// The logical string of an Arabic run as drawn: PdfPig gives the glyphs' Unicode values (from
    /// the font's ToUnicode map) in visual order, left to right, i.e. reversed; the shaped glyphs map
    /// to Arabic presentation forms, which compatibility normalisation (NFKC) maps back to letters.
    /// </summary>
    public static string LogicalArabic(IEnumerable<string> visualLetters)
    {
        var reversed = visualLetters.Reverse().ToList();
        return string.Concat(reversed).Normalize(NormalizationForm.FormKC);
    }

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

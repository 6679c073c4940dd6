using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace TradSys.Reporting.Documents;

/// <summary>
/// Shapes a line of text and draws it. A line is cut into script runs: Arabic runs are shaped
/// right to left with HarfBuzz and the Arabic typeface (so letters take their initial, medial, final
/// and isolated forms and lam-alef ligatures form); everything else is set left to right with the
/// Latin typeface, one glyph per character (no "fi" ligatures, so the PDF's text is searchable). Runs are placed in visual order: in a line whose first strong character is Arabic the runs
/// go right to left. This is the part of the Unicode bidirectional algorithm that names, addresses
/// and short labels need; nested embeddings and mirrored brackets are not handled.
/// </summary>
internal sealed class TextShaper : IDisposable
{
    private readonly ReportFonts fonts;
    private readonly Dictionary<(SKTypeface, float), (SKFont Font, SKShaper Shaper)> cache = [];

    public TextShaper(ReportFonts fonts) => this.fonts = fonts;

    /// <summary>True for characters of the Arabic blocks (letters, presentation forms, Arabic-Indic digits).</summary>
    public static bool IsArabic(char c) =>
        c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\u08A0' and <= '\u08FF'
            or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    private static bool IsStrongLatin(char c) => char.IsLetter(c) && !IsArabic(c);

    /// <summary>True when the first strong character of the text is Arabic (a right-to-left line).</summary>
    public static bool IsRightToLeft(string text)
    {
        foreach (var c in text)
        {
            if (IsArabic(c) && char.IsLetter(c))
            {
                return true;
            }
            if (IsStrongLatin(c))
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Shapes a line into positioned runs in visual order.</summary>
    public ShapedLine Shape(string text, float size, bool bold, bool mono = false)
    {
        var runs = new List<ShapedRun>();
        var width = 0f;
        foreach (var (start, length, arabic) in SplitRuns(text))
        {
            var typeface = mono ? fonts.Mono : arabic ? (bold ? fonts.ArabicBold : fonts.Arabic) : (bold ? fonts.Bold : fonts.Regular);
            var (font, shaper) = Get(typeface, size);
            var segment = text.Substring(start, length);
            if (!arabic)
            {
                // Latin, digits and symbols: one glyph per character from the font's cmap, no ligatures, so
                // text copied or searched in the PDF ("firm", "fi") is the text written, not U+FB01.
                var latinGlyphs = font.GetGlyphs(segment);
                var advances = font.GetGlyphWidths(latinGlyphs);
                var positions = new SKPoint[latinGlyphs.Length];
                var advance = 0f;
                for (var i = 0; i < latinGlyphs.Length; i++)
                {
                    positions[i] = new SKPoint(advance, 0);
                    advance += advances[i];
                }
                runs.Add(new ShapedRun(font, latinGlyphs, positions, advance, segment, false));
                width += advance;
                continue;
            }
            using var buffer = new HarfBuzzSharp.Buffer();
            buffer.AddUtf8(segment);
            buffer.Direction = Direction.RightToLeft;
            buffer.Script = Script.Arabic;
            buffer.Language = new Language("ar");
            var result = shaper.Shape(buffer, font);
            var glyphs = new ushort[result.Codepoints.Length];
            for (var i = 0; i < glyphs.Length; i++)
            {
                glyphs[i] = (ushort)result.Codepoints[i];
            }
            runs.Add(new ShapedRun(font, glyphs, result.Points, result.Width, segment, true));
            width += result.Width;
        }
        if (IsRightToLeft(text))
        {
            runs.Reverse();
        }
        return new ShapedLine(runs, width);
    }

    /// <summary>Width of the text once shaped.</summary>
    public float Measure(string text, float size, bool bold, bool mono = false) => Shape(text, size, bold, mono).Width;

    /// <summary>Splits text into maximal runs of one script; spaces and punctuation join the run they follow.</summary>
    internal static IEnumerable<(int Start, int Length, bool Arabic)> SplitRuns(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }
        var start = 0;
        bool? current = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            bool? kind = IsArabic(c) ? true : (char.IsLetterOrDigit(c) ? false : null);
            if (kind is null || current is null)
            {
                current ??= kind;
                continue;
            }
            if (kind != current)
            {
                // Trailing neutrals (spaces) between two scripts stay with the run before.
                yield return (start, i - start, current.Value);
                start = i;
                current = kind;
            }
        }
        yield return (start, text.Length - start, current ?? false);
    }

    private (SKFont, SKShaper) Get(SKTypeface typeface, float size)
    {
        if (!cache.TryGetValue((typeface, size), out var entry))
        {
            entry = (new SKFont(typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias }, new SKShaper(typeface));
            cache[(typeface, size)] = entry;
        }
        return entry;
    }

    public void Dispose()
    {
        foreach (var (font, shaper) in cache.Values)
        {
            font.Dispose();
            shaper.Dispose();
        }
        cache.Clear();
    }
}

/// <summary>One script run, shaped: glyph ids and their offsets from the run's origin.</summary>
internal sealed record ShapedRun(SKFont Font, ushort[] Glyphs, SKPoint[] Points, float Width, string Text, bool RightToLeft);

/// <summary>A shaped line: its runs in visual order and its total advance.</summary>
internal sealed record ShapedLine(IReadOnlyList<ShapedRun> Runs, float Width)
{
    /// <summary>Draws the line with its left edge at <paramref name="x"/> and its baseline at <paramref name="y"/>.</summary>
    public void Draw(SKCanvas canvas, float x, float y, SKPaint paint)
    {
        foreach (var run in Runs)
        {
            if (run.Glyphs.Length > 0)
            {
                using var builder = new SKTextBlobBuilder();
                var buffer = builder.AllocatePositionedRun(run.Font, run.Glyphs.Length, null);
                run.Glyphs.CopyTo(buffer.Glyphs);
                run.Points.CopyTo(buffer.Positions);
                using var blob = builder.Build();
                if (blob is not null)
                {
                    canvas.DrawText(blob, x, y, paint);
                }
            }
            x += run.Width;
        }
    }
}

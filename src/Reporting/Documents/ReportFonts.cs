using SkiaSharp;

namespace TradSys.Reporting.Documents;

/// <summary>
/// The typefaces every report is drawn with, found by family name: first among the fonts shipped with the platform
/// (<c>src/Reporting/Fonts</c>, embedded in this assembly: Noto Sans and Noto Sans Arabic regular and bold, Noto Mono,
/// under the SIL Open Font License), then among the installed ones through Skia's font manager (Debian's
/// <c>fonts-noto-core</c> and <c>fonts-noto-mono</c> carry the same families), so a fresh machine renders reports with no
/// font package and a family configured under <c>Reporting:Fonts</c> that is not shipped is still found when installed.
/// A missing family is never replaced by another one: a substitute might have no Arabic glyphs (blank or boxed text in a
/// regulator's copy), so <see cref="Load"/> reports what is missing and rendering is refused instead.
/// </summary>
public sealed class ReportFonts : IDisposable
{
    /// <summary>The Debian packages that carry the default families.</summary>
    public const string DebianPackages = "fonts-noto-core fonts-noto-mono";

    /// <summary>The command that installs them.</summary>
    public const string InstallCommand = "sudo apt-get install " + DebianPackages;

    /// <summary>The families a report needs, with the Debian package that carries each.</summary>
    public static readonly FontFamilies Default = new("Noto Sans", "Noto Sans Arabic", "Noto Mono");

    /// <summary>The shipped faces: (family, bold) to the embedded resource (see <c>src/Reporting/Fonts/README.md</c>).</summary>
    private static readonly Dictionary<(string Family, bool Bold), string> Shipped = new()
    {
        [("Noto Sans", false)] = "NotoSans-Regular.ttf",
        [("Noto Sans", true)] = "NotoSans-Bold.ttf",
        [("Noto Sans Arabic", false)] = "NotoSansArabic-Regular.ttf",
        [("Noto Sans Arabic", true)] = "NotoSansArabic-Bold.ttf",
        [("Noto Mono", false)] = "NotoMono-Regular.ttf",
    };

    // One subsetter per typeface (regular, bold, arabic, arabic bold, mono), made on first use: each reads its font file once.
    private readonly Lazy<FontSubsetter>[] subsetters;

    private ReportFonts(FontFamilies families, SKTypeface regular, SKTypeface bold, SKTypeface arabic, SKTypeface arabicBold, SKTypeface mono)
    {
        Families = families;
        Regular = regular;
        Bold = bold;
        Arabic = arabic;
        ArabicBold = arabicBold;
        Mono = mono;
        subsetters = [.. Faces.Select(face => new Lazy<FontSubsetter>(() => FontSubsetter.For(face), LazyThreadSafetyMode.ExecutionAndPublication))];
    }

    private SKTypeface[] Faces => [Regular, Bold, Arabic, ArabicBold, Mono];

    /// <summary>The family names these typefaces were matched from.</summary>
    public FontFamilies Families { get; }

    /// <summary>Latin body text.</summary>
    public SKTypeface Regular { get; }

    /// <summary>Latin headings, table headers and totals.</summary>
    public SKTypeface Bold { get; }

    /// <summary>Arabic runs (shaped with HarfBuzz).</summary>
    public SKTypeface Arabic { get; }

    /// <summary>Arabic runs in bold text.</summary>
    public SKTypeface ArabicBold { get; }

    /// <summary>Report ids and checksums.</summary>
    public SKTypeface Mono { get; }

    /// <summary>
    /// Finds every family by name, among the shipped fonts first and then, when <paramref name="installed"/>, among the
    /// installed ones. Returns the fonts, or null and the problem: one sentence that names each missing family and the
    /// Debian packages to install.
    /// </summary>
    /// <param name="families">The families; <see cref="Default"/> (all shipped) when null.</param>
    /// <param name="installed">Whether installed fonts may be used (false: the shipped fonts only).</param>
    public static FontCheck Load(FontFamilies? families = null, bool installed = true)
    {
        families ??= Default;
        var manager = SKFontManager.Default;
        var missing = new List<string>();
        SKTypeface? Find(string family, SKFontStyle style)
        {
            var face = LoadShipped(family, style.Weight >= (int)SKFontStyleWeight.Bold)
                       ?? (installed ? manager.MatchFamily(family, style) : null);
            // MatchFamily may answer with a fallback family: only the family asked for counts.
            if (face is null || !string.Equals(face.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                face?.Dispose();
                if (!missing.Contains(family, StringComparer.Ordinal))
                {
                    missing.Add(family);
                }
                return null;
            }
            return face;
        }

        var regular = Find(families.Sans, SKFontStyle.Normal);
        var bold = Find(families.Sans, SKFontStyle.Bold);
        var arabic = Find(families.Arabic, SKFontStyle.Normal);
        var arabicBold = Find(families.Arabic, SKFontStyle.Bold);
        var mono = Find(families.Mono, SKFontStyle.Normal);
        if (missing.Count > 0 || regular is null || bold is null || arabic is null || arabicBold is null || mono is null)
        {
            foreach (var face in new[] { regular, bold, arabic, arabicBold, mono })
            {
                face?.Dispose();
            }
            return new FontCheck(null,
                $"Reporting is unavailable: font famil{(missing.Count == 1 ? "y" : "ies")} {string.Join(", ", missing.Select(m => $"'{m}'"))} " +
                $"not found. Install Debian's fonts with: {InstallCommand}");
        }
        return new FontCheck(new ReportFonts(families, regular, bold, arabic, arabicBold, mono), null);
    }

    /// <summary>True when the typeface for <paramref name="family"/> in <paramref name="bold"/> ships with the platform.</summary>
    public static bool IsShipped(string family, bool bold) => Shipped.ContainsKey((family, bold));

    private static SKTypeface? LoadShipped(string family, bool bold)
    {
        if (!Shipped.TryGetValue((family, bold), out var file))
        {
            return null;
        }
        using var stream = typeof(ReportFonts).Assembly.GetManifestResourceStream("TradSys.Reporting.Fonts." + file);
        if (stream is null)
        {
            // Not in this build (a trimmed package): the installed fonts are the fallback.
            return null;
        }
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data);
    }

    /// <summary>
    /// The same five typefaces cut down to <paramref name="codepoints"/> (see <see cref="FontSubsetter"/>), for one
    /// rendering; the caller disposes them. Null when the platform's HarfBuzz has no subsetter: then the whole fonts are
    /// embedded, as before.
    /// </summary>
    internal ReportFonts? SubsetFor(IReadOnlyCollection<int> codepoints)
    {
        var faces = new SKTypeface?[subsetters.Length];
        for (var i = 0; i < faces.Length; i++)
        {
            faces[i] = subsetters[i].Value.Subset(codepoints);
            if (faces[i] is null)
            {
                foreach (var face in faces)
                {
                    face?.Dispose();
                }
                return null;
            }
        }
        return new ReportFonts(Families, faces[0]!, faces[1]!, faces[2]!, faces[3]!, faces[4]!);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var subsetter in subsetters.Where(s => s.IsValueCreated))
        {
            subsetter.Value.Dispose();
        }
        Regular.Dispose();
        Bold.Dispose();
        Arabic.Dispose();
        ArabicBold.Dispose();
        Mono.Dispose();
    }
}

/// <summary>The three font families a report uses.</summary>
/// <param name="Sans">Latin text (Noto Sans: shipped; also in fonts-noto-core).</param>
/// <param name="Arabic">Arabic text (Noto Sans Arabic: shipped; also in fonts-noto-core).</param>
/// <param name="Mono">Ids and checksums (Noto Mono: shipped; also in fonts-noto-mono).</param>
public sealed record FontFamilies(string Sans, string Arabic, string Mono);

/// <summary>The outcome of looking the report fonts up: either the fonts or the problem.</summary>
/// <param name="Fonts">The fonts when every family was found.</param>
/// <param name="Problem">Otherwise one sentence naming the missing families and the install command.</param>
public sealed record FontCheck(ReportFonts? Fonts, string? Problem);

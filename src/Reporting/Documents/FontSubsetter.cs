using System.Runtime.InteropServices;
using HarfBuzzSharp;
using SkiaSharp;

namespace TradSys.Reporting.Documents;

/// <summary>
/// Cuts a typeface down to the characters one report uses, with HarfBuzz's subsetter (hb-subset), so that a PDF embeds
/// a few dozen kilobytes of font instead of every glyph of Noto Sans and Noto Sans Arabic (about 0.7 MB in a one-page
/// report). Skia's PDF backend as SkiaSharp ships it embeds whatever font data it is given, so the subset is made here and
/// the report is shaped and drawn with it. The subsetter keeps the layout-table closure of the characters (GSUB, GPOS),
/// so Arabic contextual forms and lam-alef ligatures shape exactly as with the whole font, and the cmap of the characters
/// kept, which the PDF's text layer (ToUnicode) is built from. HarfBuzzSharp has no managed binding for hb-subset; its
/// native library exports the C API, which this class calls.
/// </summary>
internal sealed class FontSubsetter : IDisposable
{
    private const string Library = "libHarfBuzzSharp";

    // hb_subset_flags_t: keep the glyph names out, keep hinting (a PDF viewer may use it), nothing else changed.
    private const uint FlagsDefault = 0;

    private readonly Blob blob;
    private readonly Face face;

    private FontSubsetter(Blob blob, Face face)
    {
        this.blob = blob;
        this.face = face;
    }

    /// <summary>Reads the typeface's font file once; the subsetter then cuts any number of subsets from it.</summary>
    public static FontSubsetter For(SKTypeface typeface)
    {
        ArgumentNullException.ThrowIfNull(typeface);
        using var stream = typeface.OpenStream(out var index)
            ?? throw new InvalidOperationException($"the font file of '{typeface.FamilyName}' cannot be read");
        var bytes = new byte[stream.Length];
        var read = stream.Read(bytes, bytes.Length);
        if (read != bytes.Length)
        {
            throw new InvalidOperationException($"the font file of '{typeface.FamilyName}' ended after {read} of {bytes.Length} bytes");
        }
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        var blob = new Blob(handle.AddrOfPinnedObject(), bytes.Length, MemoryMode.ReadOnly, () => handle.Free());
        blob.MakeImmutable();
        return new FontSubsetter(blob, new Face(blob, index));
    }

    /// <summary>
    /// A typeface holding only the glyphs the code points need (and their layout closure), or null when the native
    /// library has no subsetter (a build of HarfBuzzSharp without hb-subset): the caller then embeds the whole font.
    /// </summary>
    public SKTypeface? Subset(IReadOnlyCollection<int> codepoints)
    {
        ArgumentNullException.ThrowIfNull(codepoints);
        IntPtr input;
        try
        {
            input = hb_subset_input_create_or_fail();
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        if (input == IntPtr.Zero)
        {
            throw new OutOfMemoryException("hb_subset_input_create_or_fail returned null");
        }
        try
        {
            var unicodes = hb_subset_input_unicode_set(input);
            foreach (var codepoint in codepoints)
            {
                hb_set_add(unicodes, (uint)codepoint);
            }
            hb_subset_input_set_flags(input, FlagsDefault);
            var subset = hb_subset_or_fail(face.Handle, input);
            if (subset == IntPtr.Zero)
            {
                throw new InvalidOperationException($"HarfBuzz could not subset the font ({codepoints.Count} code points)");
            }
            try
            {
                var data = hb_face_reference_blob(subset);
                try
                {
                    var pointer = hb_blob_get_data(data, out var length);
                    var bytes = new byte[length];
                    Marshal.Copy(pointer, bytes, 0, (int)length);
                    return SKTypeface.FromData(SKData.CreateCopy(bytes))
                        ?? throw new InvalidOperationException("Skia could not read the subset font HarfBuzz produced");
                }
                finally
                {
                    hb_blob_destroy(data);
                }
            }
            finally
            {
                hb_face_destroy(subset);
            }
        }
        finally
        {
            hb_subset_input_destroy(input);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        face.Dispose();
        blob.Dispose();
    }

    [DllImport(Library)]
    private static extern IntPtr hb_subset_input_create_or_fail();

    [DllImport(Library)]
    private static extern void hb_subset_input_destroy(IntPtr input);

    [DllImport(Library)]
    private static extern IntPtr hb_subset_input_unicode_set(IntPtr input);

    [DllImport(Library)]
    private static extern void hb_subset_input_set_flags(IntPtr input, uint flags);

    [DllImport(Library)]
    private static extern void hb_set_add(IntPtr set, uint codepoint);

    [DllImport(Library)]
    private static extern IntPtr hb_subset_or_fail(IntPtr source, IntPtr input);

    [DllImport(Library)]
    private static extern IntPtr hb_face_reference_blob(IntPtr face);

    [DllImport(Library)]
    private static extern IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [DllImport(Library)]
    private static extern void hb_blob_destroy(IntPtr blob);

    [DllImport(Library)]
    private static extern void hb_face_destroy(IntPtr face);
}

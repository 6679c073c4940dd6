using System.Collections.Frozen;

namespace TradSys.Rules.Context;

/// <summary>
/// The fixed sector classification every sector rule reads (<see cref="InstrumentView.SectorCode"/>): eight-digit codes
/// laid out like GICS (sector, industry group, industry, sub-industry, two digits each) so that a desk used to GICS finds
/// its way, with firm-defined sub-industries (ending in 9x) for the activities Sharia screens must tell apart and GICS
/// does not (conventional and Islamic banks, conventional insurance and takaful, pork, adult entertainment, weapons,
/// cannabis, music, online dating). A rule compares codes, never names, so "Banks" and "Conventional Finance" cannot be
/// told apart by accident: the mapping of names to codes is this table, documented in <c>docs/sectors.md</c>.
/// </summary>
public static class SectorClassification
{
    /// <summary>Every code with its name.</summary>
    public static FrozenDictionary<string, string> Codes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["10102010"] = "Integrated oil and gas",
        ["15101010"] = "Commodity chemicals",
        ["15101030"] = "Fertilizers and agricultural chemicals",
        ["20101010"] = "Aerospace and defence (civil)",
        ["20101090"] = "Weapons and munitions",
        ["20103010"] = "Construction and engineering",
        ["25301010"] = "Casinos and gaming",
        ["25301020"] = "Hotels, resorts and cruise lines",
        ["25301090"] = "Adult entertainment",
        ["25501010"] = "Retail",
        ["30201010"] = "Brewers",
        ["30201020"] = "Distillers and vintners",
        ["30202030"] = "Packaged foods and meats (no pork)",
        ["30202090"] = "Pork products",
        ["30203010"] = "Tobacco",
        ["35202010"] = "Pharmaceuticals",
        ["35202090"] = "Cannabis",
        ["40101010"] = "Conventional banks",
        ["40101090"] = "Islamic banks",
        ["40201020"] = "Conventional consumer and mortgage finance",
        ["40201060"] = "Transaction and payment processing services",
        ["40203020"] = "Investment banking and brokerage",
        ["40203090"] = "Structured products and warrants",
        ["40301020"] = "Conventional life and health insurance",
        ["40301040"] = "Conventional property and casualty insurance",
        ["40301090"] = "Takaful (Islamic insurance)",
        ["45103010"] = "Application software",
        ["50101020"] = "Integrated telecommunication services",
        ["50202010"] = "Movies, cinema and entertainment",
        ["50202090"] = "Music",
        ["50203090"] = "Online dating",
        ["55101010"] = "Electric utilities",
        ["60201020"] = "Real estate development",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when <paramref name="code"/> is a code of the classification (exactly, eight digits).</summary>
    /// <param name="code">A candidate code.</param>
    /// <returns>Whether it is one.</returns>
    public static bool IsCode(string? code) => code is not null && Codes.ContainsKey(code);

    /// <summary>The code as stored, or empty when what is stored is not a code of the classification (unclassified).</summary>
    /// <param name="stored">The instrument's stored sector.</param>
    /// <returns>The code, or "".</returns>
    public static string CodeOf(string? stored) => stored is not null && Codes.ContainsKey(stored.Trim()) ? stored.Trim() : "";
}

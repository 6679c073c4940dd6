using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace TradSys.Web.Portal;

/// <summary>
/// The portal's texts (<c>PortalText.resx</c>, English, and <c>PortalText.ar.resx</c>, Arabic), read through
/// <c>IStringLocalizer&lt;PortalText&gt;</c>. A key is the English text itself, so a missing translation shows English.
/// </summary>
public sealed class PortalText;

/// <summary>
/// The portal's languages: English and Arabic (right to left). The Arabic culture keeps the invariant number format (Latin
/// digits, "." for decimals, "," for thousands, as the API writes them: traders read prices, not prose) and Arabic for
/// everything else, dates included.
/// </summary>
public static class PortalCultures
{
    /// <summary>English.</summary>
    public static readonly CultureInfo English = CultureInfo.ReadOnly(new CultureInfo("en"));

    /// <summary>Arabic with the invariant number format.</summary>
    public static readonly CultureInfo Arabic = CreateArabic();

    /// <summary>The supported cultures, the default first.</summary>
    public static readonly IReadOnlyList<CultureInfo> Supported = [English, Arabic];

    /// <summary>The cookie that keeps the user's choice (ASP.NET Core's own culture cookie).</summary>
    public static readonly string CookieName = CookieRequestCultureProvider.DefaultCookieName;

    /// <summary>True when <paramref name="culture"/> is written right to left.</summary>
    public static bool IsRightToLeft(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TextInfo.IsRightToLeft;
    }

    /// <summary>The supported culture named <paramref name="name"/> (en or ar), or null.</summary>
    public static CultureInfo? Find(string? name) =>
        Supported.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Localization for the portal's pages and its circuit: the culture cookie, then the browser's languages, then English.</summary>
    public static void Configure(RequestLocalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultRequestCulture = new RequestCulture(English);
        options.SupportedCultures = [.. Supported];
        options.SupportedUICultures = [.. Supported];
        options.FallBackToParentCultures = true;
        options.FallBackToParentUICultures = true;
        options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
    }

    private static CultureInfo CreateArabic()
    {
        var arabic = (CultureInfo)new CultureInfo("ar").Clone();
        arabic.NumberFormat = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        return CultureInfo.ReadOnly(arabic);
    }
}

using System.Globalization;

namespace TradSys.Reporting.Reports;

/// <summary>How figures are printed: invariant culture, grouped thousands, fixed decimals.</summary>
internal static class Format
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Money(decimal value) => value.ToString("N2", C);
    public static string Price(decimal value) => value.ToString("0.00##", C);
    public static string Count(long value) => value.ToString("N0", C);
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", C);
    public static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", C);

    public static string Local(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("HH:mm:ss", C);

    public static string Offset(DateOnly date, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(date.ToDateTime(new TimeOnly(12, 0)));
        return (offset < TimeSpan.Zero ? "UTC-" : "UTC+") + offset.ToString(@"hh\:mm", C);
    }

    /// <summary>A party as "1001 Nile Growth Fund", with its Arabic name on a second line when on file.</summary>
    public static string Party(Data.PartyInfo party) =>
        party.NameAr is { Length: > 0 } ar ? $"{party.AccountId.ToString(C)} {party.Name}\n{ar}" : $"{party.AccountId.ToString(C)} {party.Name}";
}

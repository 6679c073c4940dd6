using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// Arabic names for the demo data, printed next to the Latin names in the regulators' reports.
/// Issuers: their official Arabic names (keyed by ISIN, so the internal lines of a listing share it).
/// Clients: the Arabic spelling of the demo clients' names (illustrative people and firms); clients
/// without an Arabic name on file (1004, 2003) have none.
/// </summary>
public static class ArabicNames
{
    private static readonly Dictionary<string, string> Issuers = new(StringComparer.Ordinal)
    {
        ["EGS60121C018"] = "البنك التجاري الدولي (مصر)",
        ["EGS69101C011"] = "المجموعة المالية هيرميس القابضة",
        ["EGS48031C016"] = "المصرية للاتصالات",
        ["EGS38191C010"] = "أبوقير للأسمدة والصناعات الكيماوية",
        ["EGS745L1C014"] = "فوري لتكنولوجيا البنوك والمدفوعات الإلكترونية",
        ["AEN000101016"] = "بنك أبوظبي الأول",
        ["AEA000201011"] = "بنك أبوظبي التجاري",
        ["AEA000801018"] = "مصرف أبوظبي الإسلامي",
        ["AEA002001013"] = "الدار العقارية",
    };

    private static readonly Dictionary<long, string> Clients = new()
    {
        [1001] = "صندوق النيل للنمو",
        [1002] = "كريم منصور",
        [1003] = "هدى إبراهيم",
        [2001] = "مكتب الخليج العائلي",
        [2002] = "ليلى حداد",
    };

    public static IReadOnlyList<Instrument> Apply(IReadOnlyList<Instrument> instruments)
    {
        foreach (var i in instruments)
        {
            i.NameAr ??= Issuers.GetValueOrDefault(i.Isin);
        }
        return instruments;
    }

    public static IReadOnlyList<Account> Apply(IReadOnlyList<Account> accounts)
    {
        foreach (var a in accounts)
        {
            a.NameAr ??= Clients.GetValueOrDefault(a.Id);
        }
        return accounts;
    }
}

namespace TradSys.Reporting.TransactionReporting;

/// <summary>
/// ISO 17442 legal entity identifiers: 20 characters, upper-case letters and digits, the last two being check digits
/// under ISO 7064 MOD 97-10 (the whole code read as a number, letters as 10..35, leaves 1 when divided by 97).
/// This is the format check ESMA's validation rules apply; whether the LEI is issued and current is GLEIF's register, which
/// the platform does not consult (stated in the reports).
/// </summary>
public static class Lei
{
    /// <summary>The length of an LEI.</summary>
    public const int Length = 20;

    /// <summary>What is wrong with <paramref name="lei"/>, or null when it is a well-formed LEI with correct check digits.</summary>
    public static string? Problem(string? lei)
    {
        if (string.IsNullOrEmpty(lei))
        {
            return "no LEI";
        }
        if (lei.Length != Length)
        {
            return $"'{lei}' has {lei.Length} characters; an LEI has {Length} (ISO 17442)";
        }
        foreach (var c in lei)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9')))
            {
                return $"'{lei}' contains '{c}'; an LEI has only upper-case letters and digits (ISO 17442)";
            }
        }
        return Mod97(lei) == 1 ? null : $"'{lei}' fails its check digits (ISO 7064 MOD 97-10)";
    }

    /// <summary>True when <paramref name="lei"/> is a well-formed LEI with correct check digits.</summary>
    public static bool IsValid(string? lei) => Problem(lei) is null;

    private static int Mod97(string code)
    {
        var remainder = 0;
        foreach (var c in code)
        {
            var value = c <= '9' ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }
        return remainder;
    }
}

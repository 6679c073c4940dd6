using System.Globalization;

namespace TradSys.Rules.Computations;

/// <summary>
/// Legal Entity Identifiers (ISO 17442-1:2020): 18 upper-case letters and digits followed by two check digits computed with
/// ISO 7064 MOD 97-10 (letters count as 10-35, as in an IBAN; the whole code read as a number leaves remainder 1 modulo 97).
/// </summary>
public static class Lei
{
    /// <summary>The length of an LEI.</summary>
    public const int Length = 20;

    /// <summary>What is wrong with <paramref name="lei"/>, in words a person can act on; null when it is a valid LEI.</summary>
    /// <param name="lei">The candidate LEI, as entered (not trimmed or upper-cased here).</param>
    /// <returns>The problem, or null.</returns>
    public static string? Problem(string? lei)
    {
        if (string.IsNullOrEmpty(lei))
        {
            return "is required: 20 characters (ISO 17442)";
        }

        if (lei.Length != Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must be 20 characters (ISO 17442); it has {lei.Length}");
        }

        int bad = lei.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        if (bad >= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must be upper-case letters A-Z and digits 0-9 only; character {bad + 1} is '{lei[bad]}'");
        }

        if (!char.IsAsciiDigit(lei[18]) || !char.IsAsciiDigit(lei[19]))
        {
            return "must end in two check digits (characters 19 and 20)";
        }

        return Mod97(lei) == 1 ? null : "has check digits that do not verify (ISO 7064 MOD 97-10): a character is mistyped";
    }

    /// <summary>True when <paramref name="lei"/> is a valid LEI (<see cref="Problem"/> is null).</summary>
    /// <param name="lei">The candidate LEI.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValid(string? lei) => Problem(lei) is null;

    private static int Mod97(string code)
    {
        int remainder = 0;
        foreach (char c in code)
        {
            int value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder;
    }
}

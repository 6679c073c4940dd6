using System.Globalization;

namespace TradSys.Rules.Computations;

/// <summary>
/// Unique Transaction Identifiers (ISO 23897, EMIR Refit): the generating entity's 20-character LEI followed by
/// a value unique to that entity, at most 52 characters in all, upper-case letters and digits only.
/// Deterministic: the same inputs give the same UTI, so a replay of the journal regenerates it.
/// </summary>
public static class Uti
{
    /// <summary>The maximum UTI length.</summary>
    public const int MaxLength = 52;

    /// <summary>The LEI length (ISO 17442).</summary>
    public const int LeiLength = 20;

    /// <summary>Generates a UTI from the generating entity's LEI, the trade date and the journal sequence of the trade.</summary>
    /// <param name="generatingLei">The LEI of the entity generating the UTI.</param>
    /// <param name="tradeDate">The trade date.</param>
    /// <param name="sequence">A number unique among the entity's trades (the journal sequence), non-negative.</param>
    /// <returns>The UTI, e.g. <c>5493001KJTIIGC8Y1R12</c> + <c>T20240529</c> + <c>000000000042</c>.</returns>
    /// <exception cref="ArgumentException">The LEI is not 20 upper-case letters and digits.</exception>
    public static string Generate(string generatingLei, DateOnly tradeDate, long sequence)
    {
        if (!IsValidLei(generatingLei))
        {
            throw new ArgumentException("The generating entity's LEI must be 20 upper-case letters and digits (ISO 17442).", nameof(generatingLei));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        string uti = string.Create(CultureInfo.InvariantCulture, $"{generatingLei}T{tradeDate:yyyyMMdd}{sequence:D12}");
        return uti;
    }

    /// <summary>True when <paramref name="uti"/> has the ISO 23897 structure: a valid LEI prefix, at most 52 characters, A-Z and 0-9 only.</summary>
    /// <param name="uti">The candidate.</param>
    /// <returns>Whether it is structurally valid.</returns>
    public static bool IsValid(string? uti) =>
        uti is not null && uti.Length > LeiLength && uti.Length <= MaxLength && IsValidLei(uti[..LeiLength]) && uti.All(IsUpperAlphanumeric);

    /// <summary>True when <paramref name="lei"/> is a valid LEI: 20 upper-case letters and digits whose ISO 7064 MOD 97-10 check digits verify (<see cref="Lei"/>).</summary>
    /// <param name="lei">The candidate LEI.</param>
    /// <returns>Whether it is a valid LEI.</returns>
    public static bool IsValidLei(string? lei) => Lei.IsValid(lei);

    private static bool IsUpperAlphanumeric(char c) => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9');
}

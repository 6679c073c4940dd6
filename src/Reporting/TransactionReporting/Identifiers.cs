using System.Globalization;

namespace TradSys.Reporting.TransactionReporting;

/// <summary>How a party is identified in a transaction report.</summary>
/// <param name="Type">LEI, MIC, NATIONAL_ID or ALGO; NONE when it could not be identified (the validation section says why).</param>
/// <param name="Id">The code, or null.</param>
/// <param name="Scheme">For NATIONAL_ID: NIDN, CCPT or CONCAT.</param>
/// <param name="FirstName">A natural person's first name (RTS 22 fields 9/18).</param>
/// <param name="Surname">A natural person's surname (fields 10/19).</param>
/// <param name="BirthDate">A natural person's birth date (fields 11/20).</param>
public sealed record PartyIdentification(string Type, string? Id, string? Scheme = null, string? FirstName = null, string? Surname = null,
    DateOnly? BirthDate = null)
{
    /// <summary>As printed: "LEI 5299...", "NATIONAL_ID (CONCAT) DE1979...".</summary>
    public override string ToString() => Type switch
    {
        "NONE" => "not identified",
        "NATIONAL_ID" => $"NATIONAL_ID ({Scheme}) {Id}",
        _ => $"{Type} {Id}",
    };
}

/// <summary>Identifier checks shared by the MiFIR and EMIR reports.</summary>
public static class Identifiers
{
    /// <summary>
    /// An account as a buyer, seller or counterparty: a legal entity by its LEI (ESMA CON-011: an LEI-eligible client without an LEI
    /// may not be served), a natural person by the national client identifier of RTS 22 Art 6. The problem is null when it is fine.
    /// </summary>
    public static (PartyIdentification Id, string? Problem) Party(ReportingAccount account, NationalClientIdentifiers rules)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(rules);
        if (account.IsLegalEntity)
        {
            if (string.IsNullOrEmpty(account.Lei))
            {
                return (new("NONE", null),
                    $"account {Num(account.AccountId)} {account.Name} is a legal entity without an LEI: ESMA validation CON-011 — no reportable " +
                    "service may be provided to an LEI-eligible client without an LEI (RTS 22 Art 13(2))");
            }
            return Lei.Problem(account.Lei) is { } bad
                ? (new("LEI", account.Lei), $"account {Num(account.AccountId)} {account.Name}: {bad}")
                : (new("LEI", account.Lei), null);
        }
        var (id, problem) = rules.For(account.Person);
        return id is null
            ? (new("NONE", null), $"account {Num(account.AccountId)} {account.Name}: {problem}")
            : (new("NATIONAL_ID", id.Id, id.Scheme, account.Person.FirstName, account.Person.Surname, account.Person.BirthDate), null);
    }

    /// <summary>The person or algorithm within the firm (RTS 22 fields 57 and 59).</summary>
    public static (PartyIdentification Id, string? Problem) Person(ReportingUser user, NationalClientIdentifiers rules)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(rules);
        if (!string.IsNullOrWhiteSpace(user.AlgoId))
        {
            return (new("ALGO", user.AlgoId), null);
        }
        var (id, problem) = rules.For(user.Person);
        return id is null
            ? (new("NONE", null), $"user {user.UserName}: {problem}")
            : (new("NATIONAL_ID", id.Id, id.Scheme), null);
    }

    /// <summary>What is wrong with an ISIN (ISO 6166: 2 letters, 9 letters or digits, a Luhn check digit over the letters as numbers), or null.</summary>
    public static string? IsinProblem(string? isin)
    {
        if (string.IsNullOrEmpty(isin))
        {
            return "no ISIN";
        }
        if (isin.Length != 12 || !char.IsAsciiLetterUpper(isin[0]) || !char.IsAsciiLetterUpper(isin[1]) || !char.IsAsciiDigit(isin[11]) ||
            !isin.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
        {
            return $"'{isin}' is not 2 letters, 9 letters or digits and a check digit (ISO 6166)";
        }
        var digits = string.Concat(isin[..11].Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture)));
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var n = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                n *= 2;
                if (n > 9)
                {
                    n -= 9;
                }
            }
            sum += n;
        }
        return (10 - (sum % 10)) % 10 == isin[11] - '0' ? null : $"'{isin}' fails its check digit (ISO 6166)";
    }

    /// <summary>A UTC time at the venue's granularity: whole seconds, or 1 to 6 decimals, truncated, with a Z.</summary>
    public static string UtcTimestamp(DateTime utc, int decimals)
    {
        var d = Math.Clamp(decimals, 0, 6);
        var ticksPerUnit = TimeSpan.TicksPerSecond / (long)Math.Pow(10, d);
        var truncated = new DateTime(utc.Ticks - (utc.Ticks % ticksPerUnit), DateTimeKind.Utc);
        var format = d == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss." + new string('f', d) + "'Z'";
        return truncated.ToString(format, CultureInfo.InvariantCulture);
    }

    internal static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}

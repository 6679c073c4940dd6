using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TradSys.Reporting.TransactionReporting;

/// <summary>What the firm knows about a natural person (a client or a user) to identify them in a transaction report.</summary>
/// <param name="FirstName">First name(s) as on the identity document.</param>
/// <param name="Surname">Surname(s) as on the identity document.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Nationality">ISO 3166 alpha-2 nationality.</param>
/// <param name="NationalId">The national identifier Annex II names for the nationality, when on file.</param>
/// <param name="PassportNumber">Passport number, when on file.</param>
public sealed record PersonDetails(string? FirstName, string? Surname, DateOnly? BirthDate, string? Nationality, string? NationalId, string? PassportNumber)
{
    /// <summary>Nothing on file.</summary>
    public static readonly PersonDetails None = new(null, null, null, null, null, null);
}

/// <summary>A natural person's identifier in a transaction report: the value and the scheme it follows.</summary>
/// <param name="Id">Country code of the nationality followed by the identifier (RTS 22 Art 6(1)), e.g. <c>DE19790514LUKASWEBER</c>.</param>
/// <param name="Scheme">NIDN, CCPT or CONCAT.</param>
public sealed record NationalClientId(string Id, string Scheme);

/// <summary>
/// RTS 22 Art 6 and Annex II: which identifier a natural person is reported with, by nationality, in priority order, and
/// how the CONCAT code is built. The table is data (an embedded JSON file with its source), not code.
/// </summary>
public sealed class NationalClientIdentifiers
{
    private readonly Dictionary<string, string[]> countries;
    private readonly string[] allOther;
    private readonly string[] prefixes;
    private readonly HashSet<string> titles;

    private NationalClientIdentifiers(Dictionary<string, string[]> countries, string[] allOther, IEnumerable<string> prefixes, IEnumerable<string> titles, string source)
    {
        this.countries = countries;
        this.allOther = allOther;
        // Longest first, so "van der" is removed before "van".
        this.prefixes = [.. prefixes.Select(p => p.ToUpperInvariant()).OrderByDescending(p => p.Length)];
        this.titles = new HashSet<string>(titles.Select(t => t.ToUpperInvariant().Replace(".", "", StringComparison.Ordinal)), StringComparer.Ordinal);
        Source = source;
    }

    /// <summary>Where the table comes from.</summary>
    public string Source { get; }

    /// <summary>The Annex II table shipped with the platform (<c>rts22-national-identifiers.json</c>).</summary>
    public static NationalClientIdentifiers Annex2 { get; } = Load();

    /// <summary>The identifier schemes Annex II lists for a nationality, highest priority first.</summary>
    public IReadOnlyList<string> Priorities(string nationality) =>
        countries.TryGetValue(nationality.ToUpperInvariant(), out var list) ? list : allOther;

    /// <summary>
    /// The person's identifier: the highest-priority scheme of their nationality that the firm has the data for, or the
    /// problem (which data is missing) when none can be built.
    /// </summary>
    public (NationalClientId? Id, string? Problem) For(PersonDetails person)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (string.IsNullOrWhiteSpace(person.Nationality) || person.Nationality.Length != 2)
        {
            return (null, "no nationality on file (ISO 3166 alpha-2): the national client identifier depends on it (RTS 22 Art 6, Annex II)");
        }
        var country = person.Nationality.ToUpperInvariant();
        var missing = new List<string>();
        foreach (var scheme in Priorities(country))
        {
            switch (scheme)
            {
                case "NIDN" when !string.IsNullOrWhiteSpace(person.NationalId):
                    return (new(country + Clean(person.NationalId), "NIDN"), null);
                case "CCPT" when !string.IsNullOrWhiteSpace(person.PassportNumber):
                    return (new(country + Clean(person.PassportNumber), "CCPT"), null);
                case "CONCAT":
                    var concat = Concat(person);
                    if (concat is not null)
                    {
                        return (new(country + concat, "CONCAT"), null);
                    }
                    missing.Add("CONCAT needs first name, surname and birth date");
                    break;
                case "NIDN":
                    missing.Add("no national identifier on file");
                    break;
                case "CCPT":
                    missing.Add("no passport number on file");
                    break;
            }
        }
        return (null, $"no identifier for a national of {country} (Annex II order {string.Join(", ", Priorities(country))}): {string.Join("; ", missing)}");
    }

    /// <summary>The CONCAT code without the country: YYYYMMDD, five letters of the first name, five of the surname (# padded); null when data is missing.</summary>
    public string? Concat(PersonDetails person)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (person.BirthDate is not { } born || string.IsNullOrWhiteSpace(person.FirstName) || string.IsNullOrWhiteSpace(person.Surname))
        {
            return null;
        }
        // Only the first of several first names is used; the whole surname (without prefixes) is.
        var first = Five(Letters(StripTitles(person.FirstName).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? ""));
        var last = Five(Letters(StripPrefixes(StripTitles(person.Surname))));
        return born.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + first + last;
    }

    private string StripTitles(string name)
    {
        var words = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && titles.Contains(words[0].ToUpperInvariant().Replace(".", "", StringComparison.Ordinal)))
        {
            words.RemoveAt(0);
        }
        return string.Join(' ', words);
    }

    private string StripPrefixes(string surname)
    {
        var upper = surname.Trim().ToUpperInvariant();
        foreach (var prefix in prefixes)
        {
            if (upper.Length > prefix.Length && upper.StartsWith(prefix, StringComparison.Ordinal) &&
                (prefix.EndsWith('\'') || upper[prefix.Length] is ' ' or '\''))
            {
                return upper[prefix.Length..].TrimStart(' ', '\'');
            }
        }
        return upper;
    }

    /// <summary>Upper-case Latin letters only: accents removed (é to E), apostrophes, hyphens, dots and spaces dropped.</summary>
    private static string Letters(string text)
    {
        var decomposed = text.ToUpperInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (c is >= 'A' and <= 'Z')
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string Five(string letters) => letters.Length >= 5 ? letters[..5] : letters.PadRight(5, '#');

    private static string Clean(string value) => new([.. value.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit)]);

    private static NationalClientIdentifiers Load()
    {
        using var stream = typeof(NationalClientIdentifiers).Assembly.GetManifestResourceStream("TradSys.Reporting.TransactionReporting.rts22-national-identifiers.json")
            ?? throw new InvalidOperationException("the RTS 22 Annex II table (rts22-national-identifiers.json) is not embedded in TradSys.Reporting");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        static string[] List(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetString()!)];
        var countries = root.GetProperty("countries").EnumerateObject().ToDictionary(p => p.Name, p => List(p.Value), StringComparer.Ordinal);
        return new NationalClientIdentifiers(countries, List(root.GetProperty("allOtherCountries")), List(root.GetProperty("namePrefixes")),
            List(root.GetProperty("titles")), root.GetProperty("source").GetString()!);
    }
}

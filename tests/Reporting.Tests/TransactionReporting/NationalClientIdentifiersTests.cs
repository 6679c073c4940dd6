using TradSys.Reporting.TransactionReporting;

namespace TradSys.Reporting.Tests.TransactionReporting;

public sealed class NationalClientIdentifiersTests
{
    private static readonly NationalClientIdentifiers Annex2 = NationalClientIdentifiers.Annex2;

    [Fact]
    public void A_german_national_is_identified_by_concat_from_birth_date_and_names()
    {
        var (id, problem) = Annex2.For(new PersonDetails("Lukas", "Weber", new DateOnly(1979, 5, 14), "DE", null, null));
        Assert.Null(problem);
        Assert.Equal(new NationalClientId("DE19790514LUKASWEBER", "CONCAT"), id);
    }

    [Theory]
    [InlineData("Ursula Gertrud", "von der Leyen", "URSULLEYEN")]
    [InlineData("Ed", "Li", "ED###LI###")]
    [InlineData("José", "Müller-Lüdenscheidt", "JOSE#MULLE")]
    [InlineData("Dr. Sean", "O'Brien", "SEAN#BRIEN")]
    public void Concat_drops_titles_and_prefixes_accents_and_punctuation_and_pads_short_names(string first, string surname, string letters) =>
        Assert.Equal("19800101" + letters, Annex2.Concat(new PersonDetails(first, surname, new DateOnly(1980, 1, 1), "FR", null, null)));

    [Fact]
    public void A_non_eea_national_is_identified_by_passport_first_then_concat()
    {
        Assert.Equal(new NationalClientId("EGA23456789", "CCPT"),
            Annex2.For(new PersonDetails("Amira", "Saleh", new DateOnly(1988, 4, 12), "EG", null, "A23456789")).Id);
        Assert.Equal(new NationalClientId("AE19850130OMAR#KHALI", "CONCAT"),
            Annex2.For(new PersonDetails("Omar", "Khalid", new DateOnly(1985, 1, 30), "AE", null, null)).Id);
    }

    [Fact]
    public void An_italian_without_a_fiscal_code_cannot_be_identified_and_the_problem_says_why()
    {
        var (id, problem) = Annex2.For(new PersonDetails("Marco", "Rossi", new DateOnly(1970, 2, 3), "IT", null, null));
        Assert.Null(id);
        Assert.Equal("no identifier for a national of IT (Annex II order NIDN): no national identifier on file", problem);
        Assert.Equal(new NationalClientId("ITRSSMRC70B03H501X", "NIDN"),
            Annex2.For(new PersonDetails("Marco", "Rossi", new DateOnly(1970, 2, 3), "IT", "RSSMRC70B03H501X", null)).Id);
    }

    [Fact]
    public void A_person_without_nationality_is_a_problem_not_a_guess() =>
        Assert.StartsWith("no nationality on file", Annex2.For(PersonDetails.None).Problem, StringComparison.Ordinal);
}

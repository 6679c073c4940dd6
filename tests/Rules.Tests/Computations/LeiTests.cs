using TradSys.Rules.Computations;

namespace TradSys.Rules.Tests.Computations;

public class LeiTests
{
    [Theory]
    [InlineData("HWUPKR0MPOU8FGXBT394")] // Apple Inc.
    [InlineData("506700GE1G29325QX363")] // GLEIF
    [InlineData("7LTWFZYICNSX8D621K86")] // Deutsche Bank AG
    [InlineData("784F5XWPLTWKTBV3E584")] // The Goldman Sachs Group, Inc.
    [InlineData("INR2EJN1ERAN0W5ZP974")] // Microsoft Corporation
    public void Published_leis_are_valid(string lei)
    {
        Assert.Null(Lei.Problem(lei));
        Assert.True(Lei.IsValid(lei));
        Assert.Equal(Uti.IsValidLei(lei), Lei.IsValid(lei));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("HWUPKR0MPOU8FGXBT39", "it has 19")]
    [InlineData("HWUPKR0MPOU8FGXBT3945", "it has 21")]
    [InlineData("hwupkr0mpou8fgxbt394", "character 1 is 'h'")]
    [InlineData("HWUPKR0MPOU8FGX-T394", "character 16 is '-'")]
    [InlineData("HWUPKR0MPOU8FGXBT3A4", "two check digits")]
    [InlineData("HWUPKR0MPOU8FGXBT395", "do not verify")]
    [InlineData("HWUPKR0MPOU8FGXBT349", "do not verify")] // the check digits transposed
    [InlineData("HWUPKR0MPOU8FGXTB394", "do not verify")] // two letters transposed
    public void Each_kind_of_bad_lei_is_named(string? lei, string expected)
    {
        string? problem = Lei.Problem(lei);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.False(Uti.IsValidLei(lei));
    }
}

using TradSys.Reporting.TransactionReporting;

namespace TradSys.Reporting.Tests.TransactionReporting;

public sealed class LeiTests
{
    [Theory]
    [InlineData("984500TRDSYSDEMOBK62")]
    [InlineData("5299009TRDSYSNILE056")]
    [InlineData("549300TRDSYSATLCAP25")]
    public void A_code_whose_mod_97_10_remainder_is_one_is_valid(string lei) => Assert.Null(Lei.Problem(lei));

    [Theory]
    [InlineData(null, "no LEI")]
    [InlineData("984500TRDSYSDEMOBK63", "'984500TRDSYSDEMOBK63' fails its check digits (ISO 7064 MOD 97-10)")]
    [InlineData("984500TRDSYSDEMOBK6", "'984500TRDSYSDEMOBK6' has 19 characters; an LEI has 20 (ISO 17442)")]
    [InlineData("984500trdsysdemobk62", "'984500trdsysdemobk62' contains 't'; an LEI has only upper-case letters and digits (ISO 17442)")]
    public void Each_malformed_code_is_named_with_what_is_wrong(string? lei, string problem) => Assert.Equal(problem, Lei.Problem(lei));
}

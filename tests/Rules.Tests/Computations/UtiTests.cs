using TradSys.Rules.Computations;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Computations;

public class UtiTests
{
    [Fact]
    public void A_uti_is_the_generating_lei_then_a_unique_value_within_52_characters()
    {
        string uti = Uti.Generate(Contexts.ValidLei, new DateOnly(2025, 6, 2), 42);

        Assert.Equal("5493001KJTIIGC8Y1R12T20250602000000000042", uti);
        Assert.True(uti.Length <= Uti.MaxLength);
        Assert.True(Uti.IsValid(uti));
    }

    [Fact]
    public void Generation_is_deterministic_and_distinct_per_sequence()
    {
        var date = new DateOnly(2025, 6, 2);

        Assert.Equal(Uti.Generate(Contexts.ValidLei, date, 7), Uti.Generate(Contexts.ValidLei, date, 7));
        Assert.NotEqual(Uti.Generate(Contexts.ValidLei, date, 7), Uti.Generate(Contexts.ValidLei, date, 8));
        Assert.True(Uti.Generate(Contexts.ValidLei, date, long.MaxValue).Length <= Uti.MaxLength);
    }

    [Theory]
    [InlineData("HWUPKR0MPOU8FGXBT394")] // Apple Inc.
    [InlineData("506700GE1G29325QX363")] // GLEIF, the LEI foundation itself
    [InlineData("7LTWFZYICNSX8D621K86")] // Deutsche Bank AG
    [InlineData("784F5XWPLTWKTBV3E584")] // The Goldman Sachs Group, Inc.
    [InlineData("INR2EJN1ERAN0W5ZP974")] // Microsoft Corporation
    public void Published_leis_pass_the_iso_7064_mod_97_10_check(string lei)
    {
        Assert.True(Uti.IsValidLei(lei));
        // Changing any one character to its neighbour (a digit to the next digit, a letter to the next letter) breaks the check.
        for (int i = 0; i < lei.Length; i++)
        {
            char c = lei[i];
            char other = c switch { '9' => '0', 'Z' => 'Y', _ => (char)(c + 1) };
            Assert.False(Uti.IsValidLei(string.Concat(lei.AsSpan(0, i), other.ToString(), lei.AsSpan(i + 1))), $"position {i}");
        }
    }

    [Theory]
    [InlineData("5493001KJTIIGC8Y1R13")]
    [InlineData("5493001kjtiigc8y1r12")]
    [InlineData("5493001KJTIIGC8Y1R1")]
    [InlineData("")]
    public void An_invalid_lei_is_refused(string lei)
    {
        Assert.False(Uti.IsValidLei(lei));
        Assert.Throws<ArgumentException>(() => Uti.Generate(lei, new DateOnly(2025, 6, 2), 1));
    }

    [Fact]
    public void Validation_rejects_utis_too_long_or_with_other_characters()
    {
        Assert.False(Uti.IsValid(Contexts.ValidLei + new string('1', 33)));
        Assert.True(Uti.IsValid(Contexts.ValidLei + new string('1', 32)));
        Assert.False(Uti.IsValid(Contexts.ValidLei + "-1"));
    }
}

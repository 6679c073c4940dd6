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

using TradSys.Web.RulePacks;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>
/// <see cref="RulePackMentions.Places"/>: where a pack names a symbol or an ISIN (a string list's item, a string parameter, a quoted
/// literal in appliesTo or a rule's expression, ignoring case), and what it leaves alone (prose, a name that only contains it).
/// </summary>
public sealed class RulePackMentionsTests
{
    private const string Pack = """
        {
          "id": "house", "regime": "House", "version": "2.0.0", "effectiveFrom": "2026-01-01",
          "description": "Restricted COMI.INT list (prose is not read)",
          "appliesTo": "Instrument.Symbol != 'comi.int'",
          "parameters": {
            "Restricted": { "type": "stringList", "value": ["HRHO", "COMI.INT"], "description": "restricted" },
            "Watched": { "type": "string", "value": "EGS60121C018", "description": "watched ISIN" },
            "Other": { "type": "stringList", "value": ["COMI.INT.X"], "description": "a longer symbol" },
            "Limit": { "type": "number", "value": 5, "description": "a number" }
          },
          "rules": [
            { "id": "H.1", "description": "d", "expression": "Instrument.Symbol == \"COMI.INT\" && Order.Quantity > @Limit", "outcome": "Block",
              "reasonCode": "H-1", "message": "COMI.INT is restricted", "regulation": "house" },
            { "id": "H.2", "description": "d", "expression": "@Restricted.Contains(Instrument.Symbol)", "outcome": "Block",
              "reasonCode": "H-2", "message": "restricted", "regulation": "house" }
          ]
        }
        """;

    [Fact]
    public void Each_list_item_value_and_quoted_literal_naming_the_symbol_or_the_isin_is_a_place()
    {
        var (regime, places) = RulePackMentions.Places(Pack, ["COMI.INT", "EGS60121C018"]);
        Assert.Equal("House", regime);
        Assert.Equal([
            "parameter Restricted lists COMI.INT", "parameter Watched is EGS60121C018", "appliesTo names \"COMI.INT\"",
            "rule H.1's expression names \"COMI.INT\"",
        ], places);
    }

    [Fact]
    public void A_pack_that_does_not_name_the_symbol_has_no_place()
    {
        Assert.Empty(RulePackMentions.Places(Pack, ["ETEL"]).Places);
    }
}

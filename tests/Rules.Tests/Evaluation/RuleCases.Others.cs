namespace TradSys.Rules.Tests.Evaluation;

internal static partial class RuleCases
{
    private static partial IEnumerable<RuleCase> Others()
    {
        yield break;
    }
}

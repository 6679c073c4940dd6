namespace TradSys.Rules.Packs;

/// <summary>What a fired rule does to an order. Ordered by severity: the decision takes the highest.</summary>
public enum RuleOutcome
{
    /// <summary>No rule fired.</summary>
    Pass = 0,
    /// <summary>Shown to the trader; the order goes on.</summary>
    Warn = 1,
    /// <summary>Tagged for regulatory reporting; the order goes on.</summary>
    Report = 2,
    /// <summary>Held for people to approve or reject.</summary>
    Review = 3,
    /// <summary>Rejected with the rule's reason code and message.</summary>
    Block = 4,
}

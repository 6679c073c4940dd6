using TradSys.Engine;

namespace TradSys.Rules.Context;

/// <summary>
/// What a workflow guard may read: the facts a workflow instance keeps about its subject (an order held by the
/// rule packs or a large order, or a rule-pack change waiting for a checker) and its progress. Guards are written
/// in the rule packs' expression language and pass the same sandbox, e.g. <c>Outcome == "Review"</c> or
/// <c>NotionalUsd &gt;= @retailThreshold &amp;&amp; ClientCategory == ClientCategory.Retail</c>.
/// </summary>
/// <remarks>
/// The facts are small and serialisable on purpose: a suspended instance stores them and its guards are evaluated
/// again after a restart, when the order's full <see cref="OrderContext"/> no longer exists.
/// </remarks>
public sealed class WorkflowContext
{
    /// <summary>What the workflow is about: <c>"order"</c> or <c>"rulepack"</c>.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The rule packs' outcome for the order (Pass, Report, Warn, Review, Block); empty for other subjects.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The reason codes of the rules that fired, comma-separated (<c>ReasonCodes.Contains("SCA.")</c>).</summary>
    public string ReasonCodes { get; set; } = "";

    /// <summary>The order's notional in the instrument's currency.</summary>
    public decimal Notional { get; set; }

    /// <summary>The order's notional in US dollars at the reference FX rates (thresholds across venues compare this).</summary>
    public decimal NotionalUsd { get; set; }

    /// <summary>The instrument's currency.</summary>
    public string Currency { get; set; } = "";

    /// <summary>The account's client category.</summary>
    public ClientCategory ClientCategory { get; set; } = ClientCategory.Retail;

    /// <summary>The order's account.</summary>
    public long AccountId { get; set; }

    /// <summary>The order's symbol.</summary>
    public string Symbol { get; set; } = "";

    /// <summary>The venue's MIC.</summary>
    public string Mic { get; set; } = "";

    /// <summary>Buy or sell.</summary>
    public Side Side { get; set; }

    /// <summary>The order's quantity.</summary>
    public long Quantity { get; set; }

    /// <summary>Who made the subject (the trader's or the pack author's user name); never its checker.</summary>
    public string Maker { get; set; } = "";

    /// <summary>For a rule-pack change: the pack's id.</summary>
    public string PackId { get; set; } = "";

    /// <summary>Distinct approvals recorded on the open task so far.</summary>
    public int Approvals { get; set; }

    /// <summary>True once an SLA timer escalated the open task.</summary>
    public bool Escalated { get; set; }

    /// <summary>Copies every fact of <paramref name="other"/> into this context.</summary>
    /// <param name="other">The context to copy.</param>
    public void CopyFrom(WorkflowContext other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Subject = other.Subject;
        Outcome = other.Outcome;
        ReasonCodes = other.ReasonCodes;
        Notional = other.Notional;
        NotionalUsd = other.NotionalUsd;
        Currency = other.Currency;
        ClientCategory = other.ClientCategory;
        AccountId = other.AccountId;
        Symbol = other.Symbol;
        Mic = other.Mic;
        Side = other.Side;
        Quantity = other.Quantity;
        Maker = other.Maker;
        PackId = other.PackId;
        Approvals = other.Approvals;
        Escalated = other.Escalated;
    }
}

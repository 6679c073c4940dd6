namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// An ExecutionReport (35=8) from an exchange, applied to a routed order by the single writer in the same transaction as the
/// order change and trade it made. The unique (Session, ExecId) is what makes a venue's resend (PossDup) of a report it already
/// sent change nothing, also after a restart.
/// </summary>
public sealed class VenueExecutionRecord
{
    public long Id { get; set; }

    /// <summary>The configured FIX session it came in on.</summary>
    public required string Session { get; set; }

    /// <summary>The venue's ExecID (tag 17), unique per session.</summary>
    public required string ExecId { get; set; }

    /// <summary>The platform order it applied to.</summary>
    public long OrderId { get; set; }

    /// <summary>ExecType (tag 150).</summary>
    public required string ExecType { get; set; }

    /// <summary>The order's state the venue reported (OrdStatus, tag 39, in words).</summary>
    public required string OrderState { get; set; }

    /// <summary>The fill's quantity (LastQty, 32); zero when the report is not a fill.</summary>
    public long LastQuantity { get; set; }

    /// <summary>The fill's price (LastPx, 31); null when the report is not a fill.</summary>
    public decimal? LastPrice { get; set; }

    /// <summary>The platform trade the fill became; null when the report is not a fill.</summary>
    public long? TradeId { get; set; }

    /// <summary>The venue's text (tag 58), e.g. a reject's reason.</summary>
    public string? Text { get; set; }

    /// <summary>When the writer applied it (UTC, the batch's timestamp).</summary>
    public DateTime AppliedAt { get; set; }
}

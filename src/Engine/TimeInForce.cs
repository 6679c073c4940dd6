namespace TradSys.Engine;

/// <summary>How long a limit order's remainder rests. Market orders are implicitly immediate-or-cancel.</summary>
public enum TimeInForce
{
    /// <summary>Until the end of the trading day (the host cancels Day orders at the close).</summary>
    Day = 1,

    /// <summary>Good till canceled.</summary>
    Gtc = 2,
}

namespace TradSys.Engine;

/// <summary>
/// How long an order (or its remainder) lives. Market orders are implicitly immediate-or-cancel (<see cref="Fok"/> is
/// honoured for them); stop and stop-limit orders take <see cref="Day"/>, <see cref="Gtc"/> or <see cref="Gtd"/>.
/// </summary>
public enum TimeInForce
{
    /// <summary>Until the end of the trading day (the host cancels Day orders at the close, with reason <see cref="CancelReason.Expired"/>).</summary>
    Day = 1,

    /// <summary>Good till canceled.</summary>
    Gtc = 2,

    /// <summary>Immediate or cancel: trades what it can on arrival; the remainder is canceled, never rests.</summary>
    Ioc = 3,

    /// <summary>Fill or kill: trades its whole quantity on arrival or nothing at all.</summary>
    Fok = 4,

    /// <summary>Good till date: rests until its <c>ExpireAt</c>; the host expires it (<see cref="CancelReason.Expired"/>).</summary>
    Gtd = 5,
}

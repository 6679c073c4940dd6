namespace TradSys.Client;

/// <summary>
/// What to subscribe to: a channel and its key. <c>market_data</c> and <c>trades</c> take a symbol; <c>order_updates</c> and
/// <c>alerts</c> take an account or none (all the caller's accounts); <c>portfolio</c> takes exactly one account.
/// <see cref="FromSequence"/> (order updates only) resumes after the last journal sequence the client saw.
/// </summary>
public sealed record Subscription(string Channel, string? Symbol = null, long? AccountId = null, long? FromSequence = null)
{
    /// <summary>Level 1 and level 2 of <paramref name="symbol"/>: a snapshot, then updates with a per-symbol sequence.</summary>
    public static Subscription MarketData(string symbol) => new("market_data", Symbol: symbol);

    /// <summary>The public tape of <paramref name="symbol"/>.</summary>
    public static Subscription Trades(string symbol) => new("trades", Symbol: symbol);

    /// <summary>
    /// Every state change and fill of the caller's orders (one account, or all of them), in journal order; with
    /// <paramref name="fromSequence"/>, first every update after it (the resume after a drop), then the live ones, none twice.
    /// </summary>
    public static Subscription OrderUpdates(long? accountId = null, long? fromSequence = null) =>
        new("order_updates", AccountId: accountId, FromSequence: fromSequence);

    /// <summary>One account's positions, P&amp;L, cash and buying power, whole, whenever they may have changed.</summary>
    public static Subscription Portfolio(long accountId) => new("portfolio", AccountId: accountId);

    /// <summary>Risk alerts of one account, or of all the caller's accounts.</summary>
    public static Subscription Alerts(long? accountId = null) => new("alerts", AccountId: accountId);
}

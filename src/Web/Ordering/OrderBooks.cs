using TradSys.Web.Ordering.Journal;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// The single writer's state: the matching engine with its books, the journal recorder that turns the engine's events into
/// order rows, journal entries and trades, the orders held for review outside the engine, the rules' aggregates, the accounts' cash and the next
/// order id. Everything here is rebuilt from the database by <see cref="Recovery"/> at start-up and after a failed commit, so
/// it never holds anything that was not committed once a batch has ended. Only the writer's thread touches it.
/// </summary>
internal sealed class OrderBooks
{
    public OrderBooks(ReferenceDataCache referenceData)
    {
        Recorder = new JournalRecorder(referenceData);
        Engine = new MatchingEngine(Recorder, 1);
        Aggregates = new RuleAggregates(referenceData);
        Cash = new Risk.CashLedger(referenceData);
    }

    /// <summary>The engine, one book per instrument.</summary>
    public MatchingEngine Engine { get; private set; }

    /// <summary>The engine's event sink: the batch's orders, journal entries and trades.</summary>
    public JournalRecorder Recorder { get; private set; }

    /// <summary>Orders held for review (PendingReview): never in the engine until released.</summary>
    public Dictionary<long, OrderRecord> Held { get; private set; } = [];

    /// <summary>The aggregates the rule packs read (open orders, today's activity, positions...), kept current command by command.</summary>
    public RuleAggregates Aggregates { get; }

    /// <summary>Each account's cash and what its open buys reserve (the risk stage's buying power), kept current command by command.</summary>
    public Risk.CashLedger Cash { get; }

    /// <summary>Each account's credit currency (the aggregates' unit).</summary>
    public Dictionary<long, string> CreditCurrencies { get; } = [];

    /// <summary>The id the next new order gets.</summary>
    public long NextOrderId { get; set; } = 1;

    /// <summary>Replaces the books with ones rebuilt from the database.</summary>
    public void Replace(MatchingEngine engine, JournalRecorder recorder, Dictionary<long, OrderRecord> held, long nextOrderId)
    {
        Engine = engine;
        Recorder = recorder;
        Held = held;
        NextOrderId = nextOrderId;
    }

    public string CreditCurrency(long accountId) => CreditCurrencies.GetValueOrDefault(accountId, "");

    /// <summary>A working or held order by id (null when it is neither).</summary>
    public OrderRecord? Open(long orderId) =>
        Recorder.Live.TryGetValue(orderId, out var live) && live.IsWorking ? live : Held.GetValueOrDefault(orderId);

    /// <summary>Feeds what the last command changed into the aggregates the next order's rules read.</summary>
    public void UpdateAggregates()
    {
        foreach (var order in Recorder.CommandTouched)
        {
            Aggregates.OrderChanged(order, CreditCurrency(order.AccountId));
            Cash.OrderChanged(order, CreditCurrency(order.AccountId));
        }
        foreach (var trade in Recorder.CommandTrades)
        {
            Aggregates.Traded(trade, CreditCurrency, IsCleared);
            Cash.Traded(trade, CreditCurrency);
        }
    }

    /// <summary>
    /// The price an instrument is marked at now: the last trade of its trading day, else its reference price (prior close); IsLast
    /// says which.
    /// </summary>
    public (decimal Price, bool IsLast) LastOrReference(TradableInstrument instrument, DateTime now)
    {
        var statistics = Recorder.StatisticsFor(instrument.Spec.Id, now.Ticks);
        return statistics.HasTrades ? (instrument.ToDecimal(statistics.LastPrice), true) : (instrument.Row.ReferencePrice, false);
    }

    private bool IsCleared(long orderId) => Recorder.Live.TryGetValue(orderId, out var order) && order.IsCleared;
}

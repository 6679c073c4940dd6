using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using TradSys.Engine.Commands;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// Micro-benchmarks of the engine's four hot operations. Each iteration runs a batch of <see cref="Batch"/>
/// operations once (invocation count 1); what a batch needs is built in [IterationSetup] and undone in
/// [IterationCleanup], outside the measurement, so the book returns to the same N resting orders every iteration.
/// Each cleanup also checks, from the engine's events and book, that the batch did what the benchmark's name says
/// (no trades for a place, the cancels hit, the amends kept or lost priority, each sweep took out K levels), and
/// throws otherwise: a benchmark that silently measured something else would be worse than none.
/// </summary>
[MemoryDiagnoser]
public abstract class EngineBenchmarkBase
{
    protected const int Batch = 10_000;
    protected const long Mid = 100_000;
    protected static readonly InstrumentId Instrument = ReplayDriver.Instrument;

    /// <summary>Room for every level a setup builds (a sweep adds up to 10 000 on top of 200).</summary>
    private static readonly DepthLevel[] DepthBuffer = new DepthLevel[1 << 15];

    protected MatchingEngine<CheckSink> Engine = null!;
    protected long NextId = 1;

    /// <summary>Resting orders in the book before each batch, spread over 200 levels a side.</summary>
    [Params(1_000, 100_000)]
    public int N { get; set; }

    /// <summary>How far from the mid the base book's best levels are.</summary>
    protected virtual long Gap => 0;

    [GlobalSetup]
    public void GlobalSetup()
    {
        BuildBook();
        AfterBuild();
    }

    /// <summary>Extra orders a benchmark needs on top of the base book.</summary>
    protected virtual void AfterBuild()
    {
    }

    private void BuildBook()
    {
        Engine = ReplayDriver.NewEngine(N + (4 * Batch) + 1024);
        for (int i = 0; i < N; i++)
        {
            bool buy = (i & 1) == 0;
            long offset = 1 + ((i / 2) % 200);
            Submit(NextId++, buy, buy ? Mid - Gap - offset : Mid + Gap + offset, 100);
        }
    }

    protected void Submit(long id, bool buy, long price, long quantity) =>
        Engine.Submit(new SubmitOrder(id, Instrument, 1 + (id % 1000), buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.Gtc, new Price(price), new Quantity(quantity), id));

    protected void Cancel(long id) => Engine.Cancel(new CancelOrder(id, id));

    /// <summary>Levels on one side of the book.</summary>
    protected int Levels(Side side) => Engine.GetDepth(Instrument, side, DepthBuffer);

    protected static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The benchmark's batch did not do what its name says: {what}.");
        }
    }
}

/// <summary>A non-crossing GTC limit order into a book of N orders (joins an existing level's back).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 20, invocationCount: 1)]
public class PlaceBenchmarks : EngineBenchmarkBase
{
    private long first;

    private long tradesBefore;
    private int bidLevelsBefore;

    [IterationSetup]
    public void Setup()
    {
        first = NextId;
        tradesBefore = Engine.Sink.Trades;
        bidLevelsBefore = Levels(Side.Buy);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Place()
    {
        for (int i = 0; i < Batch; i++)
        {
            long id = first + i;
            bool buy = (i & 1) == 0;
            long offset = 1 + (i % 200);
            Submit(id, buy, buy ? Mid - offset : Mid + offset, 100);
        }
    }

    [IterationCleanup]
    public void Cleanup()
    {
        Expect(Engine.Sink.Trades == tradesBefore && Engine.RestingOrderCount == N + Batch, "every place rests without trading");
        Expect(Levels(Side.Buy) == bidLevelsBefore, "every place joins an existing level");
        for (int i = 0; i < Batch; i++)
        {
            Cancel(first + i);
        }

        NextId = first + Batch;
    }
}

/// <summary>Cancels of resting orders (each at the back of a level holding others), in a book of N orders.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 20, invocationCount: 1)]
public class CancelBenchmarks : EngineBenchmarkBase
{
    private long first;

    [IterationSetup]
    public void Setup()
    {
        first = NextId;
        for (int i = 0; i < Batch; i++)
        {
            bool buy = (i & 1) == 0;
            long offset = 1 + (i % 200);
            Submit(first + i, buy, buy ? Mid - offset : Mid + offset, 100);
        }

        NextId = first + Batch;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Cancel()
    {
        for (int i = 0; i < Batch; i++)
        {
            Cancel(first + i);
        }
    }

    [IterationCleanup]
    public void Cleanup() =>
        Expect(Engine.RestingOrderCount == N && Engine.Sink.CancelMiss == 0, "every cancel finds its resting order");
}

/// <summary>Amends of resting orders: quantity down (keeps priority) and a price change (moves to another level's back).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 20, invocationCount: 1)]
public class AmendBenchmarks : EngineBenchmarkBase
{
    private long first;
    private long quantity = 1_000_000;
    private long shift;
    private long keptBefore;
    private long lostBefore;

    protected override void AfterBuild()
    {
        first = NextId;
        for (int i = 0; i < Batch; i++)
        {
            bool buy = (i & 1) == 0;
            long offset = 10 + (i % 150);
            Submit(first + i, buy, buy ? Mid - offset : Mid + offset, quantity);
        }

        NextId = first + Batch;
    }

    [IterationSetup]
    public void Setup()
    {
        keptBefore = Engine.Sink.ModifiedKept;
        lostBefore = Engine.Sink.ModifiedLost;
    }

    /// <summary>Every amend of the batch took effect: all kept priority (quantity down) or all lost it (price change).</summary>
    [IterationCleanup]
    public void Cleanup()
    {
        long kept = Engine.Sink.ModifiedKept - keptBefore;
        long lost = Engine.Sink.ModifiedLost - lostBefore;
        Expect(Engine.Sink.Rejected == 0 && Engine.Sink.Trades == 0, "no amend is rejected or trades");
        Expect((kept == Batch && lost == 0) || (lost == Batch && kept == 0), "every amend keeps priority (quantity down) or every amend loses it (price change)");
    }

    /// <summary>Quantity down at the same price: keeps the order's place in its queue.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void AmendQuantityDown()
    {
        quantity--;
        for (int i = 0; i < Batch; i++)
        {
            long id = first + i;
            bool buy = (i & 1) == 0;
            long offset = 10 + (i % 150) + shift;
            Engine.Modify(new ModifyOrder(id, new Price(buy ? Mid - offset : Mid + offset), new Quantity(quantity), id));
        }
    }

    /// <summary>A price change: the order leaves its queue for the back of another level.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void AmendPrice()
    {
        // Moves every order one tick further from the mid and back on the next iteration: never crosses.
        shift = shift == 0 ? 1 : 0;
        for (int i = 0; i < Batch; i++)
        {
            long id = first + i;
            bool buy = (i & 1) == 0;
            long offset = 10 + (i % 150) + shift;
            Engine.Modify(new ModifyOrder(id, new Price(buy ? Mid - offset : Mid + offset), new Quantity(quantity), id));
        }
    }
}

/// <summary>One aggressive buy that takes out K ask levels (one 10-lot order each), in a book of N orders; K >= 2, since taking one level is not a sweep.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 20, invocationCount: 1)]
public class SweepBenchmarks : EngineBenchmarkBase
{
    private const int Sweeps = 200;
    private const long Base = Mid - 10_000;
    private long firstAggressor;

    private long tradesBefore;
    private int askLevelsBefore;

    [Params(2, 10, 50)]
    public int K { get; set; }

    /// <summary>The base book rests 20,000 ticks away from the mid, leaving room for the sweep band between its sides.</summary>
    protected override long Gap => 20_000;

    [IterationSetup]
    public void Setup()
    {
        // Sweeps x K one-order ask levels at consecutive prices from Base, between the base book's bids and asks.
        for (int s = 0; s < Sweeps * K; s++)
        {
            Submit(NextId++, false, Base + s, 10);
        }

        firstAggressor = NextId;
        NextId += Sweeps;
        tradesBefore = Engine.Sink.Trades;
        askLevelsBefore = Levels(Side.Sell);
    }

    /// <summary>Each sweep traded with K resting orders, and every level the setup added is gone.</summary>
    [IterationCleanup]
    public void Cleanup()
    {
        Expect(Engine.Sink.Trades - tradesBefore == (long)Sweeps * K, "each sweep trades K times");
        Expect(askLevelsBefore - Levels(Side.Sell) == Sweeps * K, "each sweep takes out K levels");
        Expect(Engine.RestingOrderCount == N, "no aggressor rests");
    }

    [Benchmark(OperationsPerInvoke = Sweeps)]
    public void Sweep()
    {
        for (int s = 0; s < Sweeps; s++)
        {
            long limit = Base + ((s + 1) * K) - 1;
            Submit(firstAggressor + s, true, limit, 10L * K);
        }
    }
}

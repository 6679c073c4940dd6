using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Tests.Matching;

/// <summary>
/// The engine and the deliberately simple <see cref="ReferenceMatcher"/> agree on benchmark-shaped streams
/// (the generator of ../shared/bench/gen-orders.cs, in process): same trades, volume, cancel hits and misses, resting orders.
/// </summary>
public class ReplayDifferentialTests
{
    [Theory]
    [InlineData("A", 42)]
    [InlineData("B", 42)]
    [InlineData("A", 7)]
    [InlineData("B", 7)]
    public void Engine_counts_equal_the_reference_matchers_on_a_generated_stream(string kind, int seed)
    {
        ReplayOp[] ops = ReplayStream.Generate(kind, 20_000, seed);
        MatchingEngine<CheckSink> engine = ReplayDriver.NewEngine(1024);

        ReplayDriver.Run(engine, ops);

        ReplayCheck expected = ReferenceMatcher.Run(ops);
        Assert.Equal(expected, ReplayDriver.CheckOf(engine));
        Assert.Equal(0, engine.Sink.Rejected);
        Assert.True(expected.Trades > 0 && expected.CancelOk > 0 && expected.CancelMiss > 0);
    }

    /// <summary>
    /// A book side finds a price's level through a direct-mapped ladder indexed by the price's low bits, sized from the
    /// order capacity. The smallest engine has 128 slots for a stream whose prices span about 600 ticks a side, so many
    /// live levels share a slot and take the binary-search path; the book must come out identical, order for order,
    /// to a large engine's, whose ladder has a slot for every price.
    /// </summary>
    [Theory]
    [InlineData("A", 42)]
    [InlineData("B", 7)]
    public void Prices_that_share_a_ladder_slot_keep_their_own_levels(string kind, int seed)
    {
        ReplayOp[] ops = ReplayStream.Generate(kind, 20_000, seed);
        MatchingEngine<CheckSink> small = ReplayDriver.NewEngine(0);
        MatchingEngine<CheckSink> large = ReplayDriver.NewEngine(1 << 16);

        ReplayDriver.Run(small, ops);
        ReplayDriver.Run(large, ops);

        Assert.Equal(ReferenceMatcher.Run(ops), ReplayDriver.CheckOf(small));
        Assert.Equal(large.StateHash(), small.StateHash());
        var smallDepth = new DepthLevel[1024];
        var largeDepth = new DepthLevel[1024];
        foreach (Side side in new[] { Side.Buy, Side.Sell })
        {
            int n = small.GetDepth(ReplayDriver.Instrument, side, smallDepth);
            Assert.True(n > 128, "the book must span more prices than the small ladder has slots");
            Assert.Equal(largeDepth.AsSpan(0, large.GetDepth(ReplayDriver.Instrument, side, largeDepth)).ToArray(), smallDepth.AsSpan(0, n).ToArray());
        }
    }

    [Fact]
    public void Generator_matches_the_shared_tool_line_for_line()
    {
        // First lines of `dotnet run gen-orders.cs -- B 1000000 42`.
        ReplayOp[] ops = ReplayStream.Generate("B", 3, 42);
        Assert.Equal(ReplayStream.ParseLine("P,1,2,S,100052,17"), ops[0]);
        Assert.Equal(ReplayStream.ParseLine("P,2,3,B,99944,77"), ops[1]);
        Assert.Equal(ReplayStream.ParseLine("P,3,4,B,99949,39"), ops[2]);
    }
}

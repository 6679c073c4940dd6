using TradSys.LoadTest.Measure;

namespace TradSys.LoadTest.Load;

/// <summary>What a workload asks for: the kinds of request, each with its own latency histogram.</summary>
public enum RequestKind
{
    NewOrder,
    Amend,
    Cancel,
    Quote,
}

/// <summary>
/// One connection's counts for one phase (warm-up or measured), merged across connections at the end. Not thread-safe:
/// each connection owns one.
/// </summary>
public sealed class SessionStats
{
    private const int SamplesPerStatus = 5;

    /// <summary>Latency per kind of request, nanoseconds.</summary>
    public Dictionary<RequestKind, LatencyHistogram> Latency { get; } = [];

    /// <summary>Answers by kind and status code.</summary>
    public Dictionary<(RequestKind Kind, int Status), long> Answers { get; } = [];

    /// <summary>For each non-2xx status, the first few distinct problem texts (digits folded to N) and how often each came.</summary>
    public Dictionary<int, Dictionary<string, long>> Problems { get; } = [];

    /// <summary>Non-2xx answers that a racing fill explains (amend or cancel of an order that traded meanwhile), by kind, status and reason.</summary>
    public Dictionary<(RequestKind Kind, int Status, string Reason), long> ExpectedRefusals { get; } = [];

    /// <summary>The statuses of accepted new orders' replies (Accepted, PartiallyFilled, Filled, Canceled by self-trade prevention, Rejected ...).</summary>
    public Dictionary<string, long> NewOrderOutcomes { get; } = [];

    /// <summary>2xx replies that were not the order the tool asked about (wrong id, clientOrderId, symbol or side) or unreadable.</summary>
    public long BadReplies { get; set; }

    public List<string> BadReplySamples { get; } = [];

    /// <summary>Trades seen in replies, and their total quantity.</summary>
    public long Trades { get; set; }

    public long TradedQuantity { get; set; }

    /// <summary>An amend or cancel was drawn but the connection knew no working order: a new order was sent instead.</summary>
    public long FallbacksToNew { get; set; }

    /// <summary>Per second of the phase (from its start, by answer time): answers, answers slower than <see cref="SlowNanoseconds"/>, the slowest.</summary>
    public List<SecondFigures> Seconds { get; } = [];

    /// <summary>What the timeline counts as slow: 20 ms, the open-loop target's p99.</summary>
    public const long SlowNanoseconds = 20_000_000;

    /// <summary>Counts an answer in the second (of the phase) it came in.</summary>
    public void RecordSecond(int second, long nanoseconds)
    {
        if (second < 0)
        {
            return;
        }
        while (Seconds.Count <= second)
        {
            Seconds.Add(new SecondFigures());
        }
        var figures = Seconds[second];
        figures.Answers++;
        if (nanoseconds >= SlowNanoseconds)
        {
            figures.Slow++;
        }
        figures.MaxNanoseconds = Math.Max(figures.MaxNanoseconds, nanoseconds);
    }

    public void RecordLatency(RequestKind kind, long nanoseconds)
    {
        if (!Latency.TryGetValue(kind, out var histogram))
        {
            Latency[kind] = histogram = new LatencyHistogram();
        }
        histogram.Record(nanoseconds);
    }

    public void CountAnswer(RequestKind kind, int status) => Answers[(kind, status)] = Answers.GetValueOrDefault((kind, status)) + 1;

    public void CountProblem(int status, string text)
    {
        if (!Problems.TryGetValue(status, out var texts))
        {
            Problems[status] = texts = [];
        }
        var key = Orders.ProblemText.Normalize(text);
        if (texts.TryGetValue(key, out var n))
        {
            texts[key] = n + 1;
        }
        else if (texts.Count < SamplesPerStatus)
        {
            texts[key] = 1;
        }
        else
        {
            texts["(other texts)"] = texts.GetValueOrDefault("(other texts)") + 1;
        }
    }

    public void CountExpectedRefusal(RequestKind kind, int status, string reason) =>
        ExpectedRefusals[(kind, status, reason)] = ExpectedRefusals.GetValueOrDefault((kind, status, reason)) + 1;

    public void CountOutcome(string status) => NewOrderOutcomes[status] = NewOrderOutcomes.GetValueOrDefault(status) + 1;

    public void CountBadReply(string why)
    {
        BadReplies++;
        if (BadReplySamples.Count < SamplesPerStatus)
        {
            BadReplySamples.Add(why);
        }
    }

    public void Add(SessionStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (kind, histogram) in other.Latency)
        {
            if (!Latency.TryGetValue(kind, out var mine))
            {
                Latency[kind] = mine = new LatencyHistogram();
            }
            mine.Add(histogram);
        }
        foreach (var (key, n) in other.Answers)
        {
            Answers[key] = Answers.GetValueOrDefault(key) + n;
        }
        foreach (var (status, texts) in other.Problems)
        {
            foreach (var (text, n) in texts)
            {
                if (!Problems.TryGetValue(status, out var mine))
                {
                    Problems[status] = mine = [];
                }
                if (mine.ContainsKey(text) || mine.Count < SamplesPerStatus)
                {
                    mine[text] = mine.GetValueOrDefault(text) + n;
                }
                else
                {
                    mine["(other texts)"] = mine.GetValueOrDefault("(other texts)") + n;
                }
            }
        }
        foreach (var (key, n) in other.ExpectedRefusals)
        {
            ExpectedRefusals[key] = ExpectedRefusals.GetValueOrDefault(key) + n;
        }
        foreach (var (key, n) in other.NewOrderOutcomes)
        {
            NewOrderOutcomes[key] = NewOrderOutcomes.GetValueOrDefault(key) + n;
        }
        BadReplies += other.BadReplies;
        foreach (var sample in other.BadReplySamples)
        {
            if (BadReplySamples.Count < SamplesPerStatus)
            {
                BadReplySamples.Add(sample);
            }
        }
        for (var i = 0; i < other.Seconds.Count; i++)
        {
            while (Seconds.Count <= i)
            {
                Seconds.Add(new SecondFigures());
            }
            Seconds[i].Answers += other.Seconds[i].Answers;
            Seconds[i].Slow += other.Seconds[i].Slow;
            Seconds[i].MaxNanoseconds = Math.Max(Seconds[i].MaxNanoseconds, other.Seconds[i].MaxNanoseconds);
        }
        Trades += other.Trades;
        TradedQuantity += other.TradedQuantity;
        FallbacksToNew += other.FallbacksToNew;
    }
}

/// <summary>One second of a phase: how many answers came in it, how many of them slowly, and the slowest.</summary>
public sealed class SecondFigures
{
    public long Answers { get; set; }

    public long Slow { get; set; }

    public long MaxNanoseconds { get; set; }
}

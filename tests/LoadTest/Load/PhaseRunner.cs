using System.Diagnostics;
using System.Net.Sockets;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Measure;
using TradSys.LoadTest.Orders;

namespace TradSys.LoadTest.Load;

/// <summary>How one phase (warm-up or measured) runs.</summary>
/// <param name="Name">For the report: "warm-up", "measured".</param>
/// <param name="Duration">How long requests are started (closed loop) or scheduled (open loop).</param>
/// <param name="MaxRequests">At most this many requests in the phase, all connections together.</param>
/// <param name="Rate">Open loop at this many requests a second, all connections together; null for closed loop.</param>
/// <param name="Grace">After <paramref name="Duration"/>: how long answers in flight (and, open loop, sends behind the
/// schedule) may still take. Then what is left is cut off and counted as timed out or not sent.</param>
public sealed record PhaseSpec(string Name, TimeSpan Duration, long MaxRequests, double? Rate, TimeSpan Grace);

/// <summary>One connection: its transport, its workload session and its counts for the phase under way.</summary>
public sealed class Worker(int index, IHttpTransport transport, ILoadSession session)
{
    public int Index { get; } = index;

    public IHttpTransport? Transport { get; private set; } = transport;

    public ILoadSession Session { get; } = session;

    public LoadRequest Request { get; } = new();

    internal WorkerCounts Counts { get; set; } = new();

    internal async ValueTask CloseAsync()
    {
        if (Transport is { } transport)
        {
            Transport = null;
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}

internal sealed class WorkerCounts
{
    public SessionStats Stats { get; } = new();

    public LatencyHistogram SendLag { get; } = new();

    public long Sent { get; set; }

    public long Answered { get; set; }

    public long Ok { get; set; }

    public long ConnectionErrors { get; set; }

    public long TimedOut { get; set; }

    public long NotSent { get; set; }

    public long SentAfterPlannedEnd { get; set; }

    public string? LastError { get; set; }

    public long LastAnswerAt { get; set; }
}

/// <summary>What a phase measured, all connections merged.</summary>
public sealed class PhaseResult
{
    public required string Name { get; init; }

    public required int Connections { get; init; }

    public double? Rate { get; init; }

    public required TimeSpan PlannedDuration { get; init; }

    public required DateTime StartedUtc { get; init; }

    public required DateTime EndedUtc { get; init; }

    /// <summary>From the phase's start to its last answer.</summary>
    public required double ElapsedSeconds { get; init; }

    public required SessionStats Stats { get; init; }

    public required LatencyHistogram SendLag { get; init; }

    public long Sent { get; init; }

    public long Answered { get; init; }

    public long Ok { get; init; }

    public long ConnectionErrors { get; init; }

    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    public long TimedOut { get; init; }

    public long NotSent { get; init; }

    public long SentAfterPlannedEnd { get; init; }

    public int Reconnects { get; init; }

    public int ConnectionsLeft { get; init; }

    public double ToolCpuSeconds { get; init; }

    public double? ServerCpuSeconds { get; init; }
}

/// <summary>
/// Runs a phase over a set of connections. Closed loop: each connection sends its next request as soon as the last
/// answer arrived, latency = answer - send. Open loop: each connection has a schedule of intended send times (the rate
/// spread evenly over the connections, each connection's times offset by one interval of the total rate), sends at
/// each intended time, or at once when it is behind (an answer came late), and latency = answer - intended time, so a
/// stall shows in every request that had to wait for it instead of in one (coordinated omission). How far behind the
/// schedule the sends fell is measured too (<see cref="PhaseResult.SendLag"/>). Either way a phase is bounded by its
/// request count and by time: after duration + grace, nothing more is sent and answers still missing are cut off.
/// </summary>
public static class PhaseRunner
{
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    public static async Task<PhaseResult> RunAsync(IReadOnlyList<Worker> workers, PhaseSpec spec, Pacer pacer, int? serverPid = null)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var worker in workers)
        {
            worker.Counts = new WorkerCounts();
        }
        var alive = workers.Where(w => w.Transport is not null).ToList();
        var context = new PhaseContext(spec, alive.Count, pacer);
        var toolCpu = Environment.CpuUsage.TotalTime;
        var serverCpu = serverPid is { } pid ? ProcessCpu.Read(pid) : null;
        var startedUtc = DateTime.UtcNow;
        using var cut = new CancellationTokenSource(spec.Duration + spec.Grace + TimeSpan.FromMilliseconds(20));
        context.Cancel = cut.Token;
        var tasks = new Task[alive.Count];
        for (var i = 0; i < alive.Count; i++)
        {
            tasks[i] = RunWorkerAsync(alive[i], i, context);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var endedUtc = DateTime.UtcNow;
        var serverCpuAfter = serverPid is { } p ? ProcessCpu.Read(p) : null;
        var toolCpuAfter = Environment.CpuUsage.TotalTime;

        var stats = new SessionStats();
        var lag = new LatencyHistogram();
        long sent = 0, answered = 0, ok = 0, errors = 0, timedOut = 0, notSent = 0, late = 0, lastAnswer = context.Start;
        var samples = new List<string>();
        foreach (var worker in alive)
        {
            var c = worker.Counts;
            stats.Add(c.Stats);
            lag.Add(c.SendLag);
            sent += c.Sent;
            answered += c.Answered;
            ok += c.Ok;
            errors += c.ConnectionErrors;
            timedOut += c.TimedOut;
            notSent += c.NotSent;
            late += c.SentAfterPlannedEnd;
            lastAnswer = Math.Max(lastAnswer, c.LastAnswerAt);
            if (c.LastError is { } error && samples.Count < 5 && !samples.Contains(error))
            {
                samples.Add(error);
            }
        }
        return new PhaseResult
        {
            Name = spec.Name,
            Connections = alive.Count,
            Rate = spec.Rate,
            PlannedDuration = spec.Duration,
            StartedUtc = startedUtc,
            EndedUtc = endedUtc,
            ElapsedSeconds = Math.Max(0, (lastAnswer - context.Start) / (double)Stopwatch.Frequency),
            Stats = stats,
            SendLag = lag,
            Sent = sent,
            Answered = answered,
            Ok = ok,
            ConnectionErrors = errors,
            ErrorSamples = samples,
            TimedOut = timedOut,
            NotSent = notSent,
            SentAfterPlannedEnd = late,
            Reconnects = workers.Sum(w => w.Transport?.Reconnects ?? 0),
            ConnectionsLeft = workers.Count(w => w.Transport is not null),
            ToolCpuSeconds = (toolCpuAfter - toolCpu).TotalSeconds,
            ServerCpuSeconds = serverCpu is { } before && serverCpuAfter is { } after ? (after - before).TotalSeconds : null,
        };
    }

    private static async Task RunWorkerAsync(Worker worker, int slot, PhaseContext context)
    {
        // Off the caller's thread at once, so that the connections start together.
        await Task.Yield();
        var counts = worker.Counts;
        var transport = worker.Transport!;
        var open = context.Period > 0;
        var planned = open ? context.PlannedSends(slot) : long.MaxValue;
        var offset = open ? context.Offset(slot) : 0;
        for (long k = 0; ; k++)
        {
            long intended;
            if (open)
            {
                if (k >= planned)
                {
                    break;
                }
                intended = context.Start + offset + k * context.Period;
                var now = Stopwatch.GetTimestamp();
                if (now >= context.Hard)
                {
                    counts.NotSent += planned - k;
                    break;
                }
                if (Interlocked.Decrement(ref context.Budget) < 0)
                {
                    break;
                }
                if (now < intended)
                {
                    await context.Pacer.WaitUntilAsync(intended).ConfigureAwait(false);
                }
            }
            else
            {
                if (k == 0 && Stopwatch.GetTimestamp() < context.Start)
                {
                    await context.Pacer.WaitUntilAsync(context.Start).ConfigureAwait(false);
                }
                if (Stopwatch.GetTimestamp() >= context.Deadline || Interlocked.Decrement(ref context.Budget) < 0)
                {
                    break;
                }
                intended = 0;
            }
            var kind = worker.Session.Next(worker.Request);
            var sentAt = Stopwatch.GetTimestamp();
            if (open)
            {
                counts.SendLag.Record(Nanos(sentAt - intended));
                if (sentAt >= context.Deadline)
                {
                    counts.SentAfterPlannedEnd++;
                }
            }
            else
            {
                intended = sentAt;
            }
            counts.Sent++;
            int status;
            try
            {
                status = await transport.ExchangeAsync(worker.Request, context.Cancel).ConfigureAwait(false);
            }
            catch (Exception ex) when (context.Cancel.IsCancellationRequested
                                       && ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                counts.TimedOut++;
                counts.LastError = $"no answer within the phase's grace period ({context.Spec.Grace.TotalSeconds:0} s after its end)";
                worker.Session.OnLost(kind);
                await worker.CloseAsync().ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException or HttpRequestException or ObjectDisposedException)
            {
                counts.ConnectionErrors++;
                counts.LastError = $"{ex.GetType().Name}: {ex.Message}";
                worker.Session.OnLost(kind);
                await worker.CloseAsync().ConfigureAwait(false);
                break;
            }
            var answeredAt = Stopwatch.GetTimestamp();
            counts.Answered++;
            counts.LastAnswerAt = answeredAt;
            if (status is >= 200 and < 300)
            {
                counts.Ok++;
            }
            counts.Stats.RecordLatency(kind, Nanos(answeredAt - intended));
            counts.Stats.RecordSecond((int)((answeredAt - context.Start) / Stopwatch.Frequency), Nanos(answeredAt - intended));
            counts.Stats.CountAnswer(kind, status);
            worker.Session.OnAnswer(kind, status, transport.ResponseBody.Span, counts.Stats);
        }
        worker.Session.Flush();
    }

    private static long Nanos(long ticks) => (long)(ticks * NanosPerTick);

    private sealed class PhaseContext
    {
        public PhaseContext(PhaseSpec spec, int connections, Pacer pacer)
        {
            Spec = spec;
            Pacer = pacer;
            // A short lead so that every connection's task is running when the clock starts.
            Start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
            Deadline = Start + (long)(spec.Duration.TotalSeconds * Stopwatch.Frequency);
            Hard = Deadline + (long)(spec.Grace.TotalSeconds * Stopwatch.Frequency);
            Budget = spec.MaxRequests;
            if (spec.Rate is { } rate && connections > 0)
            {
                Interval = Stopwatch.Frequency / rate;
                Period = (long)(Interval * connections);
                Period = Math.Max(Period, 1);
            }
        }

        public PhaseSpec Spec { get; }

        public Pacer Pacer { get; }

        public long Start { get; }

        public long Deadline { get; }

        public long Hard { get; }

        /// <summary>Ticks between two intended sends of the whole run (1 / rate).</summary>
        private double Interval { get; }

        /// <summary>Ticks between two intended sends of one connection; 0 for closed loop.</summary>
        public long Period { get; }

        public long Budget;

        public CancellationToken Cancel { get; set; }

        public long Offset(int slot) => (long)(slot * Interval);

        /// <summary>How many intended send times of this connection fall before the deadline.</summary>
        public long PlannedSends(int slot)
        {
            var span = Deadline - Start - Offset(slot);
            return span <= 0 ? 0 : (span + Period - 1) / Period;
        }
    }
}

/// <summary>A process's CPU time (user + system) from /proc/PID/stat, for the server's side of the report.</summary>
public static class ProcessCpu
{
    public static TimeSpan? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15, in clock ticks (USER_HZ = 100 on Linux).
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                        + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            return null;
        }
    }
}

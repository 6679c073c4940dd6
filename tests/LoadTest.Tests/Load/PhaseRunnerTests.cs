using System.Text;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Load;
using TradSys.LoadTest.Measure;
using TradSys.LoadTest.Orders;

namespace TradSys.LoadTest.Tests.Load;

public class PhaseRunnerTests
{
    [Fact]
    public async Task A_closed_loop_stops_at_its_request_count()
    {
        using var pacer = new Pacer();
        var workers = Workers(4, _ => new Answer(201, "{}"));
        var result = await PhaseRunner.RunAsync(workers, new PhaseSpec("measured", TimeSpan.FromMinutes(5), 500, null, TimeSpan.FromSeconds(5)), pacer);
        Assert.Equal(500, result.Sent);
        Assert.Equal(500, result.Answered);
        Assert.Equal(500, result.Ok);
        Assert.Equal(500, result.Stats.Latency[RequestKind.Quote].Count);
        Assert.Equal(500, result.Stats.Answers[(RequestKind.Quote, 201)]);
        Assert.Equal(4, result.ConnectionsLeft);
    }

    [Fact]
    public async Task An_open_loop_sends_its_schedule_rate_times_duration()
    {
        using var pacer = new Pacer();
        var workers = Workers(4, _ => new Answer(200, "{}"));
        var result = await PhaseRunner.RunAsync(workers, new PhaseSpec("measured", TimeSpan.FromSeconds(0.5), 100_000, 400, TimeSpan.FromSeconds(30)), pacer);
        Assert.Equal(200, result.Sent);
        Assert.Equal(200, result.Answered);
        Assert.Equal(200, result.SendLag.Count);
        Assert.Equal(0, result.NotSent);
    }

    [Fact]
    public async Task A_connection_error_ends_that_connection_and_is_reported_as_lost()
    {
        using var pacer = new Pacer();
        var sessions = new List<CountingSession>();
        var workers = Workers(2, i => i == 0 ? new Answer(0, "") : new Answer(201, "{}"), sessions);
        var result = await PhaseRunner.RunAsync(workers, new PhaseSpec("measured", TimeSpan.FromMinutes(5), 100, null, TimeSpan.FromSeconds(5)), pacer);
        Assert.Equal(1, result.ConnectionErrors);
        Assert.Equal(1, result.ConnectionsLeft);
        Assert.Equal(99, result.Answered);
        Assert.Equal(1, sessions[0].Lost);
        Assert.Contains("IOException", Assert.Single(result.ErrorSamples), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_2xx_answers_are_counted_by_status_with_their_problem()
    {
        using var pacer = new Pacer();
        var workers = Workers(1, _ => new Answer(429, "{\"title\":\"Too many requests\",\"detail\":\"retry in 1 s\"}"));
        var result = await PhaseRunner.RunAsync(workers, new PhaseSpec("measured", TimeSpan.FromMinutes(5), 10, null, TimeSpan.FromSeconds(5)), pacer);
        Assert.Equal(0, result.Ok);
        Assert.Equal(10, result.Stats.Answers[(RequestKind.Quote, 429)]);
        Assert.Equal(10, result.Stats.Problems[429]["Too many requests: retry in N s"]);
        var report = PhaseReport.From("platform", "quote", result);
        Assert.Equal(10, report.UnexpectedNon2xx);
        Assert.Contains("Too many requests: retry in N s", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_answer_is_in_the_timeline_second_it_came_in()
    {
        using var pacer = new Pacer();
        var workers = Workers(3, _ => new Answer(201, "{}"));
        var result = await PhaseRunner.RunAsync(workers, new PhaseSpec("measured", TimeSpan.FromMinutes(5), 300, null, TimeSpan.FromSeconds(5)), pacer);
        Assert.Equal(300, result.Stats.Seconds.Sum(s => s.Answers));
        var report = PhaseReport.From("platform", "quote", result);
        Assert.Equal(300, report.Timeline.Sum(s => s.Answers));
    }

    [Fact]
    public void The_timeline_names_the_seconds_with_slow_answers_worst_first()
    {
        var a = new SessionStats();
        var b = new SessionStats();
        a.RecordSecond(0, 1_000_000);
        a.RecordSecond(2, 25_000_000);
        b.RecordSecond(2, 30_000_000);
        b.RecordSecond(2, 2_000_000);
        b.RecordSecond(4, 90_000_000);
        a.Add(b);
        Assert.Equal([1L, 0, 3, 0, 1], a.Seconds.Select(s => s.Answers));
        Assert.Equal([0L, 0, 2, 0, 1], a.Seconds.Select(s => s.Slow));
        Assert.Equal(30_000_000, a.Seconds[2].MaxNanoseconds);

        var result = new PhaseResult
        {
            Name = "measured", Connections = 2, PlannedDuration = TimeSpan.FromSeconds(5), StartedUtc = DateTime.UtcNow, EndedUtc = DateTime.UtcNow,
            ElapsedSeconds = 5, Stats = a, SendLag = new LatencyHistogram(),
        };
        var text = PhaseReport.From("platform", "quote", result).ToText();
        Assert.Contains("timeline: 2 of 5 seconds had answers of 20 ms or more: second 2 (2 of 3, max 30 ms), second 4 (1 of 1, max 90 ms)", text, StringComparison.Ordinal);
    }

    private sealed record Answer(int Status, string Body);

    private static List<Worker> Workers(int n, Func<int, Answer> answer, List<CountingSession>? sessions = null)
    {
        var list = new List<Worker>();
        for (var i = 0; i < n; i++)
        {
            var session = new CountingSession();
            sessions?.Add(session);
            list.Add(new Worker(i, new FakeTransport(answer(i)), session));
        }
        return list;
    }

    /// <summary>Answers every request alike; status 0 means the connection breaks.</summary>
    private sealed class FakeTransport(Answer answer) : IHttpTransport
    {
        private readonly byte[] _body = Encoding.UTF8.GetBytes(answer.Body);

        public ReadOnlyMemory<byte> ResponseBody => _body;

        public int Reconnects => 0;

        public async ValueTask<int> ExchangeAsync(LoadRequest request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return answer.Status == 0 ? throw new IOException("the server closed the connection") : answer.Status;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class CountingSession : ILoadSession
    {
        public int Lost { get; private set; }

        public RequestKind Next(LoadRequest request)
        {
            request.Reset(HttpVerb.Get, "/q");
            return RequestKind.Quote;
        }

        public void OnAnswer(RequestKind kind, int status, ReadOnlySpan<byte> body, SessionStats stats)
        {
            if (status >= 300)
            {
                stats.CountProblem(status, ProblemText.Describe(body));
            }
        }

        public void OnLost(RequestKind kind) => Lost++;

        public void Flush()
        {
        }
    }
}

public class OptionsTests
{
    [Fact]
    public void Defaults_are_bounded()
    {
        var o = Options.Parse(["run", "--url", "http://127.0.0.1:5080"]);
        Assert.Equal((16, 200_000L, 20, (double?)null, true, true), (o.Connections, o.Requests, o.DurationSeconds, o.Rate, o.Floor, o.Verify));
    }

    [Theory]
    [InlineData("--connections", "0")]
    [InlineData("--connections", "100000")]
    [InlineData("--duration", "3601")]
    [InlineData("--orders", "50000000")]
    [InlineData("--rate", "1000000")]
    [InlineData("--warmup", "-1")]
    [InlineData("--duration", "ten")]
    public void Silly_values_are_refused(string name, string value)
    {
        var error = Assert.Throws<UsageException>(() => Options.Parse(["run", "--url", "http://127.0.0.1:5080", name, value]));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.0.0.5:5080")]
    [InlineData("http://192.168.1.2")]
    [InlineData("http://example.com")]
    [InlineData("https://127.0.0.1:5080")]
    public void Only_loopback_urls_are_accepted(string url)
    {
        Assert.Throws<UsageException>(() => Options.Parse(["run", "--url", url]));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.5.6.7:1")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public void Loopback_urls_are_accepted(string url) => Assert.Equal(new Uri(url), Options.Parse(["quote", "--url", url]).Url);

    [Fact]
    public void Rate_times_duration_is_bounded_too()
    {
        Assert.Throws<UsageException>(() => Options.Parse(["run", "--url", "http://127.0.0.1:1", "--rate", "200000", "--duration", "600"]));
    }

    [Fact]
    public void Verify_needs_its_acks_file_and_run_its_url()
    {
        Assert.Throws<UsageException>(() => Options.Parse(["verify", "--url", "http://127.0.0.1:1"]));
        Assert.Throws<UsageException>(() => Options.Parse(["run"]));
        Assert.True(Options.Parse(["run", "--floor-only"]).FloorOnly);
    }
}

using System.Globalization;
using System.Text.Json;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Measure;

/// <summary>The order writer's own figures, as <c>GET /api/v1/admin/health</c> reports them since the platform started.</summary>
public sealed record WriterCounters(long Batches, long Commands, double ApplySeconds, double CommitSeconds)
{
    /// <summary>Reads the <c>order-writer</c> check's figures from the admin health report.</summary>
    public static WriterCounters From(JsonElement health)
    {
        foreach (var check in health.GetProperty("checks").EnumerateArray())
        {
            if (check.GetProperty("name").GetString() == "order-writer")
            {
                var data = check.GetProperty("data");
                return new WriterCounters(data.GetProperty("batches").GetInt64(), data.GetProperty("commands").GetInt64(),
                    data.GetProperty("applySeconds").GetDouble(), data.GetProperty("commitSeconds").GetDouble());
            }
        }
        throw new InvalidOperationException("GET /api/v1/admin/health: no order-writer check in the report");
    }
}

/// <summary>
/// What the platform's single writer did during the measured window: the difference of its counters read just before and just
/// after, so a report says whether the run was bound by the writer's cycle (busy most of the wall time) or by something else.
/// </summary>
public sealed record WriterWindow(long Batches, long Commands, double ApplySeconds, double CommitSeconds, double WallSeconds)
{
    public double MeanBatch => Batches == 0 ? 0 : (double)Commands / Batches;

    public static WriterWindow Between(WriterCounters before, WriterCounters after, double wallSeconds) =>
        new(after.Batches - before.Batches, after.Commands - before.Commands, after.ApplySeconds - before.ApplySeconds,
            after.CommitSeconds - before.CommitSeconds, wallSeconds);

    public string ToText()
    {
        if (Batches == 0)
        {
            return "   writer: no batch in the measured window\n";
        }
        var perBatch = 1000.0 / Batches;
        var busy = WallSeconds > 0 ? 100 * (ApplySeconds + CommitSeconds) / WallSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"   writer: {Batches:N0} batches of {MeanBatch:0.0} commands on average; a batch: apply {ApplySeconds * perBatch:0.000} ms, " +
            $"commit {CommitSeconds * perBatch:0.000} ms; busy {busy:0}% of the {WallSeconds:0.0} s\n");
    }

    /// <summary>
    /// The demo's admin API client reads the figures; on a platform without it (not seeded with demo data) the tool says so and
    /// measures on without them.
    /// </summary>
    public static async Task<Func<Task<WriterCounters>>?> ReaderAsync(ApiClient api, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = await api.TokenAsync("admin", "admin-demo-secret", cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"load: the writer's figures are not read (no demo admin client: {ex.Message[..Math.Min(ex.Message.Length, 120)]})");
            return null;
        }
        return async () =>
        {
            using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var health = await api.HealthAsync(token, cut.Token).ConfigureAwait(false);
            return WriterCounters.From(health.RootElement);
        };
    }
}

using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace TradSys.Integration.Tests;

/// <summary>
/// Backup and recovery (issue 18, part 7): runs <c>deploy/backup/recovery-drill.sh</c> as an operator would, against the
/// platform's build output: a throwaway PostgreSQL cluster with the production WAL archiving settings, orders and trades through
/// the API, a base backup, orders before and after a target time T, the loss of the primary and its data directory, a
/// point-in-time restore to T, the platform started on the restored database, and the checks through the API. The drill waits for
/// archive_timeout (not a forced WAL switch) to archive the last orders, as production would. Its result lines are asserted here;
/// its times are printed into the test's output, not asserted.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed partial class RecoveryDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_point_in_time_restore_brings_back_exactly_the_orders_before_T_with_the_books_and_the_audit_chain()
    {
        var (exitCode, result, errors) = await Checkout.RunScriptAsync(Path.Combine("deploy", "backup", "recovery-drill.sh"),
            ["--no-build", "--web-dir", Checkout.WebBuildOutput], new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
        output.WriteLine(result);
        output.WriteLine(errors);

        Assert.True(exitCode == 0, $"the drill exited {exitCode}:\n{result}\n{errors}");
        Assert.Equal("drill: PASS", result.TrimEnd().Split('\n')[^1]);
        // Phase 1 and 2 acknowledged 11 orders before T; phase 3 sent 4 after it (and canceled one of phase 2, traded others).
        Assert.Contains("drill: orders acknowledged before T present with their state at T: 11/11", result, StringComparison.Ordinal);
        Assert.Contains("drill: orders sent after T absent: 4/4", result, StringComparison.Ordinal);
        Assert.Contains("drill: trades equal to those at T: yes (2)", result, StringComparison.Ordinal);
        Assert.Matches(BookLine(), result);
        Assert.Matches(AuditLine(), result);
        Assert.Contains("drill: a new order trades against the rebuilt book: yes", result, StringComparison.Ordinal);
        Assert.Matches(RecoveryStopLine(), result);
        Assert.Contains("(archive_timeout)", result, StringComparison.Ordinal);
        Assert.DoesNotContain("MISMATCH", result, StringComparison.Ordinal);
        foreach (var figure in new[] { "base backup", "restore to T", "platform start on the restored database", "total" })
        {
            Assert.Matches(new Regex($"drill: {Regex.Escape(figure)} [0-9]+\\.[0-9] s", RegexOptions.None, TimeSpan.FromSeconds(1)), result);
        }
    }

    [GeneratedRegex(@"drill: book COMI\.INT rebuilt, depth equal to T: yes \([1-9][0-9]* levels\)")]
    private static partial Regex BookLine();

    [GeneratedRegex(@"drill: audit chain verified: valid, [0-9]+ records, the [1-9][0-9]* of T unchanged: yes")]
    private static partial Regex AuditLine();

    [GeneratedRegex(@"drill: restored to T = .+ \(recovery stopping before commit of transaction [0-9]+, time .+\)")]
    private static partial Regex RecoveryStopLine();
}

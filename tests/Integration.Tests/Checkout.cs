using System.Diagnostics;
using System.Globalization;

namespace TradSys.Integration.Tests;

/// <summary>The repository these tests run from, and its scripts run as an operator runs them.</summary>
internal static class Checkout
{
    /// <summary>The folder holding TradSys.sln above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built in (bin/Release/net10.0 or bin/Debug/net10.0): the platform's is the same.</summary>
    public static string BuildConfiguration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The platform's build output (src/Web/bin/CONFIGURATION/net10.0).</summary>
    public static string WebBuildOutput => Path.Combine(Root, "src", "Web", "bin", BuildConfiguration, "net10.0");

    /// <summary>
    /// Runs a bash script of the repository (a path relative to its root) with <paramref name="arguments"/> and extra
    /// <paramref name="environment"/>, from the root. Past <paramref name="timeout"/> the script gets TERM (its own cleanup stops
    /// what it started), then after a minute its whole process tree is killed, and the test fails with what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunScriptAsync(string script, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Root, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync(CancellationToken.None);
                }
                if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
                {
                    process.Kill(entireProcessTree: true);
                }
                Assert.Fail($"{script} did not finish within {timeout.TotalMinutes:0} minutes:\n{Tail(await stderr)}\n{await stdout}");
            }
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The last 20,000 characters of a long log.</summary>
    public static string Tail(string text) => text.Length <= 20_000 ? text : text[^20_000..];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no TradSys.sln above {AppContext.BaseDirectory}");
    }
}

using System.Diagnostics;
using System.Reflection;

namespace TradSys.LoadTest.Floor;

/// <summary>
/// The floor as a child process (this executable with <c>floor</c>), so that it is measured like the platform: its own
/// process, its own GC heaps and threads. It gets the platform's server GC (ASP.NET Core's default) through
/// DOTNET_gcServer, stops when its stdin closes (also if the tool dies), and is killed if it has not stopped 5 s later.
/// </summary>
public sealed class FloorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private FloorProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public static async Task<FloorProcess> StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs the tool");
        start.FileName = host;
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var arg in new[] { "floor", "--port", "0", "--stdin-stop", "--max-seconds", "3600" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_gcServer"] = "1";
        // The tool's own socket setting (Program) is not the platform's: the floor runs with the runtime's defaults.
        start.Environment.Remove(Http.SocketSettings.InlineCompletions);
        start.Environment["DOTNET_gcConcurrent"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the floor process did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                const string Marker = "floor listening on ";
                if (line.StartsWith(Marker, StringComparison.Ordinal))
                {
                    return new FloorProcess(process, new Uri(line[Marker.Length..].Trim()));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException("the floor process did not say where it listens within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}

using System.Globalization;
using System.Net.Sockets;
using TradSys.LoadTest;
using TradSys.LoadTest.Floor;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Load;
using TradSys.LoadTest.Verify;

// The tool's socket completions run on the socket engine's own thread instead of hopping to the thread pool: a third
// less of the tool's CPU per request against the floor (docs/benchmarks.md, "The load tool"), CPU the server it measures
// gets instead. Read once, when the first socket is made; the floor child process is started without it.
if (Environment.GetEnvironmentVariable(SocketSettings.InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(SocketSettings.InlineCompletions, "1");
}

if (args.Length > 0 && args[0] is "fix" or "ws")
{
    return args[0] == "fix"
        ? await SubcommandAsync("fix", () => TradSys.LoadTest.Fix.FixLoadCommand.RunAsync(TradSys.LoadTest.Fix.FixLoadOptions.Parse(args)),
            TradSys.LoadTest.Fix.FixLoadOptions.Usage,
            ex => ex is InvalidOperationException or SocketException or IOException or TimeoutException or OperationCanceledException)
        : await SubcommandAsync("ws", () => TradSys.LoadTest.Streams.StreamsCommand.RunAsync(TradSys.LoadTest.Streams.StreamsOptions.Parse(args)),
            TradSys.LoadTest.Streams.StreamsOptions.Usage,
            ex => ex is InvalidOperationException or HttpRequestException or SocketException or IOException or TaskCanceledException);
}

Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException ex)
{
    if (ex.Message.Length > 0)
    {
        Console.Error.WriteLine($"load: {ex.Message}");
        Console.Error.WriteLine();
    }
    Console.Error.WriteLine(Options.Usage);
    return ex.Message.Length > 0 ? 2 : 0;
}

try
{
    return options.Command switch
    {
        "floor" => await FloorServer.RunAsync(options.Port, options.MaxSeconds, options.StdinStop),
        "verify" => await VerifyAsync(options),
        _ => await LoadCommand.RunAsync(options),
    };
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or SocketException or IOException or ArgumentException
                               or InvalidDataException or TaskCanceledException)
{
    Console.Error.WriteLine($"load: {ex.Message}");
    return 3;
}

static async Task<int> VerifyAsync(Options o)
{
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load verify: {o.AcksPath} against {o.Url} at {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC"));
    var result = await Verifier.RunAsync(o.Url!, o.AcksPath!, o.Strict, TimeSpan.FromSeconds(o.VerifyTimeoutSeconds));
    var report = VerificationReport.From(result);
    Console.Out.Write(report.ToText());
    if (o.JsonPath is not null)
    {
        File.WriteAllText(o.JsonPath, System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }));
    }
    return result.Passed ? 0 : 1;
}

// A command with options of its own (fix, ws): exit 2 with its usage for a bad command line, 3 when the run could not be done.
static async Task<int> SubcommandAsync(string name, Func<Task<int>> run, string usage, Func<Exception, bool> couldNotRun)
{
    try
    {
        return await run();
    }
    catch (UsageException ex)
    {
        Console.Error.WriteLine($"load {name}: {ex.Message}");
        Console.Error.WriteLine();
        Console.Error.WriteLine(usage);
        return 2;
    }
    catch (Exception ex) when (couldNotRun(ex))
    {
        Console.Error.WriteLine($"load {name}: {ex.Message}");
        return 3;
    }
}

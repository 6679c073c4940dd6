using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Hosting;

/// <summary>What a command reads and writes: its console and its environment (tests give their own).</summary>
public sealed record CommandConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputIsTerminal, Func<string, string?> Variable)
{
    /// <summary>The process's own console and environment.</summary>
    public static CommandConsole System => new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected, Environment.GetEnvironmentVariable);
}

/// <summary>The exit codes of the platform's commands (documented in docs/operations.md).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Done = 0;
    /// <summary>The command line is wrong (an unknown command or option, a missing value, a password on the command line).</summary>
    public const int Usage = 2;
    /// <summary>The input is invalid (a weak password, a bad user name, a reference-data file with problems); nothing was written.</summary>
    public const int Invalid = 3;
    /// <summary>Refused by the data already there (an admin exists, a venue or instrument exists, the actor is not an admin); nothing was written.</summary>
    public const int Refused = 4;
    /// <summary>The database cannot be reached or opened; nothing was written.</summary>
    public const int DatabaseUnavailable = 5;
}

/// <summary>
/// One-time commands of the platform's executable for a production first start, run instead of the web host when the first
/// argument names one (<c>dotnet TradSys.Web.dll admin create-first ...</c>, <c>dotnet TradSys.Web.dll reference load ...</c>).
/// They read the same configuration as the platform (appsettings.json and <c>Section__Key</c> environment variables), so they
/// reach the same database, and apply the migrations first when <c>Platform__MigrateOnStartup</c> is true (the default).
/// </summary>
public static class PlatformCommands
{
    /// <summary>Whether the arguments name a command rather than start the platform.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "admin" or "reference" or "simulator" or "fix-echo" or "help" or "--help";

    /// <summary>Runs the command named by <paramref name="args"/>; <paramref name="settings"/> override the configuration (tests).</summary>
    public static async Task<int> RunAsync(string[] args, CommandConsole console, IReadOnlyDictionary<string, string?>? settings = null)
    {
        switch (args)
        {
            case ["admin", "create-first", .. var rest]:
                return await FirstAdminCommand.RunAsync(rest, console, work => WithDatabaseAsync(console, settings, work));
            case ["reference", "load", .. var rest]:
                return await ReferenceDataLoadCommand.RunAsync(rest, console, work => WithDatabaseAsync(console, settings, work));
            case ["simulator", .. var rest]:
                return await Fix.Simulator.SimulatorCommand.RunAsync(rest, console);
            case ["fix-echo", .. var rest]:
                return await Fix.Acceptance.FixEchoCommand.RunAsync(rest, console);
            case ["help" or "--help", ..]:
                await console.Out.WriteLineAsync(Usage);
                return ExitCodes.Done;
            default:
                await console.Error.WriteLineAsync($"unknown command '{string.Join(' ', args)}'.{Environment.NewLine}{Usage}");
                return ExitCodes.Usage;
        }
    }

    /// <summary>Runs a command that serves until Ctrl-C or SIGTERM (a simulator, the FIX echo acceptor), then returns its exit code.</summary>
    /// <param name="run">The command, given the token that Ctrl-C or SIGTERM cancels.</param>
    internal static async Task<int> UntilStoppedAsync(Func<CancellationToken, Task<int>> run)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await run(stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>What the commands are; printed by <c>help</c> and after a wrong command line.</summary>
    public const string Usage = """
        Commands (run instead of the platform; the same configuration, e.g. Platform__Database and ConnectionStrings__Postgres):
          admin create-first --user NAME --display-name "FULL NAME" [--api-client]
              Creates the platform's first admin when there is none. The password is read from the environment variable
              TRADSYS_ADMIN_PASSWORD, else from standard input (asked twice, not echoed, on a terminal); never from the command
              line. --api-client also issues the admin an API client and prints its secret once.
          reference load FILE --as ADMIN [--dry-run]
              Adds the venues, instruments and FX rates of a JSON file (FILE, or - for standard input), as the named admin.
              Every problem is reported with its place in the file and nothing is written unless the whole file is valid;
              --dry-run only checks. The platform reads reference data at start: load before starting it, or restart it.
          simulator --venue EGX|ADX --port PORT [--sender-comp-id ID] [--clients ID,ID]
              Runs an exchange simulator of the venue (the demo reference data's instruments, the platform's matching engine)
              behind a FIX 4.4 acceptor on 127.0.0.1:PORT until Ctrl-C; --clients are the comp ids it takes a Logon from
              (BROKER1 by default), --sender-comp-id its own (the venue's code by default). Sequence numbers are kept in memory.
          fix-echo --port PORT [--sender-comp-id ID] [--clients ID,ID]
              Runs the platform's FIX 4.4 acceptor on 127.0.0.1:PORT with the echo application QuickFIX's acceptance suite
              expects (ISLD for TW and TW44 by default; numbers in memory, reset at every Logon), to run that suite against
              the session layer (docs/fix.md).
        Exit codes: 0 done, 2 wrong command line, 3 invalid input, 4 refused by the data already there, 5 database unavailable.
        """;

    /// <summary>The parsed arguments of a command: option values, flags present, positional arguments, and what was wrong.</summary>
    internal sealed record Arguments(Dictionary<string, string> Values, HashSet<string> Flags, List<string> Positional, List<string> Problems);

    /// <summary>Reads <c>--name value</c> options, <c>--flag</c> flags and positional arguments; anything else is a problem.</summary>
    internal static Arguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        var parsed = new Arguments(new(StringComparer.Ordinal), new(StringComparer.Ordinal), [], []);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--password" or "-p" || arg.StartsWith("--password=", StringComparison.Ordinal))
            {
                parsed.Problems.Add("a password is never taken from the command line (other users and the shell's history can read it): " +
                                    "set TRADSYS_ADMIN_PASSWORD or give it on standard input");
                i += arg.Contains('=', StringComparison.Ordinal) ? 0 : 1;
            }
            else if (valueOptions.Contains(arg))
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    parsed.Problems.Add($"{arg} needs a value");
                }
                else if (!parsed.Values.TryAdd(arg, args[++i]))
                {
                    parsed.Problems.Add($"{arg} is given twice");
                }
            }
            else if (flags.Contains(arg))
            {
                parsed.Flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Problems.Add($"unknown option {arg} (the options are {string.Join(", ", valueOptions.Concat(flags))})");
            }
            else
            {
                parsed.Positional.Add(arg);
            }
        }
        return parsed;
    }

    /// <summary>Writes the command line's problems and the usage; the exit code for a wrong command line.</summary>
    internal static async Task<int> UsageErrorAsync(CommandConsole console, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await console.Error.WriteLineAsync($"error: {problem}");
        }
        await console.Error.WriteLineAsync(Usage);
        return ExitCodes.Usage;
    }

    /// <summary>
    /// Opens the configured database (migrating it first when configured to) and runs <paramref name="command"/> on it; a database
    /// that cannot be reached is reported with <see cref="ExitCodes.DatabaseUnavailable"/>. Commands check their arguments and input
    /// before they call it, so a wrong command line or a bad input never touches the database.
    /// </summary>
    private static async Task<int> WithDatabaseAsync(CommandConsole console, IReadOnlyDictionary<string, string?>? settings,
        Func<IServiceProvider, TradSysDbContext, Task<int>> command)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = false });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        builder.AddPersistence();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddOpenIddict().AddCore(o => o.UseEntityFrameworkCore().UseDbContext<TradSysDbContext>());
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var options = PlatformOptions.From(builder.Configuration);
        try
        {
            if (options.MigrateOnStartup)
            {
                await db.Database.MigrateAsync();
            }
            else if ((await db.Database.GetPendingMigrationsAsync()).Any())
            {
                await console.Error.WriteLineAsync("the database's schema is not up to date and Platform__MigrateOnStartup is false: " +
                                                   "apply the migrations first (or set Platform__MigrateOnStartup=true)");
                return ExitCodes.Refused;
            }
            return await command(scope.ServiceProvider, db);
        }
        catch (Exception e) when (Unreachable(e) is { } cause)
        {
            await console.Error.WriteLineAsync($"cannot reach the database ({options.Database}): {cause.Message}. Nothing was written. " +
                                               "Check ConnectionStrings__" + options.Database + " and that the server is running.");
            return ExitCodes.DatabaseUnavailable;
        }
    }

    /// <summary>
    /// The failure that says the database could not be reached or opened (refused connection, unknown host, wrong credentials,
    /// a missing database the account may not create, an unreadable file); null for anything else, which stays an error.
    /// </summary>
    private static Exception? Unreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
                                                      || pg.SqlState.StartsWith("28", StringComparison.Ordinal) // authorization
                                                      || pg.SqlState is "3D000" or "42501" or "57P03" or "53300":
                    return e;
                case Npgsql.NpgsqlException npgsql when npgsql is not Npgsql.PostgresException:
                    return e;
                case SocketException or TimeoutException:
                    return e;
                case Microsoft.Data.Sqlite.SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6 or 10 or 14 or 26:
                    return e;
                case DbException when DatabaseUnavailableHandler.Cause(e) is { } cause:
                    return cause;
            }
        }
        return null;
    }
}

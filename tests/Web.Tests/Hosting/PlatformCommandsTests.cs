using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Hosting;

/// <summary>
/// The production first start's commands (issue 14, part 5) on an embedded database: <c>admin create-first</c> creates the one
/// first admin, audited, who then signs in, and refuses every bad input, an existing admin and an unreachable database with its
/// own exit code and nothing written; <c>reference load</c> reports every problem of a file with its place and writes nothing,
/// or loads all of it with an audit record each.
/// </summary>
public sealed partial class PlatformCommandsTests : IDisposable
{
    private const string GoodPassword = "copper-lantern-harbour";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tradsys-tests", Guid.NewGuid().ToString("N"));
    private readonly string _database;

    public PlatformCommandsTests()
    {
        Directory.CreateDirectory(_directory);
        _database = Path.Combine(_directory, "tradsys.db");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Dictionary<string, string?> Settings => new()
    {
        ["Platform:Database"] = "Sqlite",
        ["ConnectionStrings:Sqlite"] = $"Data Source={_database};Pooling=false",
    };

    private sealed record Run(int ExitCode, string Out, string Error);

    private async Task<Run> RunAsync(string stdin, IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyDictionary<string, string?>? settings = null, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(stdin), output, error, InputIsTerminal: false,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        var code = await PlatformCommands.RunAsync(args, console, settings ?? Settings);
        return new Run(code, output.ToString(), error.ToString());
    }

    private Task<Run> CreateFirstAsync(string stdin, params string[] args) =>
        RunAsync(stdin, null, null, ["admin", "create-first", .. args]);

    private async Task<List<(string UserName, string Roles, string Hash)>> UsersAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=false");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT UserName, Roles, PasswordHash FROM users ORDER BY Id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var users = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            users.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return users;
    }

    private async Task<List<(string Actor, string Action, string Subject, string Details)>> AuditAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=false");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT Actor, Action, Subject, Details FROM audit_log ORDER BY Id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<(string, string, string, string)>();
        while (await reader.ReadAsync())
        {
            records.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        return records;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=false");
        await connection.OpenAsync();
        await using var command = new SqliteCommand($"SELECT COUNT(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_first_admin_is_created_audited_and_signs_in_with_the_client_it_was_issued()
    {
        var run = await CreateFirstAsync(GoodPassword + "\n", "--user", "chief", "--display-name", "Chief Administrator", "--api-client");

        Assert.True(run.ExitCode == ExitCodes.Done, run.Error);
        var user = Assert.Single(await UsersAsync());
        Assert.Equal(("chief", "admin"), (user.UserName, user.Roles));
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<User>().VerifyHashedPassword(null!, user.Hash, GoodPassword));
        var audit = await AuditAsync();
        Assert.Equal(["user.created", "user.client_issued"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal($"console:{Environment.UserName}@{Environment.MachineName}", a.Actor));
        Assert.Equal("user/1", audit[0].Subject);
        Assert.Equal("admin create-first", JsonNode.Parse(audit[0].Details)!["via"]!.GetValue<string>());
        Assert.DoesNotContain(GoodPassword, string.Concat(audit.Select(a => a.Details)), StringComparison.Ordinal);

        var clientId = ClientIdLine().Match(run.Out).Groups[1].Value;
        var secret = ClientSecretLine().Match(run.Out).Groups[1].Value;
        await using var platform = new PlatformFactory { DatabasePath = _database, Settings = { ["Platform:SeedDemoData"] = "false" } };
        var admin = new ApiClient(platform.CreateClient());
        await admin.AuthenticateAsync(clientId, secret);
        var users = (await admin.GetAsync("/api/v1/users")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal("chief", Assert.Single(users)!["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_password_may_come_from_the_environment_variable()
    {
        var run = await RunAsync("", new Dictionary<string, string?> { ["TRADSYS_ADMIN_PASSWORD"] = GoodPassword }, null,
            "admin", "create-first", "--user", "chief", "--display-name", "Chief");

        Assert.True(run.ExitCode == ExitCodes.Done, run.Error);
        Assert.NotEqual(PasswordVerificationResult.Failed,
            new PasswordHasher<User>().VerifyHashedPassword(null!, Assert.Single(await UsersAsync()).Hash, GoodPassword));
    }

    [Fact]
    public async Task Every_bad_input_is_named_at_once_and_the_database_is_not_touched()
    {
        var run = await CreateFirstAsync("tiny\n", "--user", "Chief", "--display-name", " ");

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains("--user: must be 3-32 characters", run.Error, StringComparison.Ordinal);
        Assert.Contains("--display-name: must be 1-100 characters", run.Error, StringComparison.Ordinal);
        Assert.Contains("password: must be 12-128 characters", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_database));
    }

    [Fact]
    public async Task A_password_containing_the_user_name_or_missing_is_refused()
    {
        var weak = await CreateFirstAsync("chief-is-the-boss\n", "--user", "chief", "--display-name", "Chief");
        var missing = await CreateFirstAsync("", "--user", "chief", "--display-name", "Chief");

        Assert.Equal((ExitCodes.Invalid, ExitCodes.Invalid), (weak.ExitCode, missing.ExitCode));
        Assert.Contains("password: must not contain the user name", weak.Error, StringComparison.Ordinal);
        Assert.Contains("password: is required: set TRADSYS_ADMIN_PASSWORD or give it as the first line of standard input", missing.Error,
            StringComparison.Ordinal);
        Assert.False(File.Exists(_database));
    }

    [Fact]
    public async Task A_second_first_admin_is_refused_once_an_admin_exists()
    {
        Assert.Equal(ExitCodes.Done, (await CreateFirstAsync(GoodPassword, "--user", "chief", "--display-name", "Chief")).ExitCode);

        var again = await CreateFirstAsync("another-long-passphrase", "--user", "deputy", "--display-name", "Deputy");

        Assert.Equal(ExitCodes.Refused, again.ExitCode);
        Assert.Contains("refused: the platform already has an admin (chief)", again.Error, StringComparison.Ordinal);
        Assert.Equal(["chief"], (await UsersAsync()).Select(u => u.UserName));
        Assert.Single(await AuditAsync());
    }

    [Fact]
    public async Task A_password_on_the_command_line_and_unknown_options_are_refused_before_the_database_is_touched()
    {
        var run = await CreateFirstAsync(GoodPassword, "--user", "chief", "--password", GoodPassword, "--role", "admin");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("a password is never taken from the command line", run.Error, StringComparison.Ordinal);
        Assert.Contains("unknown option --role", run.Error, StringComparison.Ordinal);
        Assert.Contains("--display-name \"FULL NAME\" is required", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_database));
    }

    [Fact]
    public async Task An_unreachable_database_is_said_so_with_its_own_exit_code()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Platform:Database"] = "Postgres",
            // Port 1 on loopback: nothing listens there, the connection is refused at once.
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=tradsys;Password=x;Database=tradsys;Timeout=3",
        };

        var run = await RunAsync(GoodPassword, null, settings, "admin", "create-first", "--user", "chief", "--display-name", "Chief");

        Assert.Equal(ExitCodes.DatabaseUnavailable, run.ExitCode);
        Assert.Contains("cannot reach the database (Postgres)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        var run = await RunAsync("", null, null, "admin", "create-all");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("unknown command 'admin create-all'", run.Error, StringComparison.Ordinal);
    }

    private static string ExampleFile() =>
        Path.Combine(FindRepository(), "docs", "first-start", "reference-data.json");

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("TradSys.sln not found above the test's directory");
    }

    private async Task<Run> LoadAsync(string stdin, params string[] args) => await RunAsync(stdin, null, null, ["reference", "load", .. args]);

    [Fact]
    public async Task The_example_reference_file_loads_with_an_audit_record_each_and_trades_at_the_next_start()
    {
        var first = await CreateFirstAsync(GoodPassword, "--user", "chief", "--display-name", "Chief", "--api-client");
        Assert.Equal(ExitCodes.Done, first.ExitCode);
        var dry = await LoadAsync("", ExampleFile(), "--as", "chief", "--dry-run");
        Assert.True(dry.ExitCode == ExitCodes.Done, dry.Error);
        Assert.Equal(0, await CountAsync("instruments"));

        var load = await LoadAsync("", ExampleFile(), "--as", "chief");

        Assert.True(load.ExitCode == ExitCodes.Done, load.Error);
        Assert.Contains("2 venue(s) (EGX, INTERNAL), 2 instrument(s) (COMI, ETEL.INT), 3 FX rate(s) (USD, EUR, EGP)", load.Out, StringComparison.Ordinal);
        var audit = (await AuditAsync()).Where(a => a.Actor == "chief").ToList();
        Assert.Equal(["venue/EGX", "venue/INTERNAL", "fx_rate/USD", "fx_rate/EUR", "fx_rate/EGP", "instrument/COMI", "instrument/ETEL.INT"],
            audit.Select(a => a.Subject));
        Assert.Equal("XOFF", JsonNode.Parse(audit[1].Details)!["venue"]!["mic"]!.GetValue<string>());

        await using var platform = new PlatformFactory { DatabasePath = _database, Settings = { ["Platform:SeedDemoData"] = "false" } };
        var admin = platform.Anonymous();
        await admin.AuthenticateAsync(ClientIdLine().Match(first.Out).Groups[1].Value, ClientSecretLine().Match(first.Out).Groups[1].Value);
        var instrument = (await admin.GetAsync("/api/v1/instruments/ETEL.INT")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("INTERNAL", 10L, "Trading"), (instrument["venue"]!.GetValue<string>(), instrument["lotSize"]!.GetValue<long>(),
            instrument["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_file_with_problems_lists_each_with_its_place_and_writes_nothing()
    {
        Assert.Equal(ExitCodes.Done, (await CreateFirstAsync(GoodPassword, "--user", "chief", "--display-name", "Chief")).ExitCode);
        var bad = (await File.ReadAllTextAsync(ExampleFile()))
            .Replace("\"EGS60121C018\"", "\"EGS60121C019\"", StringComparison.Ordinal)
            .Replace("\"phase\": \"PreOpen\"", "\"phase\": \"Preopen\"", StringComparison.Ordinal)
            .Replace("\"sector\": \"50101020\"", "\"sector\": \"Telecoms\"", StringComparison.Ordinal)
            .Replace("\"referencePrice\": 38.00", "\"referencePrice\": 38.005", StringComparison.Ordinal)
            .Replace("\"currency\": \"EGP\", \"usdPerUnit\"", "\"currency\": \"EGY\", \"usdPerUnit\"", StringComparison.Ordinal);

        var run = await LoadAsync(bad, "-", "--as", "chief");

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            "standard input: venues[0].sessions[0].phase: 'Preopen' is not a phase: one of PreOpen, Continuous, ClosingAuction, TradeAtClose, PreClose, TradeAtLast",
            "standard input: instruments[0].isin: 'EGS60121C019' fails its check digit (ISO 6166)",
            "standard input: instruments[0].currency: there is no FX rate for EGP in this file or in the database: add it to fxRates (the rules convert every order's notional to USD and EUR)",
            "standard input: instruments[1].currency: there is no FX rate for EGP in this file or in the database: add it to fxRates (the rules convert every order's notional to USD and EUR)",
            "standard input: instruments[1].sector: 'Telecoms' is not a code of the sector classification (docs/sectors.md), e.g. 40101010 for banks",
            "standard input: instruments[1].referencePrice: 38.005 is not on venue INTERNAL's tick table (3 decimals)",
            "6 problems; nothing was written.",
        ], lines);
        Assert.Equal((0L, 0L, 0L), (await CountAsync("venues"), await CountAsync("instruments"), await CountAsync("fx_rates")));
        Assert.Single(await AuditAsync());
    }

    [Fact]
    public async Task Malformed_json_is_placed_by_line_and_column_and_an_unknown_field_is_named()
    {
        Assert.Equal(ExitCodes.Done, (await CreateFirstAsync(GoodPassword, "--user", "chief", "--display-name", "Chief")).ExitCode);

        var wrongType = await LoadAsync("{\n  \"venues\": [\n    { \"code\": \"X1\", \"mic\": 5 }\n  ]\n}", "-", "--as", "chief");
        var unknown = await LoadAsync("{ \"venues\": [ { \"code\": \"XX\", \"mik\": \"ABCD\" } ] }", "-", "--as", "chief");

        Assert.Equal((ExitCodes.Invalid, ExitCodes.Invalid), (wrongType.ExitCode, unknown.ExitCode));
        Assert.StartsWith("standard input: line 3, column ", wrongType.Error, StringComparison.Ordinal);
        Assert.Contains("($.venues[0].mic): the value has the wrong type for this field", wrongType.Error, StringComparison.Ordinal);
        Assert.Contains("($.venues[0].mik): unknown field 'mik'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("venues"));
    }

    [Fact]
    public async Task Loading_is_refused_for_a_user_who_is_not_an_admin_and_for_data_already_there()
    {
        var stranger = await LoadAsync("", ExampleFile(), "--as", "nobody");
        Assert.Equal(ExitCodes.Refused, stranger.ExitCode);
        Assert.Contains("'nobody' is not an active admin", stranger.Error, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Done, (await CreateFirstAsync(GoodPassword, "--user", "chief", "--display-name", "Chief")).ExitCode);
        Assert.Equal(ExitCodes.Done, (await LoadAsync("", ExampleFile(), "--as", "chief")).ExitCode);
        var again = await LoadAsync("", ExampleFile(), "--as", "chief");

        Assert.Equal(ExitCodes.Invalid, again.ExitCode);
        Assert.Contains("instruments[0].symbol: COMI is already in the database", again.Error, StringComparison.Ordinal);
        Assert.Contains("venues[1].code: venue INTERNAL is already in the database", again.Error, StringComparison.Ordinal);
        Assert.Equal(2L, await CountAsync("instruments"));
    }

    [GeneratedRegex(@"client_id\s+(\S+)")]
    private static partial Regex ClientIdLine();

    [GeneratedRegex(@"client_secret\s+(\S+)")]
    private static partial Regex ClientSecretLine();
}

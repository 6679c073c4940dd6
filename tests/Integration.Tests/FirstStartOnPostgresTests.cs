using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// The README's production section walked from an empty PostgreSQL database to a first trade (issue 14, part 5): the platform's
/// executable creates the first admin and loads the example reference data (as an operator runs it: a separate process with the
/// production configuration in its environment and the password on standard input), the platform starts without demo data, the
/// admin signs in with the API client the command issued, creates the traders and an operations user, operations onboards two
/// clients and books their deposits, and the traders' two crossing orders trade.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed partial class FirstStartOnPostgresTests : IAsyncLifetime
{
    private const string AdminPassword = "granite-meadow-lighthouse";
    private readonly ProductionPlatformFactory _platform = new() { Settings = { ["Platform:SeedDemoData"] = "false" } };

    public async Task InitializeAsync()
    {
        // What the database administrator hands over: an empty database the platform's role owns.
        await using var connection = new NpgsqlConnection(ProductionPlatformFactory.BaseConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_platform.DatabaseName}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    private sealed record Run(int ExitCode, string Out, string Error);

    /// <summary>Runs <c>dotnet TradSys.Web.dll ARGS</c> with the production start's database settings in its environment.</summary>
    private async Task<Run> RunPlatformCommandAsync(string stdin, params string[] args)
    {
        var web = Checkout.WebBuildOutput;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(web, "TradSys.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Platform__Database"] = "Postgres";
        start.Environment["ConnectionStrings__Postgres"] = _platform.ConnectionString;
        start.Environment.Remove("TRADSYS_ADMIN_PASSWORD");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Run(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task An_empty_database_reaches_a_first_trade_by_the_README()
    {
        // 1. The first admin, by the platform's executable; the password on standard input.
        var created = await RunPlatformCommandAsync(AdminPassword,
            "admin", "create-first", "--user", "chief", "--display-name", "Chief Administrator", "--api-client");
        Assert.True(created.ExitCode == 0, $"exit {created.ExitCode}: {created.Error}{created.Out}");
        var clientId = ClientIdLine().Match(created.Out).Groups[1].Value;
        var secret = ClientSecretLine().Match(created.Out).Groups[1].Value;

        // A second run is refused: there is an admin now.
        var again = await RunPlatformCommandAsync("another-long-passphrase", "admin", "create-first", "--user", "deputy", "--display-name", "Deputy");
        Assert.True(again.ExitCode == 4, $"exit {again.ExitCode}: {again.Error}");

        // 2. Venues, instruments and FX rates from the example file, as the admin.
        var file = Path.Combine(Checkout.Root, "docs", "first-start", "reference-data.json");
        var loaded = await RunPlatformCommandAsync("", "reference", "load", file, "--as", "chief");
        Assert.True(loaded.ExitCode == 0, $"exit {loaded.ExitCode}: {loaded.Error}");

        // 3. The platform starts without demo data; the admin signs in with the client the command issued.
        var admin = new ApiClient(_platform.CreateClient());
        await admin.AuthenticateAsync(clientId, secret);
        var me = (await admin.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("chief", me["userName"]!.GetValue<string>());

        // 4. Users: two traders and an operations user, each with an API client.
        async Task<(long Id, ApiClient Client)> UserAsync(string userName, string displayName, string role)
        {
            var user = (await admin.PostJsonAsync("/api/v1/users", new { userName, displayName, roles = new[] { role }, password = "saffron-window-orchard" }))
                .Expect(HttpStatusCode.Created).Long("id");
            var issued = (await admin.PostJsonAsync($"/api/v1/users/{user}/clients", new { })).Expect(HttpStatusCode.Created).Json;
            var client = new ApiClient(_platform.CreateClient());
            await client.AuthenticateAsync(issued["clientId"]!.GetValue<string>(), issued["clientSecret"]!.GetValue<string>());
            return (user, client);
        }
        var (buyerId, buyer) = await UserAsync("amira.saleh", "Amira Saleh", "trader");
        var (sellerId, seller) = await UserAsync("omar.khalid", "Omar Khalid", "trader");
        var (_, ops) = await UserAsync("backoffice", "Back Office", "operations");

        // 5. Operations onboards a client for each trader and books their deposits.
        async Task<long> AccountAsync(long owner, string firstName, string surname, string investorNumber)
        {
            var account = (await ops.PostJsonAsync("/api/v1/accounts", new Dictionary<string, object?>
            {
                ["name"] = $"{firstName} {surname}", ["ownerUserId"] = owner, ["clientCategory"] = "Professional", ["isClassified"] = true,
                ["isLegalEntity"] = false, ["jurisdiction"] = "Egypt", ["addressCountry"] = "EG", ["nationality"] = "EG",
                ["investorNumber"] = investorNumber, ["firstName"] = firstName, ["surname"] = surname, ["birthDate"] = "1980-02-03",
                ["passportNumber"] = "A" + investorNumber[^8..], ["fatcaStatus"] = "NonUsPerson", ["creditLimit"] = 10_000_000m,
                ["creditCurrency"] = "EGP", ["reason"] = "onboarding: first clients",
            })).Expect(HttpStatusCode.Created).Long("accountId");
            (await ops.PostJsonAsync($"/api/v1/accounts/{account}/cash/deposits",
                new { currency = "EGP", amount = 1_000_000m, reference = $"WIRE-{account}", reason = "opening deposit" })).Expect(HttpStatusCode.Created);
            return account;
        }
        var buyAccount = await AccountAsync(buyerId, "Karim", "Mansour", "EG-10000001");
        var sellAccount = await AccountAsync(sellerId, "Huda", "Ibrahim", "EG-10000002");

        // 6. Two crossing orders on the internal venue (open around the clock) trade at the resting price.
        var bid = (await buyer.SubmitAsync(buyAccount, "ETEL.INT", "Buy", 38.10m, 100, clientOrderId: "first-buy")).Expect(HttpStatusCode.Created);
        Assert.True(bid.Str("status") == "Accepted", bid.Body);
        var offer = (await seller.SubmitAsync(sellAccount, "ETEL.INT", "Sell", 38.00m, 100, clientOrderId: "first-sell")).Expect(HttpStatusCode.Created);
        Assert.True(offer.Str("status") == "Filled", offer.Body);

        var trade = Assert.Single((await buyer.GetAsync("/api/v1/trades")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray())!;
        Assert.Equal(("ETEL.INT", 38.10m, 100L), (trade["symbol"]!.GetValue<string>(), trade["price"]!.GetValue<decimal>(), trade["quantity"]!.GetValue<long>()));

        // Every step by a person is in the audit trail, the first admin's creation by the console's operator.
        var actions = (await admin.GetAsync("/api/v1/audit?pageSize=500")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray()
            .Select(r => (r!["actor"]!.GetValue<string>(), r["action"]!.GetValue<string>())).ToList();
        Assert.Contains(actions, a => a.Item1.StartsWith("console:", StringComparison.Ordinal) && a.Item2 == "user.created");
        Assert.Contains(("chief", "instrument.created"), actions);
        Assert.Contains(("chief", "user.created"), actions);
        Assert.Contains(("backoffice", "account.created"), actions);
    }

    [GeneratedRegex(@"client_id\s+(\S+)")]
    private static partial Regex ClientIdLine();

    [GeneratedRegex(@"client_secret\s+(\S+)")]
    private static partial Regex ClientSecretLine();
}

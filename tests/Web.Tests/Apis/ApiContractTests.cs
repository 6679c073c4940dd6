using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// The API contract (issue 14): the OpenAPI document of a running platform passes Redocly's recommended rules with every
/// warning an error (redocly.yaml), and a client generated from it with Kiota places, reads and cancels an order.
/// The tools are installed by tests/infra/apitools.sh (pinned; idempotent), which the tests run first.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private readonly KestrelPlatform _platform = new();
    private readonly string _work = Path.Combine(Path.GetTempPath(), "tradsys-contract", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        _platform.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task The_openapi_document_is_lint_clean_under_the_recommended_rules()
    {
        var redocly = (await RunAsync("bash", ["tests/infra/apitools.sh"], Repository.Root)).Stdout.Trim().Split('\n')[^1];
        var document = await SaveDocumentAsync();

        var lint = await RunAsync(redocly, ["lint", document, "--config", Path.Combine(Repository.Root, "redocly.yaml"), "--format", "stylish"], _work,
            mustSucceed: false);

        Assert.True(lint.ExitCode == 0, $"redocly lint failed ({lint.ExitCode}):\n{lint.Output}");
        Assert.Contains("valid", lint.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(document));
        var operations = json.RootElement.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).ToList();
        Assert.True(operations.Count > 50, $"only {operations.Count} operations in the document");
        Assert.All(operations, o => Assert.False(string.IsNullOrEmpty(o.Value.GetProperty("operationId").GetString())));
        Assert.DoesNotContain(json.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject(),
            s => s.Name.Contains("Anonymous", StringComparison.Ordinal));
        Assert.Equal("getOrdersById", json.RootElement.GetProperty("paths").GetProperty("/api/v1/orders/{id}").GetProperty("get").GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task A_client_generated_with_Kiota_places_reads_and_cancels_an_order()
    {
        _platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero); // the internal venue trades round the clock
        await RunAsync("bash", ["tests/infra/apitools.sh"], Repository.Root);
        var document = await SaveDocumentAsync();
        var client = Path.Combine(_work, "client");
        await RunAsync("dotnet", ["tool", "run", "kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", Path.Combine(client, "Generated"),
            "--class-name", "TradSysClient", "--namespace-name", "TradSys.ApiClient", "--exclude-backward-compatible", "--log-level", "Warning"], Repository.Root);
        await File.WriteAllTextAsync(Path.Combine(client, "Client.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Kiota.Bundle" Version="{Repository.PackageVersion("Microsoft.Kiota.Bundle")}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(client, "Program.cs"), ClientProgram);
        var token = await TokenAsync("trader2");

        var run = await RunAsync("dotnet", ["run", "--project", Path.Combine(client, "Client.csproj"), "--", _platform.Origin, "kiota-1"], client,
            environment: new() { ["TRADSYS_TOKEN"] = token });

        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var placed = Assert.Single(lines, l => l.StartsWith("placed ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal("Accepted", placed[2]);
        var id = placed[1];
        Assert.Contains($"read {id} Accepted FAB.INT 10", lines);
        Assert.Contains($"canceled {id} Canceled", lines);
        Assert.Contains("refused 400 HttpValidationProblemDetails", lines);
        var api = new ApiClient(new HttpClient { BaseAddress = new Uri(_platform.Origin) });
        api.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var order = (await api.GetAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Equal("kiota-1", order.Str("clientOrderId"));
    }

    private const string ClientProgram = """
        using Microsoft.Kiota.Abstractions;
        using Microsoft.Kiota.Abstractions.Authentication;
        using Microsoft.Kiota.Http.HttpClientLibrary;
        using TradSys.ApiClient;
        using TradSys.ApiClient.Models;

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Environment.GetEnvironmentVariable("TRADSYS_TOKEN"));
        var client = new TradSysClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = args[0] });

        var placed = await client.Api.V1.Orders.PostAsync(new SubmitOrderRequest
        {
            AccountId = 2001, ClientOrderId = args[1], Symbol = "FAB.INT", Side = "Sell", Price = 16, Quantity = 10,
        });
        Console.WriteLine($"placed {placed!.OrderId} {placed.Status}");
        var read = await client.Api.V1.Orders[placed.OrderId!.Value].GetAsync();
        Console.WriteLine($"read {read!.OrderId} {read.Status} {read.Symbol} {read.Quantity}");
        var canceled = await client.Api.V1.Orders[placed.OrderId.Value].DeleteAsync();
        Console.WriteLine($"canceled {canceled!.OrderId} {canceled.Status}");
        try
        {
            await client.Api.V1.Orders.PostAsync(new SubmitOrderRequest { AccountId = 2001, Symbol = "FAB.INT" });
            Console.WriteLine("an order without side, price or quantity was accepted");
        }
        catch (ApiException refused)
        {
            Console.WriteLine($"refused {refused.ResponseStatusCode} {refused.GetType().Name}");
        }
        """;

    private async Task<string> SaveDocumentAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_platform.Origin) };
        var path = Path.Combine(_work, "openapi.json");
        await File.WriteAllTextAsync(path, await http.GetStringAsync("/openapi/v1.json"));
        return path;
    }

    private async Task<string> TokenAsync(string user)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_platform.Origin) };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = user, ["client_secret"] = $"{user}-demo-secret",
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>Runs a tool; Output is its stdout and stderr, Stdout its stdout alone.</summary>
    private static async Task<(int ExitCode, string Output, string Stdout)> RunAsync(string file, string[] arguments, string directory, bool mustSucceed = true,
        Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        if (mustSucceed)
        {
            Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}\n{await stderr}");
        }
        return (process.ExitCode, output + await stderr, output);
    }

    /// <summary>The platform in its embedded mode on a real Kestrel at 127.0.0.1 and a free port: a generated client needs an address.</summary>
    private sealed class KestrelPlatform : PlatformFactory
    {
        public KestrelPlatform()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            Settings["urls"] = Origin;
            UseKestrel(Port);
        }

        public int Port { get; }

        public string Origin => $"http://127.0.0.1:{Port}";
    }

    private static class Repository
    {
        public static string Root { get; } = FindRoot();

        public static string PackageVersion(string id) =>
            XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("PackageVersion")
                .Single(p => (string?)p.Attribute("Include") == id).Attribute("Version")!.Value;

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
}

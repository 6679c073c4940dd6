using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Observability;

/// <summary>
/// The platform's logs (src/Web/Observability/TelemetryExtensions.cs, OrderLog.cs): with <c>Logging:Format=json</c> each line is
/// a JSON object whose scopes carry the trace id of the order it was logged for, its account and client order id; and no line
/// the platform logs at Information or above ever holds a password, a client secret or a token. In the traces' collection: the
/// console is the process's, and the JSON test swaps it.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class LoggingTests
{
    [Fact]
    public async Task Json_log_lines_carry_the_orders_trace_id_account_and_client_order_id()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            var exported = new List<Activity>();
            using var platform = TracingTests.Traced(exported, new()
            {
                ["Logging:Format"] = "json",
                ["Logging:LogLevel:TradSys.Web.Observability.OrderLog"] = "Debug",
            });
            var trader1 = await platform.ClientForAsync("trader1");
            var reply = (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30, clientOrderId: "json-log-1")).Expect(HttpStatusCode.Created);
            var id = reply.OrderId;
            var (order, _, _) = await TracingTests.OrderTraceAsync(exported, id);

            // The console logger writes on its own thread: wait for the order's line.
            JsonNode? line = null;
            for (var tries = 0; tries < 500 && line is null; tries++)
            {
                line = console.ToString().Split('\n').Where(l => l.StartsWith('{'))
                    .Select(l => JsonNode.Parse(l)!)
                    .FirstOrDefault(l => l["Category"]?.GetValue<string>() == "TradSys.Web.Observability.OrderLog"
                        && l["Message"]!.GetValue<string>().StartsWith($"Order {id}:", StringComparison.Ordinal));
                await Task.Delay(line is null ? 20 : 0);
            }
            Assert.True(line is not null, $"no JSON line for order {id}; console:\n{console}");
            Assert.Equal("Debug", line["LogLevel"]!.GetValue<string>());
            Assert.Equal(id, line["State"]!["OrderId"]!.GetValue<long>());
            var scopes = line["Scopes"]!.AsArray();
            // The request's activity (ASP.NET Core's server span, the order span's parent) names the trace.
            Assert.Contains(scopes, s => s!["TraceId"]?.GetValue<string>() == order.TraceId.ToHexString()
                && s["SpanId"]?.GetValue<string>() == order.ParentSpanId.ToHexString());
            Assert.Contains(scopes, s => s!["AccountId"]?.GetValue<long>() == 1001 && s["ClientOrderId"]?.GetValue<string>() == "json-log-1");
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public async Task No_line_logged_at_Information_or_above_holds_a_password_a_client_secret_or_a_token()
    {
        var captured = new CapturedLog();
        // Every category at Information, as an operator might set it: the platform holds back the categories that would log
        // credentials (OpenIddict's requests with their PKCE verifier, ASP.NET Core's request lines with their query string).
        using var platform = new PlatformFactory
        {
            Settings = new()
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
                ["Logging:LogLevel:OpenIddict"] = "Information",
                ["Logging:LogLevel:MassTransit"] = "Information",
                ["Logging:LogLevel:Hangfire"] = "Information",
            },
            TestServices = services => services.AddSingleton<ILoggerProvider>(captured),
        };

        // A person signs in with their password (the portal's code flow) and gets tokens for the code.
        var browser = new BrowserFlow(platform);
        var (verifier, challenge) = BrowserFlow.Pkce();
        var code = await browser.CodeAsync("trader1", challenge);
        using var codeResponse = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = BrowserFlow.RedirectUri,
            ["client_id"] = "portal", ["code_verifier"] = verifier,
        });
        var codeTokens = JsonNode.Parse(await codeResponse.Content.ReadAsStringAsync())!;
        Assert.True(codeResponse.IsSuccessStatusCode, codeTokens.ToJsonString());

        // An API client asks for a token with its secret, and sends an order with it; a wrong secret is refused (and logged).
        using var wrong = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "trader2", ["client_secret"] = "trader2-wrong-secret-7731",
        });
        Assert.False(wrong.IsSuccessStatusCode);
        using var tokenResponse = await browser.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "trader2", ["client_secret"] = "trader2-demo-secret",
        });
        var clientTokens = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!;
        Assert.True(tokenResponse.IsSuccessStatusCode, clientTokens.ToJsonString());
        var api = new ApiClient(platform.CreateClient(), platform.Errors);
        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", clientTokens["access_token"]!.GetValue<string>());
        (await api.SubmitAsync(2001, "FAB.INT", "Buy", 14.50m, 30)).Expect(HttpStatusCode.Created);
        // The user's own access token on the API too.
        var user = new ApiClient(platform.CreateClient(), platform.Errors);
        user.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", codeTokens["access_token"]!.GetValue<string>());
        (await user.SubmitAsync(1001, "FAB.INT", "Sell", 14.60m, 10)).Expect(HttpStatusCode.Created);
        // A browser's WebSocket puts its access token in the query string.
        await using (await Streaming.StreamClient.ConnectAsync(platform, codeTokens["access_token"]!.GetValue<string>(), inQuery: true))
        {
        }

        var secrets = new Dictionary<string, string>
        {
            ["trader1's password"] = "trader1-demo-password",
            ["trader2's client secret"] = "trader2-demo-secret",
            ["the wrong client secret"] = "trader2-wrong-secret-7731",
            ["the client's access token"] = clientTokens["access_token"]!.GetValue<string>(),
            ["the user's access token"] = codeTokens["access_token"]!.GetValue<string>(),
            ["the user's refresh token"] = codeTokens["refresh_token"]!.GetValue<string>(),
            ["the authorization code"] = code,
            ["the PKCE verifier"] = verifier,
        };
        var lines = captured.Lines.ToArray();
        Assert.True(lines.Length > 10, $"the platform logged only {lines.Length} lines at Information or above");
        // The capture saw the token requests (lines logged while serving them carry the request's scope).
        Assert.Contains(lines, l => l.Contains("RequestPath:/connect/token", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("RequestPath:/ws", StringComparison.Ordinal));
        foreach (var (what, secret) in secrets)
        {
            // A JWT's payload or signature alone is looked for too: a line that kept only part of the token still leaks it (its
            // header is the same in every token, and no secret).
            var needles = secret.Split('.').Skip(1).Where(p => p.Length >= 16).Append(secret).Distinct();
            foreach (var needle in needles)
            {
                var leak = lines.FirstOrDefault(l => l.Contains(needle, StringComparison.Ordinal));
                Assert.True(leak is null, $"{what} is in a log line: {leak}");
            }
        }
    }

    /// <summary>Every line logged at Information or above, with its scopes and exception, as text.</summary>
    private sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => log._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }
                var text = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        text.Append(" | ").Append(key).Append('=').Append(value);
                    }
                }
                log._scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(scope), text);
                if (exception is not null)
                {
                    text.Append('\n').Append(exception);
                }
                log.Lines.Enqueue(text.ToString());
            }
        }
    }
}

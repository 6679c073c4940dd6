using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// A standby forwards the REST order commands, and the writer's other requests (a cash booking, the cash statement, a CSV import),
/// to the writer's leader (issue 18, <c>src/Web/Cluster/CommandForwarding.cs</c>):
/// nodes on real loopback ports advertising their addresses (<c>Cluster:AdvertisedUrl</c>), the leader's written into the lease row.
/// The caller gets the leader's answer unchanged, with <c>X-Forwarded-To-Node</c>; a forwarded request is never forwarded again; a
/// node that advertises no address, or a leader that cannot be reached, answers 503 "not carried out" as before.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class CommandForwardingOnPostgresTests : IAsyncLifetime
{
    private readonly ClusterNodes _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Order_commands_sent_to_the_standby_are_carried_out_by_the_leader_and_answered_from_it()
    {
        var a = _cluster.Node("node-a", leaseSeconds: 30, advertised: true);
        var onA = await a.ClientForAsync("trader1");
        (await onA.GetAsync("/api/v1/orders?pageSize=1")).Expect(HttpStatusCode.OK);
        Assert.Equal(a.Settings["Cluster:AdvertisedUrl"], await AdvertisedUrlAsync(a) is { } url ? url.TrimEnd('/') : null);
        var b = _cluster.Node("node-b", leaseSeconds: 30, advertised: true);
        var onB = await b.ClientForAsync("trader1");

        // A new order through the standby: the leader's 201, its Location and body, and the header naming the leader.
        var order = new { accountId = 1001, clientOrderId = "fwd-1", symbol = "COMI.INT", side = "Buy", price = 79.00m, quantity = 100 };
        var placed = await SendAsync(onB, HttpMethod.Post, "/api/v1/orders", order);
        placed.Expect(HttpStatusCode.Created, "node-a");
        var id = placed.Json["orderId"]!.GetValue<long>();
        Assert.Equal($"/api/v1/orders/{id}", placed.Location);
        Assert.Equal(("Accepted", "fwd-1"), (placed.Json["status"]!.GetValue<string>(), placed.Json["clientOrderId"]!.GetValue<string>()));
        Assert.Equal(1, await CountOrdersAsync(a, "fwd-1"));

        // The same order again through the standby: the platform's idempotency by clientOrderId answers the order already entered.
        var again = await SendAsync(onB, HttpMethod.Post, "/api/v1/orders", order);
        again.Expect(HttpStatusCode.OK, "node-a");
        Assert.Equal(id, again.Json["orderId"]!.GetValue<long>());
        Assert.Equal(1, await CountOrdersAsync(a, "fwd-1"));

        // An amend and a cancel through the standby.
        var amended = await SendAsync(onB, HttpMethod.Patch, $"/api/v1/orders/{id}", new { quantity = 60 });
        amended.Expect(HttpStatusCode.OK, "node-a");
        Assert.Equal(60, amended.Json["quantity"]!.GetValue<long>());
        var canceled = await SendAsync(onB, HttpMethod.Delete, $"/api/v1/orders/{id}", null);
        canceled.Expect(HttpStatusCode.OK, "node-a");
        Assert.Equal("Canceled", canceled.Json["status"]!.GetValue<string>());
        Assert.Equal("Canceled", (await onA.GetAsync($"/api/v1/orders/{id}")).Expect(HttpStatusCode.OK).Str("status"));

        // A mass cancel through the standby, with its query string.
        (await onA.SubmitAsync(1001, "COMI.INT", "Buy", 78.50m, 10, clientOrderId: "fwd-mass")).Expect(HttpStatusCode.Created);
        var mass = await SendAsync(onB, HttpMethod.Delete, "/api/v1/orders?accountId=1001&symbol=COMI.INT", null);
        mass.Expect(HttpStatusCode.OK, "node-a");
        Assert.Equal(1, mass.Json["canceled"]!.GetValue<int>());

        // A bad order through the standby gets the leader's problem unchanged (the same as the leader answers it directly, but its trace).
        var bad = new { accountId = 1001, clientOrderId = "fwd-bad", symbol = "COMI.INT", side = "Buy", price = 79.001m, quantity = 0 };
        var refused = await SendAsync(onB, HttpMethod.Post, "/api/v1/orders", bad);
        refused.Expect(HttpStatusCode.BadRequest, "node-a");
        Assert.StartsWith("application/problem+json", refused.ContentType, StringComparison.Ordinal);
        var direct = await SendAsync(onA, HttpMethod.Post, "/api/v1/orders", bad);
        direct.Expect(HttpStatusCode.BadRequest, forwardedTo: null);
        Assert.Equal(WithoutTrace(direct.Json), WithoutTrace(refused.Json));
        Assert.NotEmpty(refused.Json["errors"]!["quantity"]!.AsArray());
        Assert.Equal(0, await CountOrdersAsync(a, "fwd-bad"));

        // The writer's other requests (issue 18): a cash deposit through the standby, booked once by the leader.
        var opsOnA = await a.ClientForAsync("ops1");
        var opsOnB = await b.ClientForAsync("ops1");
        var deposit = new { currency = "EGP", amount = 1234.50m, reference = "fwd-wire-1", reason = "wire through the standby" };
        var booked = await SendAsync(opsOnB, HttpMethod.Post, "/api/v1/accounts/1001/cash/deposits", deposit);
        booked.Expect(HttpStatusCode.Created, "node-a");
        Assert.Equal("/api/v1/accounts/1001/cash/movements", booked.Location);
        Assert.Equal(("fwd-wire-1", 1234.5m), (booked.Json["movement"]!["reference"]!.GetValue<string>(), booked.Json["movement"]!["amount"]!.GetValue<decimal>()));
        Assert.Equal(1, await CountCashMovementsAsync(a, "fwd-wire-1"));

        // The same payment again (a client's resend after an unknown outcome): the leader refuses it, nothing is booked twice.
        var twice = await SendAsync(opsOnB, HttpMethod.Post, "/api/v1/accounts/1001/cash/deposits", deposit);
        twice.Expect(HttpStatusCode.Conflict, "node-a");
        Assert.Contains("'fwd-wire-1' is already booked on account 1001", twice.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await CountCashMovementsAsync(a, "fwd-wire-1"));

        // A read that goes to the writer (the cash statement is the writer's ledger): the leader's statement, the deposit in it.
        var statement = await SendAsync(opsOnB, HttpMethod.Get, "/api/v1/accounts/1001/cash", null);
        statement.Expect(HttpStatusCode.OK, "node-a");
        var direct1001 = (await opsOnA.GetAsync("/api/v1/accounts/1001/cash")).Expect(HttpStatusCode.OK);
        Assert.Equal(direct1001.Json.ToJsonString(), statement.Json.ToJsonString());
        var egp = statement.Json["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "EGP")!;
        Assert.True(egp["available"]!.GetValue<decimal>() >= 1234.5m, egp.ToJsonString());

        // Exposure (a query the writer answers) and the trading statuses (the writer's state) through the standby: the leader's answers.
        (await SendAsync(opsOnB, HttpMethod.Get, "/api/v1/risk/exposure?accountId=1001", null)).Expect(HttpStatusCode.OK, "node-a");
        var statuses = await SendAsync(await b.ClientForAsync("risk1"), HttpMethod.Get, "/api/v1/risk/trading-statuses", null);
        statuses.Expect(HttpStatusCode.OK, "node-a");
        Assert.Equal((await (await a.ClientForAsync("risk1")).GetAsync("/api/v1/risk/trading-statuses")).Expect(HttpStatusCode.OK).Json.ToJsonString(),
            statuses.Json.ToJsonString());

        // An invalid booking: the leader's 400 unchanged (every field named), the same as the leader answers it directly; nothing booked.
        var badDeposit = new { currency = "EGP", amount = -5m, reference = "fwd-wire-bad", reason = "" };
        var badThroughB = await SendAsync(opsOnB, HttpMethod.Post, "/api/v1/accounts/1001/cash/deposits", badDeposit);
        badThroughB.Expect(HttpStatusCode.BadRequest, "node-a");
        var badOnA = await SendAsync(opsOnA, HttpMethod.Post, "/api/v1/accounts/1001/cash/deposits", badDeposit);
        badOnA.Expect(HttpStatusCode.BadRequest, forwardedTo: null);
        Assert.Equal(WithoutTrace(badOnA.Json), WithoutTrace(badThroughB.Json));
        Assert.Equal(["amount", "reason"], badThroughB.Json["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0, await CountCashMovementsAsync(a, "fwd-wire-bad"));

        // A CSV body with its Content-Type (text/csv): a holiday import's dry run, checked by the leader line by line, and its ETag.
        var csv = await SendAsync(opsOnB, HttpMethod.Post, "/api/v1/venues/EGX/calendar/holidays/import?reason=fwd", null,
            csv: "date,name,closeAt\r\n2030-01-07,Closure (test),\r\nnot-a-date,Bad line,\r\n");
        csv.Expect(HttpStatusCode.BadRequest, "node-a");
        Assert.Contains(csv.Json["problems"]!.AsArray(), p => p!["line"]!.GetValue<int>() == 3 && p["column"]!.GetValue<string>() == "date");
        var dry = await SendAsync(opsOnB, HttpMethod.Post, "/api/v1/venues/EGX/calendar/holidays/import?reason=fwd", null,
            csv: "date,name,closeAt\r\n2030-01-07,Closure (test),\r\n");
        dry.Expect(HttpStatusCode.OK, "node-a");
        Assert.Equal((true, "Add"), (dry.Json["dryRun"]!.GetValue<bool>(), dry.Json["lines"]![0]!["action"]!.GetValue<string>()));
        Assert.NotNull(dry.ETag);

        // A node that advertises no address of its own does not forward: as a standby it answers 503 as before.
        var c = _cluster.Node("node-c", leaseSeconds: 30);
        var onC = await c.ClientForAsync("trader1");
        var notForwarded = await SendAsync(onC, HttpMethod.Post, "/api/v1/orders", order);
        notForwarded.Expect(HttpStatusCode.ServiceUnavailable, forwardedTo: null);
        Assert.Contains("standby", notForwarded.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarded_request_is_never_forwarded_again_and_an_unreachable_leader_is_a_503_not_carried_out()
    {
        var a = _cluster.Node("node-a", leaseSeconds: 30, advertised: true);
        (await (await a.ClientForAsync("trader1")).GetAsync("/api/v1/orders?pageSize=1")).Expect(HttpStatusCode.OK);
        var b = _cluster.Node("node-b", leaseSeconds: 30, advertised: true);
        var onB = await b.ClientForAsync("trader1");

        // Marked as already forwarded by another node: node B, not the leader, carries nothing out and passes nothing on.
        var order = new { accountId = 1001, clientOrderId = "hop-1", symbol = "COMI.INT", side = "Buy", price = 79.00m, quantity = 100 };
        var secondHop = await SendAsync(onB, HttpMethod.Post, "/api/v1/orders", order, ("X-TradSys-Forwarded-By", "node-x"));
        secondHop.Expect(HttpStatusCode.ServiceUnavailable, forwardedTo: null);
        Assert.NotNull(secondHop.RetryAfter);
        Assert.Contains("this node is a standby of the order writer; node 'node-a' writes shard 'main'", secondHop.Json["detail"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Equal(0, await CountOrdersAsync(a, "hop-1"));

        // The leader's address in the lease row leads nowhere (a port nothing listens on): 503, not carried out, nothing written.
        using (var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            var nowhere = $"http://127.0.0.1:{((IPEndPoint)closed.LocalEndpoint).Port}/";
            closed.Stop();
            await SetAdvertisedUrlAsync(a, nowhere);
            await Task.Delay(TimeSpan.FromSeconds(4)); // node B reads the row on its next try of the lease (every 3 s of a 30 s lease)
            var unreachable = await SendAsync(onB, HttpMethod.Post, "/api/v1/orders", order);
            unreachable.Expect(HttpStatusCode.ServiceUnavailable, forwardedTo: null);
            Assert.NotNull(unreachable.RetryAfter);
            var detail = unreachable.Json["detail"]!.GetValue<string>();
            Assert.Contains($"node 'node-a' writes shard 'main' but could not be reached at {nowhere}", detail, StringComparison.Ordinal);
            Assert.Contains("the command was not carried out", detail, StringComparison.Ordinal);
            Assert.Equal(0, await CountOrdersAsync(a, "hop-1"));
        }

        // A leader's address that takes the request and never answers: after the forwarding timeout, 503 "Outcome unknown" saying what
        // makes sending this endpoint's request again safe (for a cash booking, its payment reference); nothing booked here.
        using (var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            silent.Start(); // the handshake completes in the backlog; nothing ever reads or answers
            await SetAdvertisedUrlAsync(a, $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
            await Task.Delay(TimeSpan.FromSeconds(4));
            var opsOnB = await b.ClientForAsync("ops1");
            var deposit = new { currency = "EGP", amount = 10m, reference = "fwd-silent-1", reason = "outcome unknown" };
            var unknown = await SendAsync(opsOnB, HttpMethod.Post, "/api/v1/accounts/1001/cash/deposits", deposit);
            unknown.Expect(HttpStatusCode.ServiceUnavailable, forwardedTo: null);
            Assert.Equal("Outcome unknown", unknown.Json["title"]!.GetValue<string>());
            Assert.NotNull(unknown.RetryAfter);
            var detail = unknown.Json["detail"]!.GetValue<string>();
            Assert.Contains("had no answer within 10 s", detail, StringComparison.Ordinal);
            Assert.Contains("a payment's reference is booked once per account", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("clientOrderId", detail, StringComparison.Ordinal);
            Assert.Equal(0, await CountCashMovementsAsync(a, "fwd-silent-1"));
        }

        // The leader's own address again: the same order goes through.
        await SetAdvertisedUrlAsync(a, a.Settings["Cluster:AdvertisedUrl"]);
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await SendAsync(onB, HttpMethod.Post, "/api/v1/orders", order)).Expect(HttpStatusCode.Created, "node-a");
        Assert.Equal(1, await CountOrdersAsync(a, "hop-1"));
    }

    /// <summary>Sends a request with the client's token (and <paramref name="headers"/>), keeping the headers forwarding is about.</summary>
    private static Task<Answer> SendAsync(ApiClient client, HttpMethod method, string path, object? body, params (string Name, string Value)[] headers) =>
        SendAsync(client, method, path, body, csv: null, headers);

    /// <summary>As above, with a CSV body (<c>text/csv</c>) when <paramref name="csv"/> is given.</summary>
    private static async Task<Answer> SendAsync(ApiClient client, HttpMethod method, string path, object? body, string? csv,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        else if (csv is not null)
        {
            request.Content = new StringContent(csv, Encoding.UTF8, "text/csv");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        using var response = await client.Http.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("X-Forwarded-To-Node", out var node) ? node.Single() : null,
            response.Headers.Location?.OriginalString, response.Headers.RetryAfter?.Delta,
            response.Content.Headers.ContentType?.ToString() ?? "", response.Headers.ETag?.Tag);
    }

    private static string WithoutTrace(JsonNode problem)
    {
        var copy = problem.DeepClone().AsObject();
        copy.Remove("traceId");
        return copy.ToJsonString();
    }

    private static async Task<string?> AdvertisedUrlAsync(ProductionPlatformFactory node)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT \"AdvertisedUrl\" FROM writer_leases WHERE \"Shard\" = 'main'", connection);
        return await read.ExecuteScalarAsync() as string;
    }

    private static async Task SetAdvertisedUrlAsync(ProductionPlatformFactory node, string url)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand("UPDATE writer_leases SET \"AdvertisedUrl\" = @url WHERE \"Shard\" = 'main'", connection);
        update.Parameters.AddWithValue("url", url);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    private static async Task<long> CountCashMovementsAsync(ProductionPlatformFactory node, string reference)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM cash_movements WHERE \"Reference\" = @reference", connection);
        count.Parameters.AddWithValue("reference", reference);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountOrdersAsync(ProductionPlatformFactory node, string clientOrderId)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orders WHERE \"ClientOrderId\" = @id", connection);
        count.Parameters.AddWithValue("id", clientOrderId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>An answer with the headers forwarding is about.</summary>
    private sealed record Answer(HttpStatusCode Status, string Body, string? ForwardedTo, string? Location, TimeSpan? RetryAfter, string ContentType,
        string? ETag)
    {
        public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

        /// <summary>The status, and the node named as the one that carried it out (null: answered by the node asked, not forwarded).</summary>
        public Answer Expect(HttpStatusCode status, string? forwardedTo)
        {
            Assert.True(Status == status, $"expected {(int)status} {status}, got {(int)Status} {Status}: {Body}");
            Assert.Equal(forwardedTo, ForwardedTo);
            return this;
        }
    }
}

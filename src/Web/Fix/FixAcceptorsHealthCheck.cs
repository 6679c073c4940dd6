using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradSys.Web.Fix;

/// <summary>
/// The sessions of the acceptors the platform runs (the exchange simulators of <c>Fix:Simulators</c>, the client acceptor of
/// <c>Fix:Acceptor</c>) in the admin health report: each one's state and, while connected, its next numbers sent and expected.
/// Always healthy: a session whose peer has not connected is waiting, not failing.
/// </summary>
internal sealed class FixAcceptorsHealthCheck(FixAcceptors acceptors) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var connected = 0;
        void Add(string owner, FixAcceptor acceptor)
        {
            var where = $"{acceptor.EndPoint}{(acceptor.IsTls ? " (TLS)" : "")}";
            foreach (var (settings, driver) in acceptor.Sessions)
            {
                var key = $"{owner} {settings.SenderCompId}<-{settings.TargetCompId}";
                if (driver is null)
                {
                    data[key] = $"not connected, listening on {where}";
                    continue;
                }
                var (sent, expected) = driver.SequenceNumbers;
                connected += driver.State == Engine.Fix.FixSessionState.Active ? 1 : 0;
                data[key] = string.Create(CultureInfo.InvariantCulture, $"{driver.State}, on {where}, next sent {sent}, next expected {expected}");
            }
        }
        foreach (var simulator in acceptors.Simulators)
        {
            Add(simulator.Venue + " simulator", simulator.Acceptor);
        }
        if (acceptors.Acceptor is { } client)
        {
            Add("client acceptor", client);
        }
        return Task.FromResult(data.Count == 0
            ? HealthCheckResult.Healthy("no FIX acceptor runs (Fix:Acceptor, Fix:Simulators)", data)
            : HealthCheckResult.Healthy($"{connected} of {data.Count} acceptor session(s) logged on", data));
    }
}

using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace TradSys.Web.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (<c>GlobalConfiguration</c>), and Hangfire.AspNetCore points it at the logger factory of
/// whichever host configured Hangfire last. With several hosts in one process (the test platforms), that host can stop and dispose
/// its factory while others run, and every Hangfire object created afterwards (a job client, a job factory) threw
/// <see cref="ObjectDisposedException"/> ("LoggerFactory"): a report request answered 500 and its run stayed queued. This provider
/// writes each message to the logger factory of a host that is still running (the latest started), and drops it when none is.
/// With one host, the production case, it logs exactly as Hangfire.AspNetCore's provider does.
/// </summary>
public sealed class HostsLogProvider : ILogProvider
{
    /// <summary>The one provider of the process, given to Hangfire's global configuration.</summary>
    public static HostsLogProvider Instance { get; } = new();

    private readonly Lock gate = new();
    private readonly List<ILoggerFactory> running = [];

    private HostsLogProvider()
    {
    }

    /// <inheritdoc />
    public ILog GetLogger(string name) => new HostLog(this, name);

    private ILoggerFactory? Current
    {
        get
        {
            lock (gate)
            {
                return running.Count == 0 ? null : running[^1];
            }
        }
    }

    private void Add(ILoggerFactory factory)
    {
        lock (gate)
        {
            running.Add(factory);
        }
    }

    private void Remove(ILoggerFactory factory)
    {
        lock (gate)
        {
            running.Remove(factory);
        }
    }

    private sealed class HostLog(HostsLogProvider provider, string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string> messageFunc, Exception exception)
        {
            // A host can stop between reading Current and using it: its factory is then disposed, and the next running one is used.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (provider.Current is not { } factory)
                {
                    return false;
                }
                try
                {
                    var logger = factory.CreateLogger(name);
                    var level = Map(logLevel);
                    if (messageFunc is null)
                    {
                        return logger.IsEnabled(level);
                    }
                    if (logger.IsEnabled(level))
                    {
                        logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
                    }
                    return true;
                }
                catch (ObjectDisposedException)
                {
                    provider.Remove(factory);
                }
            }
            return false;
        }

        private static MsLogLevel Map(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => MsLogLevel.Trace,
            HangfireLevel.Debug => MsLogLevel.Debug,
            HangfireLevel.Info => MsLogLevel.Information,
            HangfireLevel.Warn => MsLogLevel.Warning,
            HangfireLevel.Error => MsLogLevel.Error,
            _ => MsLogLevel.Critical,
        };
    }

    /// <summary>Adds the host's logger factory while the host runs (from its start until it has stopped).</summary>
    internal sealed class Registration(ILoggerFactory factory) : IHostedLifecycleService
    {
        /// <inheritdoc />
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            Instance.Add(factory);
            return Task.CompletedTask;
        }

        /// <inheritdoc />
        public Task StoppedAsync(CancellationToken cancellationToken)
        {
            Instance.Remove(factory);
            return Task.CompletedTask;
        }

        /// <inheritdoc />
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <inheritdoc />
        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <inheritdoc />
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <inheritdoc />
        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TradSys.Web.Tests.Support;

/// <summary>
/// Keeps the last errors a test platform logged, with their exceptions, so that a test that gets a 5xx reply can print why
/// (the test runner does not show the platform's console log).
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    private const int Kept = 10;
    private readonly ConcurrentQueue<string> entries = new();

    /// <summary>The kept errors, oldest first, or a sentence saying there were none.</summary>
    public string Recent() => entries.IsEmpty ? "(the platform logged no error)" : string.Join("\n---\n", entries);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string entry)
    {
        entries.Enqueue(entry);
        while (entries.Count > Kept && entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(ServerErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            }
        }
    }
}

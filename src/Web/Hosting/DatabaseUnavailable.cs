using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using TradSys.Web.Http;

namespace TradSys.Web.Hosting;

/// <summary>
/// When a request fails because the database cannot be reached (PostgreSQL down or restarting, its connections refused or
/// exhausted, SQLite's file locked or unreadable), the caller gets 503 with <c>Retry-After</c> and a problem saying the
/// request was not carried out, instead of a bare 500 it cannot tell from a bug. Any other failure stays a 500.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Cause(exception) is not { } cause)
        {
            return false;
        }
        log.LogWarning(exception, "{Method} {Path}: the database is unavailable ({Cause}); answered 503", httpContext.Request.Method,
            httpContext.Request.Path, cause.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = Problems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Not carried out",
                Detail = $"the database is unavailable, so the request was not carried out. Send it again after {Problems.RetryAfterSeconds} s: " +
                         "a resend of an order with the same clientOrderId never creates a second one.",
            },
        });
    }

    /// <summary>The exception (or one it wraps) that says the database cannot be reached now; null for any other failure.</summary>
    public static Exception? Cause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Npgsql marks what a retry may fix (the server shutting down or restarting, refusing connections, the
                // database not accepting connections); connection exceptions (class 08) and too many connections besides.
                case PostgresException pg when pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                                               || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "53400":
                    return e;
                case PostgresException:
                    return null;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return e;
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6 or 10 or 13 or 14: // busy, locked, I/O, full, cannot open
                    return e;
                case SocketException:
                case TimeoutException:
                    return e;
                case DbException:
                    return null;
            }
        }
        return null;
    }
}

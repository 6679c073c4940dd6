using System.Net;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix;

/// <summary>Opens a FIX initiator session: connects to the venue (over TLS when configured) and starts the session (it sends the Logon).</summary>
internal static class FixInitiator
{
    /// <summary>Connects and sends the Logon; await <see cref="FixSessionDriver.LoggedOn"/> for the answer.</summary>
    /// <param name="venue">The venue's address.</param>
    /// <param name="settings">The session's configuration (an initiator's).</param>
    /// <param name="store">Its sequence numbers and sent messages.</param>
    /// <param name="application">Receives application messages in sequence (valid only during the call).</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">The log.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <param name="sessions">Where the node tracks its sessions for the metrics (none: not counted).</param>
    /// <param name="tls">TLS to the venue (null: plain TCP); the handshake has the session's logon timeout.</param>
    /// <returns>The running session.</returns>
    /// <exception cref="FixTlsException">The TLS handshake failed or the venue's certificate was refused (the reason in the message).</exception>
    public static async Task<FixSessionDriver> ConnectAsync(EndPoint venue, FixSessionSettings settings, IFixSessionStore store,
        Action<FixMessage> application, TimeProvider time, ILogger log, CancellationToken cancellationToken, FixSessionTracker? sessions = null, FixClientTls? tls = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Role != FixSessionRole.Initiator)
        {
            throw new ArgumentException("An initiator needs settings with Role = Initiator.", nameof(settings));
        }

        FixSocketConnection connection;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            handshake.CancelAfter(settings.LogonTimeout);
            try
            {
                connection = await FixSocketConnection.ConnectAsync(venue, tls, handshake.Token);
            }
            catch (OperationCanceledException) when (handshake.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"no connection{(tls is null ? "" : " and TLS handshake")} with {venue} within {settings.LogonTimeout.TotalSeconds:0} s");
            }
        }

        var driver = new FixSessionDriver(connection, settings, store, application, time, log);
        sessions?.Track(driver);
        await driver.Start();
        return driver;
    }
}

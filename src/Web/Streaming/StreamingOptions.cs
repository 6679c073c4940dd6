namespace TradSys.Web.Streaming;

/// <summary>Settings of the WebSocket gateway (configuration section <c>Streaming</c>).</summary>
public sealed class StreamingOptions
{
    /// <summary>Seconds between the server's heartbeats.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>
    /// Messages a connection's send queue holds. Market data may fill half of it, then it is conflated (the client later gets
    /// the latest state, flagged); order updates and trades are never dropped: when they do not fit the connection is closed.
    /// </summary>
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>The largest client message read; a longer one is refused (and skipped) with an error.</summary>
    public int MaxMessageBytes { get; set; } = 4096;

    /// <summary>How often the connection checks its access token's expiry and revocation, in milliseconds.</summary>
    public int TokenCheckMilliseconds { get; set; } = 1000;

    /// <summary>
    /// The portfolio channel computes an account at most this often, in milliseconds: changes in between are conflated into the next
    /// state (the last message always follows the last change).
    /// </summary>
    public int PortfolioIntervalMilliseconds { get; set; } = 250;

    /// <summary>How long a close may take (the client's answer to the close frame) before the connection is aborted.</summary>
    public int CloseTimeoutSeconds { get; set; } = 5;
}

namespace TradSys.LoadTest.Http;

/// <summary>The runtime's socket setting the tool turns on for itself (Program) and keeps away from the floor (FloorProcess).</summary>
public static class SocketSettings
{
    /// <summary>Run socket completions on the socket engine's thread instead of queuing them to the thread pool.</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}

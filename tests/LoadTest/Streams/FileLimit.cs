using System.Runtime.InteropServices;

namespace TradSys.LoadTest.Streams;

/// <summary>The process's open-file limit (RLIMIT_NOFILE): each WebSocket connection is a file descriptor.</summary>
internal static class FileLimit
{
    private const int NoFile = 7; // RLIMIT_NOFILE on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    // Two blittable calls, as the pacer's nanosleep: LibraryImport would need unsafe blocks for them.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetRLimit(int resource, in RLimit limit);
#pragma warning restore SYSLIB1054

    /// <summary>
    /// Raises the soft limit to at least <paramref name="needed"/> when the hard limit allows; returns the limit now in force
    /// (unchanged on a system without the call).
    /// </summary>
    public static ulong Raise(ulong needed)
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(NoFile, out var limit) != 0)
        {
            return ulong.MaxValue;
        }
        if (limit.Current >= needed)
        {
            return limit.Current;
        }
        var raised = new RLimit { Current = Math.Min(needed, limit.Maximum), Maximum = limit.Maximum };
        return SetRLimit(NoFile, raised) == 0 ? raised.Current : limit.Current;
    }
}

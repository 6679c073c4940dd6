using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TradSys.LoadTest.Measure;

/// <summary>
/// Wakes open-loop senders at their intended send times with sub-millisecond precision and little CPU: one thread
/// keeps the waiters in time order; it blocks on a monitor while the next one is more than 2 ms away and sleeps with
/// nanosleep(2) in slices of at most 200 µs for the last stretch (the runtime's timers tick in whole milliseconds,
/// which would add up to 1-2 ms to every open-loop latency). Waiters continue on this thread up to their next await (a
/// sender formats and sends its request, a few microseconds, then waits for the answer on the socket): handing each
/// wake-up to the thread pool instead cost the tool most of a core at 5,000 requests/s, in thread-pool wake-ups and
/// spinning.
/// </summary>
public sealed class Pacer : IDisposable
{
    private static readonly long Slice = Stopwatch.Frequency / 5000; // 200 µs
    private static readonly long Coarse = Stopwatch.Frequency / 500; // 2 ms
    private readonly PriorityQueue<TaskCompletionSource, long> _queue = new();
    private readonly Thread _thread;
    private volatile bool _stopped;

    public Pacer()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "load pacer", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Completes at or shortly after <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public Task WaitUntilAsync(long timestamp)
    {
        if (Stopwatch.GetTimestamp() >= timestamp)
        {
            return Task.CompletedTask;
        }
        var waiter = new TaskCompletionSource();
        lock (_queue)
        {
            _queue.Enqueue(waiter, timestamp);
            Monitor.Pulse(_queue);
        }
        return waiter.Task;
    }

    private void Loop()
    {
        var due = new List<TaskCompletionSource>();
        while (!_stopped)
        {
            long remaining = 0;
            lock (_queue)
            {
                var now = Stopwatch.GetTimestamp();
                while (_queue.TryPeek(out var waiter, out var at) && at <= now)
                {
                    _queue.Dequeue();
                    due.Add(waiter);
                }
                if (due.Count == 0)
                {
                    if (_queue.Count == 0)
                    {
                        Monitor.Wait(_queue, 50);
                        continue;
                    }
                    _queue.TryPeek(out _, out var next);
                    remaining = next - now;
                    if (remaining > Coarse)
                    {
                        // Woken early by a new, earlier waiter (Pulse); the last 1 ms is slept finely below.
                        Monitor.Wait(_queue, TimeSpan.FromTicks((remaining - Coarse / 2) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                        continue;
                    }
                }
            }
            if (due.Count > 0)
            {
                foreach (var waiter in due)
                {
                    waiter.TrySetResult();
                }
                due.Clear();
                continue;
            }
            SleepFine(Math.Min(remaining, Slice));
        }
        lock (_queue)
        {
            while (_queue.TryDequeue(out var waiter, out _))
            {
                waiter.TrySetResult();
            }
        }
    }

    private static void SleepFine(long ticks)
    {
        if (OperatingSystem.IsLinux())
        {
            var nanoseconds = ticks * 1_000_000_000 / Stopwatch.Frequency;
            var request = new Timespec { Seconds = 0, Nanoseconds = nanoseconds };
            _ = NativeMethods.nanosleep(ref request, IntPtr.Zero);
        }
        else
        {
            Thread.Sleep(0);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        lock (_queue)
        {
            Monitor.PulseAll(_queue);
        }
        _thread.Join();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe blocks for this one blittable call
        internal static extern int nanosleep(ref Timespec request, IntPtr remaining);
#pragma warning restore SYSLIB1054
    }
}

namespace TradSys.Web.Persistence;

/// <summary>
/// Embedded mode: the SQLite write-ahead log's size as the checkpointer last saw it, and the order writer's turn to start
/// the log again from its beginning.
///
/// SQLite appends every commit to the log and starts writing it from the beginning again only when a write transaction
/// begins after a checkpoint has copied every frame into the database file. <see cref="SqliteCheckpointer"/> copies off the
/// order path, but while the writer commits every few milliseconds there is always a newer frame than the one it copied
/// last, so under steady load the log never restarts: it was seen at 2.8 GB after a minute of the load tool, and each
/// commit then appended to new file blocks (the kernel zeroing fresh pages cost about 11 % of the server's CPU), the disk
/// filled by the hour and a restart had that whole log to read. So when the log passes <see cref="RestartFrames"/> the
/// checkpointer asks the writer, whose commits are the ones that never pause, to checkpoint itself between two batches
/// (<see cref="WriterSession.RestartLogAsync"/>): with no commit in between it copies the few frames written since the
/// last background checkpoint and the next batch writes the log from its beginning again, over blocks already allocated.
/// </summary>
public sealed class WriteAheadLog
{
    /// <summary>Log frames (pages of 4 KB) after which the writer is asked to restart the log: 128 MB.</summary>
    public const int RestartFrames = 32_768;

    /// <summary>
    /// Frames still to copy (1 MB) at which the checkpointer leaves the rest to the writer; until then it copies again what
    /// the writer appended meanwhile, so that the writer's pause is short.
    /// </summary>
    public const int WriterShareFrames = 256;

    /// <summary>The size to which SQLite truncates a log it restarts, when the log had grown beyond it (bytes).</summary>
    public const long SizeLimitBytes = 256L * 1024 * 1024;

    private int _restartDue;
    private long _frames;
    private long _restarts;
    private long _longestRestartTicks;

    /// <summary>Frames in the log at the last checkpoint (any thread; for the health report).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>How many times the writer has checkpointed the whole log so that it restarts (any thread).</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>Longest pause of the writer for a restart so far (any thread; for the health report).</summary>
    public TimeSpan LongestRestart => TimeSpan.FromTicks(Interlocked.Read(ref _longestRestartTicks));

    /// <summary>
    /// The checkpointer's result: <paramref name="logFrames"/> frames in the log (negative when SQLite could not say), and
    /// whether the writer should now restart it.
    /// </summary>
    public void Checkpointed(long logFrames, bool restartDue)
    {
        if (logFrames < 0)
        {
            return;
        }
        Interlocked.Exchange(ref _frames, logFrames);
        if (restartDue)
        {
            Volatile.Write(ref _restartDue, 1);
        }
    }

    /// <summary>True once per request: the writer should restart the log now (the writer's thread).</summary>
    public bool TakeRestart() => Interlocked.Exchange(ref _restartDue, 0) == 1;

    /// <summary>The writer checkpointed the whole log, pausing <paramref name="pause"/>: its next commit writes the log from the beginning.</summary>
    public void Restarted(TimeSpan pause)
    {
        Interlocked.Increment(ref _restarts);
        Interlocked.Exchange(ref _frames, 0);
        if (pause.Ticks > Interlocked.Read(ref _longestRestartTicks))
        {
            Interlocked.Exchange(ref _longestRestartTicks, pause.Ticks);
        }
    }
}

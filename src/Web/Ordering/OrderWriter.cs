using System.Threading.Channels;
using TradSys.Rules.Evaluation;
using TradSys.Web.Auditing;
using TradSys.Web.Messaging;
using TradSys.Web.Observability;
using TradSys.Web.Ordering.Journal;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Ordering.Stages;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;
using TradSys.Web.Workflows;
using TradSys.Workflows;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Ordering;

/// <summary>
/// The single writer of the order path. Commands from every request thread queue here and are taken in batches; for each
/// batch the writer
/// <list type="number">
/// <item>reads the account and instrument rows the batch needs (<see cref="BatchReads"/>),</item>
/// <item>brings the trading phases up to date (an uncross at 10:00 comes before the batch's orders),</item>
/// <item>runs every command down the order path in arrival order (<see cref="OrderPath"/>: resend, authorise, validate, risk,
/// rule packs, workflow, match), each seeing what the earlier ones did,</item>
/// <item>commits everything the batch changed in ONE transaction (<see cref="OrderJournal"/>: group commit),</item>
/// <item>and only then answers each caller and publishes the batch (outbox, market data).</item>
/// </list>
/// So a caller that hears "accepted" can rely on it being durable. If the commit fails nobody in the batch hears success,
/// and the books are rebuilt from the database (<see cref="Recovery"/>), which still holds the last committed state, before
/// the next batch.
/// </summary>
public sealed class OrderWriter : BackgroundService
{
    private const int MaxBatch = 512;

    /// <summary>The queue's capacity: a caller waits when it is full.</summary>
    public const int QueueCapacity = 65_536;

    private readonly IServiceScopeFactory _scopes;
    private readonly ReferenceDataCache _referenceData;
    private readonly MarketClock _clock;
    private readonly OutboxSignal _outbox;
    private readonly MarketDataPublisher _marketData;
    private readonly ILogger<OrderWriter> _log;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Set by a sender after it queued a command; the writer's thread sleeps on it while the queue is empty.</summary>
    private readonly ManualResetEventSlim _arrived = new(false, spinCount: 0);

    private readonly OrderBooks _books;
    private readonly TradingPhases _phases;
    private readonly OrderWorkflowStage _workflows;
    private readonly MarketDataTracker _marketDataTracker;
    private readonly BatchReads _reads;
    private readonly OrderPath _path;
    private readonly OrderJournal _journal;
    private readonly Recovery _recovery;
    private readonly WriterBatch _batch = new();
    private readonly DatabaseSettings _database;
    private readonly OpenOrders _openOrders;
    private readonly ContextSnapshots _snapshots;
    private readonly WriteAheadLog _wal;
    private readonly Risk.RiskControls _riskControls = new();
    private readonly PlatformMetrics _metrics;
    private readonly RouteStage _route;
    private readonly VenueExecutions _venueExecutions;
    private readonly OrderTracing _tracing;
    private readonly ListingCommands _listings;
    private readonly SplitCommands _splits;
    private readonly SymbolChangeCommands _symbolChanges;
    private readonly VenueCalendarCommands _calendars;
    private readonly Cluster.IWriterLeadership _leadership;

    /// <summary>The epoch of the term the books in memory were rebuilt for; -1 when they belong to no term (a standby).</summary>
    private long _epoch = -1;

    /// <summary>The traced new orders' spans of the current batch, by position (kept between batches: no allocation per batch).</summary>
    private readonly System.Diagnostics.Activity?[] _traces = new System.Diagnostics.Activity?[MaxBatch];
    private WriterSession? _session;
    private readonly ReferenceChangeSignal _referenceChanges;
    private bool _needsRecovery;
    private long _batches;
    private long _commands;
    private long _commitTicks;
    private long _applyTicks;
    private int _largestBatch;
    private long _longestCommitTicks;
    private long _slowCommits;
    private long _committedSequence;

    /// <summary>A commit this long or longer is counted as slow in <see cref="WriterStatistics.SlowCommits"/>.</summary>
    public static readonly TimeSpan SlowCommit = TimeSpan.FromMilliseconds(10);

    public OrderWriter(IServiceScopeFactory scopes, DatabaseSettings database, WriteAheadLog wal, OpenOrders openOrders, CommittedQuotes quotes,
        ReferenceDataCache referenceData, AuditTrail audit,
        OutboxSignal outbox, MarketClock clock, MarketDataPublisher marketData, RuleEvaluator ruleEvaluator, ILogger<OrderWriter> log,
        WorkflowRuntime workflowRuntime, IWorkflowTimers workflowTimers, IWorkflowNotifier workflowNotifier, PlatformMetrics metrics, OrderTracing tracing,
        Fix.Venues.VenueRouter venues, Cluster.IWriterLeadership leadership, RulePacks.RulePackStore rulePacks, ReferenceChangeSignal referenceChanges)
    {
        _referenceChanges = referenceChanges;
        _scopes = scopes;
        _leadership = leadership;
        _metrics = metrics;
        _tracing = tracing;
        metrics.ObserveWriterQueue(() => _queue.Reader.Count);
        _database = database;
        _wal = wal;
        _openOrders = openOrders;
        _referenceData = referenceData;
        _clock = clock;
        _outbox = outbox;
        _marketData = marketData;
        _log = log;
        _books = new OrderBooks(referenceData);
        _phases = new TradingPhases(referenceData);
        _workflows = new OrderWorkflowStage(workflowRuntime, referenceData, workflowTimers, workflowNotifier);
        _marketDataTracker = new MarketDataTracker(referenceData, quotes);
        var clientOrderIds = new ClientOrderIds();
        var validate = new ValidateStage(referenceData, _phases);
        _snapshots = new ContextSnapshots();
        var snapshots = _snapshots;
        var rules = new RulesStage(ruleEvaluator, referenceData, _books.Aggregates, snapshots, metrics);
        _venueExecutions = new VenueExecutions(_books, referenceData, log);
        _route = new RouteStage(_books, venues, _venueExecutions, referenceData);
        var match = new MatchStage(_books, _route);
        var risk = new RiskStage(_books, _riskControls, referenceData);
        var workflow = new WorkflowStep(_books, _workflows, validate, risk, match, referenceData, log);
        _listings = new ListingCommands(_books, referenceData);
        _splits = new SplitCommands(_books, referenceData, _phases, workflow);
        _symbolChanges = new SymbolChangeCommands(_books, referenceData, _phases, _listings, workflow, _riskControls);
        _calendars = new VenueCalendarCommands(referenceData);
        _path = new OrderPath(_books, clientOrderIds, validate, risk, rules, workflow, match,
            new WorkingOrders(_books, validate, risk, rules, workflow, match, referenceData), new BookQueries(_books, _phases, referenceData),
            new Risk.RiskControlCommands(_riskControls), new Risk.CashCommands(_books, referenceData),
            new Risk.ExposureQueries(_books, referenceData), _venueExecutions, referenceData, metrics, tracing, _listings, _calendars, _splits, _symbolChanges);
        _reads = new BatchReads(_books, clientOrderIds, workflow, _venueExecutions, rulePacks.RefreshAsync, _calendars.RefreshAsync,
            referenceData.ReloadFxAsync);
        _journal = new OrderJournal(audit, _workflows, _phases, snapshots, _riskControls, _books.Cash);
        _recovery = new Recovery(referenceData, _workflows, _phases, clientOrderIds, snapshots, clock, log);
    }

    /// <summary>The closing (last) price orders must carry in trade-at-close or trade-at-last; zero in other phases. Any thread.</summary>
    public Price FixedPrice(InstrumentId instrument) => _phases.FixedPrice(instrument);

    /// <summary>The trading statuses and risk limits in force, as last committed (any thread).</summary>
    internal Risk.RiskControlsView RiskControls => _riskControls.Current;

    /// <summary>Commands waiting for the writer (any thread; for the health check).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>False while the journal could not be written and the writer refuses commands until it recovers (any thread).</summary>
    public bool JournalAvailable => !Volatile.Read(ref _needsRecovery);

    /// <summary>This node writes the books now (always on a single node); a standby refuses every command (any thread).</summary>
    public bool Leads => _leadership.Current.Leads;

    /// <summary>What the writer has done since it started (any thread): batches, commands, commit time.</summary>
    public WriterStatistics Statistics => new(Interlocked.Read(ref _batches), Interlocked.Read(ref _commands),
        TimeSpan.FromTicks(Interlocked.Read(ref _applyTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks)), Volatile.Read(ref _largestBatch),
        TimeSpan.FromTicks(Volatile.Read(ref _longestCommitTicks)), Interlocked.Read(ref _slowCommits));

    /// <summary>The journal's last committed sequence (any thread): what the outbox has to publish up to.</summary>
    public long CommittedSequence => Volatile.Read(ref _committedSequence);

    /// <summary>True once the writer's loop has ended (shutdown or a fault): no command will be carried out.</summary>
    public bool Stopped => ExecuteTask is { IsCompleted: true };

    /// <summary>Queues a command and waits for its durable result.</summary>
    /// <exception cref="JournalUnavailableException">The journal could not be written; nothing was done.</exception>
    public async Task<SequencerResult> SendAsync(SequencerCommand command, CancellationToken cancellationToken)
    {
        // A new order carries its request's trace context to the writer's thread (default, one flag check, when tracing is off).
        var pending = new Pending(command, command is SubmitCommand ? _tracing.Capture() : default);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
            _arrived.Set();
        }
        catch (ChannelClosedException)
        {
            throw new JournalUnavailableException("the platform is shutting down; the command was not carried out");
        }
        // Once queued the command will be decided; its outcome does not depend on the caller still waiting.
        var result = await pending.Completion.Task;
        if (command is SubmitCommand)
        {
            // Measured here, on the caller's thread, so the writer does no work for it.
            _metrics.OrderAnswered(pending.Queued);
        }
        return result;
    }

    /// <summary>
    /// Rebuilds the books before the first request when this node leads (a single node always does); a standby rebuilds them
    /// when it takes over, from what the last leader committed.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var term = _leadership.Current;
        if (term.Leads)
        {
            await RecoverAsync(term.Epoch, cancellationToken);
        }
        else
        {
            Volatile.Write(ref _needsRecovery, true);
        }
        await base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Runs the writer's loop on a thread of its own, not the thread pool's: the loop blocks while its queue is empty and
    /// while the database writes its batch (the journal's statements run synchronously), so a new batch starts the moment a
    /// command arrives or the last commit returns, instead of waiting in the pool's queue behind request work.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stoppingToken);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "order-writer",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (WaitForCommands(reader, stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                // Completes on this thread when every await inside does (the journal's writes do); otherwise this thread
                // waits for it, and no other batch starts meanwhile either way.
                ProcessBatchAsync(batch, stoppingToken).GetAwaiter().GetResult();
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged.
        }
        _queue.Writer.TryComplete();
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(new JournalUnavailableException("the platform is shutting down; the command was not carried out"));
        }
        while (reader.TryRead(out var pending))
        {
            pending.Completion.TrySetException(new JournalUnavailableException("the platform is shutting down; the command was not carried out"));
        }
    }

    /// <summary>
    /// Blocks until a command is queued (true) or the queue is completed (false). A sender sets <see cref="_arrived"/> after
    /// queueing, and the reset comes before the check, so a command queued between the two is never slept through.
    /// </summary>
    private bool WaitForCommands(ChannelReader<Pending> reader, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (reader.TryPeek(out _))
            {
                return true;
            }
            if (reader.Completion.IsCompleted)
            {
                return false;
            }
            _arrived.Reset();
            if (reader.TryPeek(out _))
            {
                return true;
            }
            _arrived.Wait(stoppingToken);
        }
    }

    private async Task ProcessBatchAsync(List<Pending> pending, CancellationToken cancellationToken)
    {
        // One span per batch (its reads and commit's database spans nest under it), linked to the orders it carries; each new
        // order's own span joins its request's trace. Nothing at all when nobody listens.
        var traced = _tracing.Enabled;
        using var batchSpan = traced ? _tracing.StartBatch(pending.Count) : null;
        var term = _leadership.Current;
        if (!term.Leads)
        {
            await StandByAsync(pending, term);
            return;
        }
        if (_needsRecovery || term.Epoch != _epoch)
        {
            try
            {
                await RecoverAsync(term.Epoch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _log.LogError(ex, "The order journal is still unavailable; refusing {Count} commands", pending.Count);
                FailAll(pending, ex);
                return;
            }
        }

        var batch = _batch;
        var results = new SequencerResult[pending.Count];
        List<object> marketData;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var committing = started;
        var committed = started;
        var commitTime = TimeSpan.Zero;
        try
        {
            var session = _session ??= await WriterSession.OpenAsync(_database, cancellationToken, _referenceChanges);
            session.Rows.Fence = term.Fence;
            batch.Begin(AuditTrail.Truncate(_clock.UtcNow));
            await _reads.ReadAsync(session.Db, session, [.. pending.Select(p => p.Command)], batch, cancellationToken);
            _books.Recorder.BeginCommand();
            batch.Touched.UnionWith(_phases.Sync(_books.Engine, _books.Recorder, batch.Now, batch.Audit));
            for (var i = 0; i < pending.Count; i++)
            {
                if (traced && pending[i].Command is SubmitCommand submit && _tracing.StartOrder(pending[i].Trace, submit, batchSpan) is { } trace)
                {
                    _traces[i] = trace;
                    results[i] = _path.Apply(submit, batch, trace);
                    OrderTracing.Decided(trace, results[i]);
                }
                else
                {
                    results[i] = _path.Apply(pending[i].Command, batch);
                }
            }
            batch.Touched.UnionWith(_phases.OnSuspensions(_books.Recorder, batch.Audit));
            foreach (var order in _books.Recorder.Changed)
            {
                batch.Touched.Add(_referenceData.Get(order.Symbol).Spec.Id);
            }
            marketData = _marketDataTracker.Updates(batch.Touched, _books.Engine, _books.Recorder, batch.Timestamp);
            committing = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Add(ref _applyTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started, committing).Ticks);
            await _listings.StageAsync(session.Db, cancellationToken);
            await _splits.StageAsync(session.Db, batch, cancellationToken);
            await _symbolChanges.StageAsync(session.Db, batch, cancellationToken);
            await _calendars.StageAsync(session.Db, cancellationToken);
            _venueExecutions.Stage(session.Db);
            await _journal.CommitAsync(session, _books, batch, cancellationToken);
            committed = System.Diagnostics.Stopwatch.GetTimestamp();
            commitTime = System.Diagnostics.Stopwatch.GetElapsedTime(committing, committed);
            var commit = commitTime.Ticks;
            Interlocked.Add(ref _commitTicks, commit);
            if (commit >= SlowCommit.Ticks)
            {
                Interlocked.Increment(ref _slowCommits);
            }
            if (commit > Volatile.Read(ref _longestCommitTicks))
            {
                Volatile.Write(ref _longestCommitTicks, commit);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (ex is Cluster.WriterFencedException fenced)
            {
                // Another node leads now: nothing of this batch was committed, and this node stands by from here on.
                _leadership.Lost(fenced.Fence.Epoch, "a commit found the lease at a newer epoch");
                _log.LogWarning("A batch of {Count} commands was fenced off (the lease of shard {Shard} is past epoch {Epoch}); none was carried out",
                    pending.Count, fenced.Fence.Shard, fenced.Fence.Epoch);
            }
            else
            {
                _log.LogError(ex, "Writing the order journal failed; {Count} commands refused, rebuilding the books from the database", pending.Count);
            }
            if (traced)
            {
                var failed = System.Diagnostics.Stopwatch.GetTimestamp();
                EndTraces(pending.Count, failed, failed, failed, ex);
                batchSpan?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "the batch was not committed");
            }
            FailAll(pending, ex);
            _marketDataTracker.Discard();
            _listings.Discard();
            _splits.Discard();
            _symbolChanges.Discard();
            _calendars.Discard();
            _route.Discard();
            _workflows.Clear();
            batch.Clear();
            await CloseSessionAsync();
            Volatile.Write(ref _needsRecovery, true);
            return;
        }

        Volatile.Write(ref _committedSequence, _books.Recorder.NextSequence - 1);
        CountCommitted(pending, results, commitTime);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _commands, pending.Count);
        if (pending.Count > _largestBatch)
        {
            Volatile.Write(ref _largestBatch, pending.Count);
        }
        var recorder = _books.Recorder;
        _openOrders.Committed(recorder.Changed);
        _marketDataTracker.Commit();
        if (recorder.Events.Count > 0 || recorder.Trades.Count > 0)
        {
            var orders = new Dictionary<long, Persistence.Entities.OrderRecord>(recorder.Changed.Count);
            foreach (var order in recorder.Changed)
            {
                orders[order.Id] = order;
            }
            _outbox.Committed(new CommittedJournal([.. recorder.Events], [.. recorder.Trades], orders));
        }
        recorder.EndBatch();
        _phases.Committed();
        _workflows.Committed();
        _riskControls.Committed();
        _books.Cash.Committed();
        _snapshots.Committed();
        var listed = _listings.Committed();
        _splits.Committed();
        _symbolChanges.Committed();
        _calendars.Committed();
        _venueExecutions.Committed();
        // Only now, durable, do the batch's routed orders go out to their venues.
        _route.Committed();
        batch.Clear();
        // Publishing: the batch handed to the outbox and the in-memory views (counted before the answers go out, so a caller that
        // reads the metrics after its answer finds its batch in them).
        var published = _metrics.Stage(OrderStage.Publish, committed);
        if (traced)
        {
            EndTraces(pending.Count, committing, committed, published, null);
        }
        if (listed)
        {
            await RebuildForListingAsync(cancellationToken);
        }
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i].Completion.TrySetResult(results[i]);
        }
        _marketData.Enqueue(marketData);
        if (_wal.TakeRestart())
        {
            await RestartLogAsync(_session!, cancellationToken);
        }
    }

    /// <summary>Ends the spans of the batch's traced orders: their commit and publication, or the failure that undid them.</summary>
    private void EndTraces(int count, long committing, long committed, long published, Exception? failure)
    {
        for (var i = 0; i < count; i++)
        {
            if (_traces[i] is { } trace)
            {
                _traces[i] = null;
                _tracing.End(trace, committing, committed, published, failure);
            }
        }
    }

    /// <summary>The committed batch in the platform's metrics: its size and commit time, its new orders, rejections and trades.</summary>
    private void CountCommitted(List<Pending> pending, SequencerResult[] results, TimeSpan commitTime)
    {
        var orders = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            if (pending[i].Command is not SubmitCommand)
            {
                continue;
            }
            orders++;
            var result = results[i];
            switch (result.Outcome)
            {
                case SequencerOutcome.Invalid:
                    _metrics.Rejected(result.Code);
                    break;
                case SequencerOutcome.Created when result.Order is { Status: OrderStatus.Rejected } order:
                    _metrics.Rejected((RejectCode)(order.RejectCode ?? 0));
                    break;
                case SequencerOutcome.UnknownAccount or SequencerOutcome.NotYourAccount or SequencerOutcome.AccountClosed or SequencerOutcome.DuplicateMismatch:
                    _metrics.Refused(result.Outcome);
                    break;
            }
        }
        _metrics.BatchCommitted(pending.Count, commitTime, orders, _books.Recorder.Trades.Count);
    }

    /// <summary>Embedded mode: the log has grown; checkpoint it whole between two batches so that it restarts (<see cref="WriteAheadLog"/>).</summary>
    private async Task RestartLogAsync(WriterSession session, CancellationToken cancellationToken)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (await session.RestartLogAsync(cancellationToken) is not null)
            {
                _wal.Restarted(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
        }
        catch (System.Data.Common.DbException ex)
        {
            // Durability never depends on a checkpoint: what was committed is in the log. The next request tries again.
            _log.LogWarning(ex, "Checkpointing the write-ahead log between two batches failed; the log keeps growing until the next attempt");
        }
    }

    /// <summary>
    /// A committed listing added an instrument to the reference data: the books are rebuilt from the database (as after a failed
    /// commit) so that it has a book before its lister hears "listed". The listing is durable whatever happens here; should the
    /// rebuild fail, the writer refuses commands until a rebuild succeeds, as after a failed commit.
    /// </summary>
    private async Task RebuildForListingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RecoverAsync(_epoch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.LogError(ex, "Rebuilding the order books for a new listing failed; commands are refused until a rebuild succeeds");
            await CloseSessionAsync();
            Volatile.Write(ref _needsRecovery, true);
        }
    }

    /// <summary>
    /// A standby: the batch is refused whole (nothing is done, so a caller may send it again to the leader), and whatever this
    /// node held in memory from an earlier term is dropped; it is rebuilt from the database when this node leads again.
    /// </summary>
    private async Task StandByAsync(List<Pending> pending, Cluster.WriterTerm term)
    {
        var leader = term.Leader is { } name ? $"node '{name}'" : "another node";
        foreach (var command in pending)
        {
            command.Completion.TrySetException(new JournalUnavailableException(
                $"this node is a standby of the order writer; {leader} writes shard '{term.Shard}': the command was not carried out, send it again"));
        }
        if (_epoch >= 0)
        {
            _epoch = -1;
            // The reference data is the follower's again (ReferenceDataFollower): it takes the new leader's listings and calendars.
            _referenceData.Release();
            Volatile.Write(ref _needsRecovery, true);
            await CloseSessionAsync();
        }
    }

    private async Task RecoverAsync(long epoch, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        if (!_referenceData.HeldByWriter)
        {
            // A new term (at start, or a standby taking over): the venues and instruments are brought to the database first (what the
            // last leader listed or changed since this node last followed it), so that the books are rebuilt for all of them.
            var sync = await _referenceData.TakeOverAsync(db, cancellationToken);
            if (sync.Changed)
            {
                _log.LogInformation("Taking over the order books: {Listed} instruments joined, {Replaced} were taken again, {Venues} venue calendars changed",
                    sync.Listed.Count, sync.Replaced.Count, sync.Venues.Count);
            }
        }
        await _recovery.RecoverAsync(db, _books, cancellationToken);
        await _venueExecutions.LoadAsync(db, cancellationToken);
        await _riskControls.LoadAsync(db, cancellationToken);
        await _listings.LoadAsync(db, cancellationToken);
        await _splits.LoadAsync(db, cancellationToken);
        await _symbolChanges.LoadAsync(db, cancellationToken);
        await _calendars.LoadAsync(db, cancellationToken);
        _openOrders.Rebuild([.. _books.Recorder.Live.Values, .. _books.Held.Values]);
        _marketDataTracker.Rebuilt(_books.Engine, _books.Recorder, _clock.UtcNow.Ticks);
        _reads.Forget();
        Volatile.Write(ref _committedSequence, _books.Recorder.NextSequence - 1);
        _epoch = epoch;
        Volatile.Write(ref _needsRecovery, false);
    }

    /// <summary>Drops the writer's connection after a failure: the next batch opens a new one.</summary>
    private async Task CloseSessionAsync()
    {
        if (_session is { } session)
        {
            _session = null;
            try
            {
                await session.DisposeAsync();
            }
            catch (Exception ex)
            {
                _log.LogWarning(ex, "Closing the order writer's failed database connection threw; a new one is opened for the next batch");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await CloseSessionAsync();
    }

    private static void FailAll(List<Pending> batch, Exception cause)
    {
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(
                new JournalUnavailableException("the order journal could not be written; the command was not carried out", cause));
        }
    }

    private sealed class Pending(SequencerCommand command, System.Diagnostics.ActivityContext trace)
    {
        public SequencerCommand Command { get; } = command;

        /// <summary>The trace context of the request that queued a new order (default when tracing is off or it had none).</summary>
        public System.Diagnostics.ActivityContext Trace { get; } = trace;

        /// <summary>When the command entered the queue (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
        public long Queued { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

        public TaskCompletionSource<SequencerResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the order writer has done since it started.</summary>
/// <param name="Batches">Batches committed.</param>
/// <param name="Commands">Commands in them (the mean batch is Commands / Batches).</param>
/// <param name="ApplyTime">Time spent before committing them: the batch's reads and every command down the order path, in memory.</param>
/// <param name="CommitTime">Time spent committing them (writing and making durable).</param>
/// <param name="LargestBatch">The largest batch.</param>
/// <param name="LongestCommit">The longest commit: every caller of its batch waited at least this long.</param>
/// <param name="SlowCommits">Commits that took <see cref="OrderWriter.SlowCommit"/> or more.</param>
public sealed record WriterStatistics(long Batches, long Commands, TimeSpan ApplyTime, TimeSpan CommitTime, int LargestBatch,
    TimeSpan LongestCommit, long SlowCommits);

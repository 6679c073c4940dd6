using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Persistence;

/// <summary>
/// The platform's relational model. Two providers share it: PostgreSQL in production and SQLite in
/// the embedded mode; each has its own migrations (<see cref="PostgresDbContext"/>,
/// <see cref="SqliteDbContext"/>) because their SQL differs.
/// </summary>
public abstract class TradSysDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The tables whose every change raises a counter in <c>reference_versions</c> (their triggers).</summary>
    private static readonly HashSet<string> CountedTables = new(StringComparer.Ordinal) { "accounts", "instruments", "rule_pack_heads", "venues", "fx_rates" };

    /// <summary>This context saved a counted table's row inside a transaction not yet committed (signaled again at the commit).</summary>
    internal bool ReferenceWritePending { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var counted = TouchesCountedTables();
        var saved = base.SaveChanges(acceptAllChangesOnSuccess);
        NoteReferenceWrite(counted);
        return saved;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var counted = TouchesCountedTables();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        NoteReferenceWrite(counted);
        return saved;
    }

    private bool TouchesCountedTables()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && entry.Metadata.GetTableName() is { } table &&
                CountedTables.Contains(table))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A change to a counted table made through this process is signaled to the order writer at once (besides PostgreSQL's
    /// notification, which can arrive a moment after the caller has its answer): after the save, and again at the commit of the
    /// transaction it was saved in.
    /// </summary>
    private void NoteReferenceWrite(bool counted)
    {
        if (!counted)
        {
            return;
        }
        ReferenceChangeSignal.LocalChange();
        if (Database.CurrentTransaction is not null)
        {
            ReferenceWritePending = true;
        }
    }

    public DbSet<User> Users => Set<User>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountVersion> AccountVersions => Set<AccountVersion>();
    public DbSet<InstrumentVersion> InstrumentVersions => Set<InstrumentVersion>();
    public DbSet<Venue> Venues => Set<Venue>();
    public DbSet<VenueVersion> VenueVersions => Set<VenueVersion>();
    public DbSet<Instrument> Instruments => Set<Instrument>();
    public DbSet<OrderRecord> Orders => Set<OrderRecord>();
    public DbSet<OrderEventRecord> OrderEvents => Set<OrderEventRecord>();
    public DbSet<TradeRecord> Trades => Set<TradeRecord>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<OutboxCursor> OutboxCursors => Set<OutboxCursor>();
    public DbSet<RulePackVersion> RulePackVersions => Set<RulePackVersion>();
    public DbSet<RulePackHead> RulePackHeads => Set<RulePackHead>();
    public DbSet<FxRate> FxRates => Set<FxRate>();
    public DbSet<FxRateVersion> FxRateVersions => Set<FxRateVersion>();
    public DbSet<RuleDecisionRecord> RuleDecisions => Set<RuleDecisionRecord>();
    public DbSet<ContextSnapshotRecord> ContextSnapshots => Set<ContextSnapshotRecord>();
    public DbSet<ReferenceVersion> ReferenceVersions => Set<ReferenceVersion>();
    public DbSet<WorkflowDefinitionRecord> WorkflowDefinitions => Set<WorkflowDefinitionRecord>();
    public DbSet<WorkflowInstanceRecord> WorkflowInstances => Set<WorkflowInstanceRecord>();
    public DbSet<WorkflowTaskRecord> WorkflowTasks => Set<WorkflowTaskRecord>();
    public DbSet<WorkflowTransitionRecord> WorkflowTransitions => Set<WorkflowTransitionRecord>();
    public DbSet<RulePackReplay> RulePackReplays => Set<RulePackReplay>();
    public DbSet<RulePackReplayChange> RulePackReplayChanges => Set<RulePackReplayChange>();
    public DbSet<RulePackDraft> RulePackDrafts => Set<RulePackDraft>();
    public DbSet<GeneratedReportRecord> GeneratedReports => Set<GeneratedReportRecord>();
    public DbSet<Dividend> Dividends => Set<Dividend>();
    public DbSet<StockSplit> StockSplits => Set<StockSplit>();
    public DbSet<PositionAdjustment> PositionAdjustments => Set<PositionAdjustment>();
    public DbSet<SymbolChange> SymbolChanges => Set<SymbolChange>();
    public DbSet<ReferencePriceDay> ReferencePriceDays => Set<ReferencePriceDay>();
    public DbSet<DailyFxRate> DailyFxRates => Set<DailyFxRate>();
    public DbSet<TokenRevocation> TokenRevocations => Set<TokenRevocation>();
    public DbSet<TradingStatusRecord> TradingStatuses => Set<TradingStatusRecord>();
    public DbSet<RiskLimitRecord> RiskLimits => Set<RiskLimitRecord>();
    public DbSet<RiskLimitProposal> RiskLimitProposals => Set<RiskLimitProposal>();
    public DbSet<CashMovement> CashMovements => Set<CashMovement>();
    public DbSet<RiskAlert> RiskAlerts => Set<RiskAlert>();
    public DbSet<FixSessionRecord> FixSessions => Set<FixSessionRecord>();
    public DbSet<FixMessageRecord> FixMessages => Set<FixMessageRecord>();
    public DbSet<FixReportCursor> FixReportCursors => Set<FixReportCursor>();
    public DbSet<FixClientOrderIdRecord> FixClientOrderIds => Set<FixClientOrderIdRecord>();
    public DbSet<VenueExecutionRecord> VenueExecutions => Set<VenueExecutionRecord>();
    public DbSet<WriterLease> WriterLeases => Set<WriterLease>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();

    /// <summary>The ASP.NET Core Data Protection key ring, one for every node (<see cref="Auth.DataProtectionKeyRing"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        UnindexedForeignKeys.Use(configurationBuilder);
        // Exact money and prices everywhere: numeric(28, 8) in PostgreSQL; SQLite keeps decimals as text.
        configurationBuilder.Properties<decimal>().HavePrecision(28, 8);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<OrderStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Side>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<OrderType>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<TimeInForce>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<OrderEventKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ClientCategory>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<Jurisdiction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<FatcaStatus>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<InstrumentStatus>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<SelfTradePrevention>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ShortMarking>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<EmirCounterpartyClass>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<AssetClass>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<ReportRunStatus>().HaveConversion<string>().HaveMaxLength(12);
        configurationBuilder.Properties<RevocationKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<TradSys.Engine.Risk.PreTrade.RiskScope>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<TradSys.Engine.Risk.PreTrade.TradingStatus>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.Id).ValueGeneratedNever();
            e.Property(u => u.UserName).HasMaxLength(64);
            e.Property(u => u.DisplayName).HasMaxLength(128);
            e.Property(u => u.Roles).HasMaxLength(128);
            // Two admins changing one user at once must not both write the same next token version (the second change's
            // revocation would then miss the tokens issued between them): the second save fails instead.
            e.Property(u => u.TokenVersion).IsConcurrencyToken();
            e.Property(u => u.FirstName).HasMaxLength(64);
            e.Property(u => u.Surname).HasMaxLength(64);
            e.Property(u => u.Nationality).HasMaxLength(2);
            e.Property(u => u.NationalId).HasMaxLength(35);
            e.Property(u => u.PassportNumber).HasMaxLength(35);
            e.Property(u => u.AlgoId).HasMaxLength(50);
            e.HasIndex(u => u.UserName).IsUnique();
        });

        modelBuilder.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Name).HasMaxLength(128);
            e.Property(a => a.NameAr).HasMaxLength(128);
            e.Property(a => a.Lei).HasMaxLength(20);
            e.Property(a => a.InvestorNumber).HasMaxLength(32);
            e.Property(a => a.CreditCurrency).HasMaxLength(3);
            e.Property(a => a.Giin).HasMaxLength(19);
            e.Property(a => a.FirstName).HasMaxLength(64);
            e.Property(a => a.Surname).HasMaxLength(64);
            e.Property(a => a.Nationality).HasMaxLength(2);
            e.Property(a => a.NationalId).HasMaxLength(35);
            e.Property(a => a.PassportNumber).HasMaxLength(35);
            e.Property(a => a.MifidBranch).HasMaxLength(2);
            e.Property(a => a.UsTin).HasMaxLength(11);
            e.Property(a => a.AddressCountry).HasMaxLength(2);
            e.Property(a => a.InsiderOfIsins).HasConversion(JsonConverter<List<string>>(), JsonComparer<string>());
            e.Property(a => a.BorrowedShares).HasConversion(JsonConverter<List<BorrowedShares>>(), JsonComparer<BorrowedShares>());
            e.HasIndex(a => a.OwnerUserId);
            e.HasOne<User>().WithMany().HasForeignKey(a => a.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Venue>(e =>
        {
            e.ToTable("venues");
            e.HasKey(v => v.Code);
            e.Property(v => v.Code).HasMaxLength(16);
            e.Property(v => v.Mic).HasMaxLength(4);
            e.Property(v => v.Name).HasMaxLength(128);
            e.Property(v => v.Currency).HasMaxLength(3);
            e.Property(v => v.Country).HasMaxLength(2);
            e.Property(v => v.TimeZone).HasMaxLength(64);
            e.Property(v => v.TickTable).HasConversion(JsonConverter<List<VenueTickBand>>(), JsonComparer<VenueTickBand>());
            e.Property(v => v.TradingDays).HasConversion(JsonConverter<List<DayOfWeek>>(), JsonComparer<DayOfWeek>());
            e.Property(v => v.Sessions).HasConversion(JsonConverter<List<SessionDefinition>>(), JsonComparer<SessionDefinition>());
            e.Property(v => v.Holidays).HasConversion(JsonConverter<List<DateOnly>>(), JsonComparer<DateOnly>());
            e.Property(v => v.HolidayNames).HasConversion(JsonConverter<List<VenueHoliday>>(), JsonComparer<VenueHoliday>());
            e.Property(v => v.HalfDays).HasConversion(JsonConverter<List<VenueHalfDay>>(), JsonComparer<VenueHalfDay>());
        });

        modelBuilder.Entity<Instrument>(e =>
        {
            e.ToTable("instruments");
            e.HasKey(i => i.Symbol);
            e.Property(i => i.Symbol).HasMaxLength(16);
            e.Property(i => i.Isin).HasMaxLength(12);
            e.Property(i => i.Name).HasMaxLength(128);
            e.Property(i => i.NameAr).HasMaxLength(128);
            e.Property(i => i.VenueCode).HasMaxLength(16);
            e.Property(i => i.Currency).HasMaxLength(3);
            e.Property(i => i.Sector).HasMaxLength(64);
            e.Property(i => i.UnderlyingIsin).HasMaxLength(12);
            e.Property(i => i.ReportingSource).HasMaxLength(256);
            e.HasIndex(i => i.Isin);
            e.HasOne<Venue>().WithMany().HasForeignKey(i => i.VenueCode).OnDelete(DeleteBehavior.Restrict);
            e.OwnsOne(i => i.Sharia, s =>
            {
                s.Property(x => x.ReportingCurrency).HasMaxLength(3);
                s.Property(x => x.Source).HasMaxLength(256);
            });
        });

        modelBuilder.Entity<OrderRecord>(e =>
        {
            e.ToTable("orders");
            e.Property(o => o.Id).ValueGeneratedNever();
            e.Property(o => o.ClientOrderId).HasMaxLength(64);
            e.Property(o => o.Symbol).HasMaxLength(16);
            e.Property(o => o.RejectReason).HasMaxLength(512);
            e.Property(o => o.CancelReason).HasMaxLength(256);
            e.Property(o => o.AmendKey).HasMaxLength(64);
            e.Property(o => o.LocateId).HasMaxLength(64);
            e.Property(o => o.CounterpartyLei).HasMaxLength(20);
            e.Property(o => o.Uti).HasMaxLength(64);
            e.Property(o => o.RuleOutcome).HasMaxLength(8);
            e.Property(o => o.RoutedSession).HasMaxLength(64);
            e.Property(o => o.VenueOrderId).HasMaxLength(64);
            e.Property(o => o.VenueClOrdId).HasMaxLength(64);
            e.Property(o => o.VenuePending).HasMaxLength(16);
            e.Property(o => o.VenuePendingClOrdId).HasMaxLength(64);
            e.Ignore(o => o.AveragePrice);
            e.Ignore(o => o.IsWorking);
            e.Ignore(o => o.IsHeld);
            e.Ignore(o => o.IsPendingStop);
            e.HasIndex(o => new { o.AccountId, o.ClientOrderId }).IsUnique();
            e.HasIndex(o => new { o.AccountId, o.CreatedAt });
            e.HasIndex(o => new { o.Symbol, o.Status });
            e.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Instrument>().WithMany().HasForeignKey(o => o.Symbol).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<OrderEventRecord>(e =>
        {
            e.ToTable("order_events");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.Property(x => x.Reason).HasMaxLength(512);
            e.HasIndex(x => new { x.OrderId, x.Sequence });
        });

        modelBuilder.Entity<TradeRecord>(e =>
        {
            e.ToTable("trades");
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.Symbol).HasMaxLength(16);
            e.Property(t => t.Currency).HasMaxLength(3);
            e.HasIndex(t => new { t.Symbol, t.ExecutedAt });
            e.HasIndex(t => new { t.BuyAccountId, t.ExecutedAt });
            e.HasIndex(t => new { t.SellAccountId, t.ExecutedAt });
        });

        modelBuilder.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit_log");
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Actor).HasMaxLength(64);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Subject).HasMaxLength(128);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasIndex(a => a.Timestamp);
        });

        modelBuilder.Entity<TokenRevocation>(e =>
        {
            e.ToTable("token_revocations");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedOnAdd();
            e.Property(r => r.Value).HasMaxLength(128);
            e.Property(r => r.Reason).HasMaxLength(200);
            // Nodes load the recent rows at start-up and re-read the last seconds on every poll (late commits).
            e.HasIndex(r => r.RecordedAt);
        });

        modelBuilder.Entity<SignInFailure>(e =>
        {
            e.ToTable("sign_in_failures");
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedOnAdd();
            e.Property(f => f.Scope).HasMaxLength(8);
            e.Property(f => f.Key).HasMaxLength(80);
            // A throttle reads one key's failures inside its window, and deletes its scope's rows that have left it.
            e.HasIndex(f => new { f.Key, f.At });
            e.HasIndex(f => new { f.Scope, f.At });
        });

        modelBuilder.Entity<OutboxCursor>(e =>
        {
            e.ToTable("outbox_cursors");
            e.HasKey(c => c.Name);
            e.Property(c => c.Name).HasMaxLength(32);
        });

        modelBuilder.Entity<RulePackVersion>(e =>
        {
            e.ToTable("rule_pack_versions");
            e.Property(v => v.PackId).HasMaxLength(64);
            e.Property(v => v.Version).HasMaxLength(64);
            e.Property(v => v.Sha256).HasMaxLength(64);
            e.Property(v => v.PublishedBy).HasMaxLength(64);
            e.Property(v => v.Comment).HasMaxLength(512);
            e.HasIndex(v => new { v.PackId, v.Version }).IsUnique();
        });

        modelBuilder.Entity<RulePackHead>(e =>
        {
            e.ToTable("rule_pack_heads");
            e.HasKey(h => h.PackId);
            e.Property(h => h.PackId).HasMaxLength(64);
            e.Property(h => h.ChangedBy).HasMaxLength(64);
            e.HasOne(h => h.CurrentVersion).WithMany().HasForeignKey(h => h.CurrentVersionId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<FxRate>(e =>
        {
            e.ToTable("fx_rates");
            e.HasKey(r => r.Currency);
            e.Property(r => r.Currency).HasMaxLength(3);
            e.Property(r => r.UsdPerUnit).HasPrecision(28, 12);
            e.Property(r => r.EurPerUnit).HasPrecision(28, 12);
            e.Property(r => r.Source).HasMaxLength(256);
        });

        modelBuilder.Entity<FxRateVersion>(e =>
        {
            e.ToTable("fx_rate_versions");
            e.Property(v => v.Currency).HasMaxLength(3);
            e.Property(v => v.ChangedBy).HasMaxLength(64);
            e.Property(v => v.Reason).HasMaxLength(512);
            e.Property(v => v.Source).HasMaxLength(256);
            e.Property(v => v.UsdPerUnitBefore).HasPrecision(28, 12);
            e.Property(v => v.EurPerUnitBefore).HasPrecision(28, 12);
            e.Property(v => v.UsdPerUnitAfter).HasPrecision(28, 12);
            e.Property(v => v.EurPerUnitAfter).HasPrecision(28, 12);
            e.HasIndex(v => new { v.Currency, v.Version }).IsUnique();
        });

        modelBuilder.Entity<GeneratedReportRecord>(e =>
        {
            e.ToTable("generated_reports");
            e.Property(r => r.ReportId).HasMaxLength(64);
            e.Property(r => r.Scope).HasMaxLength(16);
            e.Property(r => r.Trigger).HasMaxLength(16);
            e.Property(r => r.RequestedBy).HasMaxLength(64);
            e.Property(r => r.Error).HasMaxLength(2048);
            e.Property(r => r.FileName).HasMaxLength(200);
            e.Property(r => r.Sha256).HasMaxLength(64);
            e.Property(r => r.DataSha256).HasMaxLength(64);
            e.Property(r => r.TwinContentType).HasMaxLength(64);
            e.Property(r => r.TwinFileName).HasMaxLength(200);
            e.Property(r => r.TwinSha256).HasMaxLength(64);
            // One row per copy: two concurrent requests for the same report and day cannot both create copy 1.
            e.HasIndex(r => new { r.ReportId, r.Scope, r.BusinessDate, r.Copy }).IsUnique();
            e.HasIndex(r => r.RequestedAt);
        });

        modelBuilder.Entity<RuleDecisionRecord>(e =>
        {
            e.ToTable("rule_decisions");
            e.HasKey(d => d.OrderId);
            e.Property(d => d.OrderId).ValueGeneratedNever();
            e.Property(d => d.Outcome).HasMaxLength(8);
            e.Property(d => d.ReasonCodes).HasMaxLength(1024);
            e.Property(d => d.ReportTags).HasMaxLength(1024);
            e.HasIndex(d => new { d.Outcome, d.DecidedAt });
            // Written for every order: no index on the snapshot references, which no query follows from the snapshot's side
            // (a decision's context is read by its order id) and whose snapshots are never deleted.
            e.Property(d => d.AccountSnapshotId).WithoutIndex();
            e.Property(d => d.InstrumentSnapshotId).WithoutIndex();
            e.HasOne<OrderRecord>().WithOne().HasForeignKey<RuleDecisionRecord>(d => d.OrderId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ContextSnapshotRecord>().WithMany().HasForeignKey(d => d.AccountSnapshotId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ContextSnapshotRecord>().WithMany().HasForeignKey(d => d.InstrumentSnapshotId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<WriterLease>(e =>
        {
            e.ToTable("writer_leases");
            e.HasKey(l => l.Shard);
            e.Property(l => l.Shard).HasMaxLength(32);
            e.Property(l => l.Holder).HasMaxLength(128);
            e.Property(l => l.AdvertisedUrl).HasMaxLength(Cluster.ClusterOptions.MaxAdvertisedUrlLength);
        });

        modelBuilder.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            // The key's XML (a few hundred bytes; more when encrypted to a certificate): unbounded text in both providers.
            e.Property(k => k.FriendlyName).HasMaxLength(128);
        });

        modelBuilder.Entity<ReferenceVersion>(e =>
        {
            e.ToTable("reference_versions");
            e.HasKey(v => v.Name);
            e.Property(v => v.Name).HasMaxLength(32);
            e.HasData(new ReferenceVersion { Name = "accounts", Version = 0 }, new ReferenceVersion { Name = "instruments", Version = 0 },
                new ReferenceVersion { Name = "rulepacks", Version = 0 }, new ReferenceVersion { Name = "venues", Version = 0 },
                new ReferenceVersion { Name = "fxrates", Version = 0 });
        });

        modelBuilder.Entity<ContextSnapshotRecord>(e =>
        {
            e.ToTable("context_snapshots");
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Kind).HasMaxLength(16);
            e.Property(c => c.Sha256).HasMaxLength(64);
            e.HasIndex(c => c.Sha256).IsUnique();
        });

        modelBuilder.Entity<WorkflowDefinitionRecord>(e =>
        {
            e.ToTable("workflow_definitions");
            e.Property(d => d.DefinitionId).HasMaxLength(64);
            e.Property(d => d.Sha256).HasMaxLength(64);
            e.Property(d => d.PublishedBy).HasMaxLength(64);
            e.Property(d => d.Comment).HasMaxLength(512);
            e.HasIndex(d => new { d.DefinitionId, d.Version }).IsUnique();
        });

        modelBuilder.Entity<WorkflowInstanceRecord>(e =>
        {
            e.ToTable("workflow_instances");
            e.Property(i => i.Id).ValueGeneratedNever();
            e.Property(i => i.DefinitionId).HasMaxLength(64);
            e.Property(i => i.Subject).HasMaxLength(16);
            e.Property(i => i.SubjectId).HasMaxLength(160);
            e.Property(i => i.State).HasMaxLength(64);
            e.Property(i => i.FiredTimers).HasMaxLength(512);
            // Optimistic concurrency: an update carries WHERE version = the version read; of two racing changes one lands.
            e.Property(i => i.Version).IsConcurrencyToken();
            e.HasIndex(i => new { i.Subject, i.CompletedAt });
            e.HasIndex(i => i.OrderId);
            e.HasOne<OrderRecord>().WithMany().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<WorkflowTaskRecord>(e =>
        {
            e.ToTable("workflow_tasks");
            e.Property(t => t.Id).ValueGeneratedNever();
            e.Property(t => t.Name).HasMaxLength(64);
            e.Property(t => t.State).HasMaxLength(64);
            e.Property(t => t.Role).HasMaxLength(64);
            e.Property(t => t.Status).HasMaxLength(12);
            e.Property(t => t.ClaimedBy).HasMaxLength(64);
            e.Property(t => t.Approvers).HasMaxLength(512);
            e.Property(t => t.RejectedBy).HasMaxLength(64);
            e.Property(t => t.Comment).HasMaxLength(1024);
            e.HasIndex(t => new { t.Status, t.Role });
            e.HasIndex(t => t.InstanceId);
            e.HasOne<WorkflowInstanceRecord>().WithMany().HasForeignKey(t => t.InstanceId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<WorkflowTransitionRecord>(e =>
        {
            e.ToTable("workflow_transitions");
            e.Property(t => t.FromState).HasMaxLength(64);
            e.Property(t => t.ToState).HasMaxLength(64);
            e.Property(t => t.Trigger).HasMaxLength(64);
            e.Property(t => t.Actor).HasMaxLength(64);
            e.Property(t => t.Comment).HasMaxLength(1024);
            e.HasIndex(t => new { t.InstanceId, t.Sequence }).IsUnique();
            e.HasOne<WorkflowInstanceRecord>().WithMany().HasForeignKey(t => t.InstanceId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<RulePackReplay>(e =>
        {
            e.ToTable("rule_pack_replays");
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.PackId).HasMaxLength(64);
            e.Property(r => r.DraftVersion).HasMaxLength(64);
            e.Property(r => r.Symbol).HasMaxLength(16);
            e.Property(r => r.RequestedBy).HasMaxLength(64);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
            e.Property(r => r.Error).HasMaxLength(1024);
            e.Property(r => r.ContentSha256).HasMaxLength(64);
            e.HasIndex(r => r.RequestedAt);
            e.HasIndex(r => new { r.PackId, r.ContentSha256 });
        });

        modelBuilder.Entity<RulePackDraft>(e =>
        {
            e.ToTable("rule_pack_drafts");
            e.Property(d => d.PackId).HasMaxLength(64);
            e.Property(d => d.Author).HasMaxLength(64);
            e.Property(d => d.BasedOnVersion).HasMaxLength(64);
            e.Property(d => d.Revision).IsConcurrencyToken();
            e.HasIndex(d => new { d.PackId, d.Author }).IsUnique();
            e.HasIndex(d => d.Author);
        });

        modelBuilder.Entity<RulePackReplayChange>(e =>
        {
            e.ToTable("rule_pack_replay_changes");
            e.Property(c => c.Symbol).HasMaxLength(16);
            e.Property(c => c.StoredOutcome).HasMaxLength(8);
            e.Property(c => c.BaselineOutcome).HasMaxLength(8);
            e.Property(c => c.DraftOutcome).HasMaxLength(8);
            e.Property(c => c.BaselineFault).HasMaxLength(1024);
            e.Property(c => c.DraftFault).HasMaxLength(1024);
            e.HasIndex(c => new { c.ReplayId, c.OrderId }).IsUnique();
            e.HasOne<RulePackReplay>().WithMany().HasForeignKey(c => c.ReplayId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ReferencePriceDay>(e =>
        {
            e.ToTable("reference_prices");
            e.HasKey(p => new { p.Date, p.Symbol });
            e.Property(p => p.Symbol).HasMaxLength(16);
            e.Property(p => p.Price).HasPrecision(28, 8);
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.Source).HasMaxLength(16);
            e.Property(p => p.EnteredBy).HasMaxLength(64);
            e.HasIndex(p => p.Symbol);
        });

        modelBuilder.Entity<DailyFxRate>(e =>
        {
            e.ToTable("daily_fx_rates");
            e.HasKey(r => new { r.Date, r.Currency });
            e.Property(r => r.Currency).HasMaxLength(3);
            e.Property(r => r.UsdPerUnit).HasPrecision(28, 12);
            e.Property(r => r.EurPerUnit).HasPrecision(28, 12);
            e.Property(r => r.Source).HasMaxLength(256);
            e.Property(r => r.EnteredBy).HasMaxLength(64);
        });

        modelBuilder.Entity<Dividend>(e =>
        {
            e.ToTable("dividends");
            e.Property(d => d.Symbol).HasMaxLength(16);
            e.Property(d => d.Currency).HasMaxLength(3);
            e.Property(d => d.Source).HasMaxLength(256);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(d => d.CancelReason).HasMaxLength(512);
            e.Property(d => d.CreatedBy).HasMaxLength(64);
            e.Property(d => d.UpdatedBy).HasMaxLength(64);
            e.Property(d => d.PaidBy).HasMaxLength(64);
            e.HasIndex(d => d.ExDate);
            e.HasIndex(d => d.PaymentDate);
            e.HasIndex(d => new { d.Symbol, d.ExDate });
            e.HasOne<Instrument>().WithMany().HasForeignKey(d => d.Symbol).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<StockSplit>(e =>
        {
            e.ToTable("stock_splits");
            e.Property(d => d.Symbol).HasMaxLength(16);
            e.Property(d => d.Source).HasMaxLength(256);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(d => d.CancelReason).HasMaxLength(512);
            e.Property(d => d.CreatedBy).HasMaxLength(64);
            e.Property(d => d.UpdatedBy).HasMaxLength(64);
            e.Property(d => d.AppliedBy).HasMaxLength(64);
            e.HasIndex(d => d.EffectiveDate);
            e.HasIndex(d => new { d.Symbol, d.EffectiveDate });
            e.HasOne<Instrument>().WithMany().HasForeignKey(d => d.Symbol).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<SymbolChange>(e =>
        {
            e.ToTable("symbol_changes");
            e.Property(d => d.Symbol).HasMaxLength(16);
            e.Property(d => d.NewSymbol).HasMaxLength(16);
            e.Property(d => d.NewIsin).HasMaxLength(12);
            e.Property(d => d.NewName).HasMaxLength(128);
            e.Property(d => d.Source).HasMaxLength(256);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(d => d.CancelReason).HasMaxLength(512);
            e.Property(d => d.CreatedBy).HasMaxLength(64);
            e.Property(d => d.UpdatedBy).HasMaxLength(64);
            e.Property(d => d.AppliedBy).HasMaxLength(64);
            e.HasIndex(d => d.EffectiveDate);
            e.HasIndex(d => new { d.Symbol, d.EffectiveDate });
            e.HasIndex(d => d.NewSymbol);
            e.HasOne<Instrument>().WithMany().HasForeignKey(d => d.Symbol).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<PositionAdjustment>(e =>
        {
            e.Property(a => a.CarriedAverageCost).HasPrecision(28, 8);
            e.ToTable("position_adjustments");
            e.Property(a => a.Symbol).HasMaxLength(16);
            e.Property(a => a.Reference).HasMaxLength(64);
            e.Property(a => a.Reason).HasMaxLength(512);
            e.Property(a => a.EnteredBy).HasMaxLength(64);
            e.HasIndex(a => new { a.AccountId, a.Symbol, a.Reference }).IsUnique();
            e.HasIndex(a => a.Reference);
            e.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<TradingStatusRecord>(e =>
        {
            e.ToTable("trading_statuses");
            e.Property(t => t.Key).HasMaxLength(64);
            e.Property(t => t.Reason).HasMaxLength(512);
            e.Property(t => t.SetBy).HasMaxLength(64);
            e.HasIndex(t => new { t.Scope, t.Key, t.Id });
        });

        modelBuilder.Entity<RiskLimitRecord>(e =>
        {
            e.ToTable("risk_limits");
            e.Property(l => l.Key).HasMaxLength(64);
            e.Property(l => l.Currency).HasMaxLength(3);
            e.Property(l => l.Reason).HasMaxLength(512);
            e.Property(l => l.ChangedBy).HasMaxLength(64);
            e.Property(l => l.ApprovedBy).HasMaxLength(64);
            e.Ignore(l => l.Limits);
            e.HasIndex(l => new { l.Scope, l.Key, l.Version }).IsUnique();
        });

        modelBuilder.Entity<RiskLimitProposal>(e =>
        {
            e.ToTable("risk_limit_proposals");
            e.Property(p => p.Key).HasMaxLength(64);
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.Reason).HasMaxLength(512);
            e.Property(p => p.ProposedBy).HasMaxLength(64);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(p => p.DecidedBy).HasMaxLength(64);
            e.Property(p => p.DecisionReason).HasMaxLength(512);
            e.Ignore(p => p.Limits);
            e.HasIndex(p => new { p.Status, p.Id });
            e.HasIndex(p => new { p.Scope, p.Key, p.Id });
        });

        modelBuilder.Entity<CashMovement>(e =>
        {
            e.ToTable("cash_movements");
            e.Property(c => c.Currency).HasMaxLength(3);
            e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(c => c.Reference).HasMaxLength(64);
            e.Property(c => c.Reason).HasMaxLength(512);
            e.Property(c => c.EnteredBy).HasMaxLength(64);
            e.HasIndex(c => new { c.AccountId, c.Reference }).IsUnique();
            e.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<AccountVersion>(e =>
        {
            e.ToTable("account_versions");
            e.Property(v => v.ChangedBy).HasMaxLength(64);
            e.Property(v => v.Reason).HasMaxLength(512);
            e.Property(v => v.ChangedFields).HasConversion(JsonConverter<List<string>>(), JsonComparer<string>());
            e.HasIndex(v => new { v.AccountId, v.Version }).IsUnique();
            e.HasOne<Account>().WithMany().HasForeignKey(v => v.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<InstrumentVersion>(e =>
        {
            e.ToTable("instrument_versions");
            e.Property(v => v.Symbol).HasMaxLength(16);
            e.Property(v => v.ChangedBy).HasMaxLength(64);
            e.Property(v => v.Reason).HasMaxLength(512);
            e.Property(v => v.ChangedFields).HasConversion(JsonConverter<List<string>>(), JsonComparer<string>());
            e.HasIndex(v => new { v.Symbol, v.Version }).IsUnique();
            e.HasOne<Instrument>().WithMany().HasForeignKey(v => v.Symbol).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<VenueVersion>(e =>
        {
            e.ToTable("venue_versions");
            e.Property(v => v.VenueCode).HasMaxLength(16);
            e.Property(v => v.ChangedBy).HasMaxLength(64);
            e.Property(v => v.Reason).HasMaxLength(512);
            e.Property(v => v.ChangedFields).HasConversion(JsonConverter<List<string>>(), JsonComparer<string>());
            e.HasIndex(v => new { v.VenueCode, v.Version }).IsUnique();
            e.HasOne<Venue>().WithMany().HasForeignKey(v => v.VenueCode).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<RiskAlert>(e =>
        {
            e.ToTable("risk_alerts");
            e.Property(a => a.Limit).HasMaxLength(32);
            e.Property(a => a.Symbol).HasMaxLength(16);
            e.Property(a => a.Scope).HasMaxLength(64);
            e.Property(a => a.Level).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.Unit).HasMaxLength(8);
            e.Property(a => a.Message).HasMaxLength(512);
            e.Property(a => a.AcknowledgedBy).HasMaxLength(64);
            e.HasIndex(a => new { a.AccountId, a.Id });
        });

        modelBuilder.Entity<FixSessionRecord>(e =>
        {
            e.ToTable("fix_sessions");
            e.Property(f => f.Id).HasMaxLength(128);
        });

        modelBuilder.Entity<FixMessageRecord>(e =>
        {
            e.ToTable("fix_messages");
            e.HasKey(m => new { m.SessionId, m.MsgSeqNum });
            e.Property(m => m.SessionId).HasMaxLength(128);
            e.HasOne<FixSessionRecord>().WithMany().HasForeignKey(m => m.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<FixReportCursor>(e =>
        {
            e.ToTable("fix_report_cursors");
            e.HasKey(c => c.ClientCompId);
            e.Property(c => c.ClientCompId).HasMaxLength(64);
        });

        modelBuilder.Entity<FixClientOrderIdRecord>(e =>
        {
            e.ToTable("fix_client_order_ids");
            e.HasKey(c => new { c.ClientCompId, c.ClOrdId });
            e.Property(c => c.ClientCompId).HasMaxLength(64);
            e.Property(c => c.ClOrdId).HasMaxLength(64);
            e.Property(c => c.OrigClOrdId).HasMaxLength(64);
            e.Property(c => c.MsgType).HasMaxLength(2);
            e.HasIndex(c => new { c.ClientCompId, c.Sequence });
            e.HasIndex(c => c.OrderId);
        });

        modelBuilder.Entity<VenueExecutionRecord>(e =>
        {
            e.ToTable("venue_executions");
            e.Property(x => x.Session).HasMaxLength(64);
            e.Property(x => x.ExecId).HasMaxLength(64);
            e.Property(x => x.ExecType).HasMaxLength(2);
            e.Property(x => x.OrderState).HasMaxLength(20);
            e.Property(x => x.Text).HasMaxLength(512);
            e.HasIndex(x => new { x.Session, x.ExecId }).IsUnique();
            e.HasIndex(x => x.OrderId);
        });

        // OpenIddict's applications, authorizations, scopes and tokens.
        modelBuilder.UseOpenIddict();
    }

    private static ValueConverter<T, string> JsonConverter<T>() => new(
        v => JsonSerializer.Serialize(v, JsonOptions),
        s => JsonSerializer.Deserialize<T>(s, JsonOptions)!);

    private static ValueComparer<List<T>> JsonComparer<T>() => new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(17, (h, x) => HashCode.Combine(h, x)),
        v => v.ToList());

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>All timestamps are UTC; SQLite hands them back unspecified, so say so on the way in.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The PostgreSQL flavour of the model (production and integration tests).</summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : TradSysDbContext(options);

/// <summary>The SQLite flavour of the model (the embedded mode).</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : TradSysDbContext(options);

using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// <c>reference load FILE --as ADMIN [--dry-run]</c>: adds the venues, instruments and FX rates of a <see cref="ReferenceDataFile"/>
/// in one transaction with an audit record each (<c>venue.created</c>, <c>instrument.created</c>, <c>fx_rate.created</c>, the named
/// admin as actor and the operating-system user beside), or, when the file has any problem, lists them all and writes nothing.
/// The platform reads venues and instruments when it starts (<see cref="ReferenceDataCache"/>), so they trade from its next start.
/// </summary>
public static class ReferenceDataLoadCommand
{
    /// <summary>Checks the arguments and reads the file, then checks and loads it through <paramref name="withDatabase"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandConsole console,
        Func<Func<IServiceProvider, TradSysDbContext, Task<int>>, Task<int>> withDatabase)
    {
        var parsed = PlatformCommands.Parse(args, ["--as"], ["--dry-run"]);
        var problems = new List<string>(parsed.Problems);
        if (parsed.Positional.Count != 1)
        {
            problems.Add(parsed.Positional.Count == 0 ? "name the file to load (or - for standard input)" : "name one file only");
        }
        if (!parsed.Values.ContainsKey("--as"))
        {
            problems.Add("--as ADMIN is required: the admin on whose behalf the data is loaded (the audit trail's actor)");
        }
        if (problems.Count > 0)
        {
            return await PlatformCommands.UsageErrorAsync(console, problems);
        }

        var path = parsed.Positional[0];
        string json;
        try
        {
            json = path == "-" ? await console.In.ReadToEndAsync() : await File.ReadAllTextAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"error: cannot read {path}: {e.Message.TrimEnd('.')}. Nothing was written.");
            return ExitCodes.Invalid;
        }

        return await withDatabase((services, db) => LoadAsync(console, db, services.GetRequiredService<AuditTrail>(),
            services.GetRequiredService<TimeProvider>(), json, path == "-" ? "standard input" : path, parsed.Values["--as"], parsed.Flags.Contains("--dry-run")));
    }

    private static async Task<int> LoadAsync(CommandConsole console, TradSysDbContext db, AuditTrail audit, TimeProvider clock, string json,
        string name, string actor, bool dryRun)
    {
        var admin = await db.Users.AsNoTracking().Where(u => u.UserName == actor).Select(u => new { u.IsActive, u.Roles }).SingleOrDefaultAsync();
        if (admin is null || !admin.IsActive || !admin.Roles.Split(',').Contains(Roles.Admin, StringComparer.Ordinal))
        {
            await console.Error.WriteLineAsync($"refused: '{actor}' is not an active admin of the platform (create the first one with " +
                                               "admin create-first). Nothing was written.");
            return ExitCodes.Refused;
        }

        var venues = await db.Venues.AsNoTracking().ToDictionaryAsync(v => v.Code, StringComparer.Ordinal);
        var symbols = (await db.Instruments.AsNoTracking().Select(i => i.Symbol).ToListAsync()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var currencies = (await db.FxRates.AsNoTracking().Select(r => r.Currency).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        var file = ReferenceDataFile.Read(json, venues, symbols, currencies);
        if (file.Problems.Count > 0)
        {
            foreach (var problem in file.Problems)
            {
                await console.Error.WriteLineAsync($"{name}: {problem}");
            }
            await console.Error.WriteLineAsync($"{file.Problems.Count} problem{(file.Problems.Count == 1 ? "" : "s")}; nothing was written.");
            return ExitCodes.Invalid;
        }

        var summary = $"{file.Venues.Count} venue(s) ({Codes(file.Venues.Select(v => v.Code))}), {file.Instruments.Count} instrument(s) " +
                      $"({Codes(file.Instruments.Select(i => i.Symbol))}), {file.FxRates.Count} FX rate(s) ({Codes(file.FxRates.Select(r => r.Currency))})";
        if (dryRun)
        {
            await console.Out.WriteLineAsync($"{name} is valid: it would add {summary}. Dry run: nothing was written.");
            return ExitCodes.Done;
        }

        var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        var via = new { via = "reference load", file = Path.GetFileName(name), osUser = $"{Environment.UserName}@{Environment.MachineName}" };
        var entries = new List<AuditEntry>();
        entries.AddRange(file.Venues.Select(v => new AuditEntry(now, actor, "venue.created", $"venue/{v.Code}", AuditTrail.Serialize(new { venue = v, origin = via }))));
        entries.AddRange(file.FxRates.Select(r => new AuditEntry(now, actor, "fx_rate.created", $"fx_rate/{r.Currency}", AuditTrail.Serialize(new { rate = r, origin = via }))));
        entries.AddRange(file.Instruments.Select(i => new AuditEntry(now, actor, "instrument.created", $"instrument/{i.Symbol}",
            AuditTrail.Serialize(new { instrument = i, origin = via }))));
        db.Venues.AddRange(file.Venues);
        db.FxRates.AddRange(file.FxRates);
        db.Instruments.AddRange(file.Instruments);
        // The rows and their audit records commit together, or nothing does.
        await audit.SaveWithAsync(db, entries, CancellationToken.None);
        await console.Out.WriteLineAsync($"Loaded {summary}, audited as {actor}. A running platform reads them at its next start.");
        return ExitCodes.Done;
    }

    private static string Codes(IEnumerable<string> codes)
    {
        var list = codes.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}

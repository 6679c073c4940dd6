using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using TradSys.Web.Apis;
using TradSys.Web.Auditing;
using TradSys.Web.Hosting;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Auth;

/// <summary>
/// <c>admin create-first</c>: creates the platform's first admin on a database without one (a production start with
/// <c>Platform__SeedDemoData=false</c> has no user at all, so nobody could sign in to create one). The same checks as
/// <c>POST /api/v1/users</c> (user name, display name, password policy), the password from the environment or standard input and
/// never from the command line, refused once any admin exists, and audited as <c>user.created</c> by the operator at the console.
/// </summary>
public static class FirstAdminCommand
{
    /// <summary>The environment variable the password may come from.</summary>
    public const string PasswordVariable = "TRADSYS_ADMIN_PASSWORD";

    /// <summary>Checks the arguments and the password, then creates the admin through <paramref name="withDatabase"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandConsole console,
        Func<Func<IServiceProvider, TradSysDbContext, Task<int>>, Task<int>> withDatabase)
    {
        var parsed = PlatformCommands.Parse(args, ["--user", "--display-name"], ["--api-client"]);
        var problems = new List<string>(parsed.Problems);
        problems.AddRange(parsed.Positional.Select(p => $"unexpected argument '{p}'"));
        if (!parsed.Values.ContainsKey("--user"))
        {
            problems.Add("--user NAME is required");
        }
        if (!parsed.Values.ContainsKey("--display-name"))
        {
            problems.Add("--display-name \"FULL NAME\" is required");
        }
        if (problems.Count > 0)
        {
            return await PlatformCommands.UsageErrorAsync(console, problems);
        }

        var userName = parsed.Values["--user"].Trim();
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!UsersApi.UserNamePattern().IsMatch(userName))
        {
            Http.FieldProblems.Add(errors, "--user", "must be 3-32 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter");
        }
        var displayName = UsersApi.CheckDisplayName(parsed.Values["--display-name"], required: true, errors);
        if (errors.Remove("displayName", out var displayNameProblems))
        {
            errors["--display-name"] = displayNameProblems;
        }
        var (password, passwordProblem) = await ReadPasswordAsync(console, userName);
        if (passwordProblem is not null)
        {
            Http.FieldProblems.Add(errors, "password", passwordProblem);
        }
        else
        {
            UsersApi.CheckPassword(password, userName, errors);
        }
        if (errors.Count > 0)
        {
            foreach (var (field, messages) in errors)
            {
                foreach (var message in messages)
                {
                    await console.Error.WriteLineAsync($"error: {field}: {message}");
                }
            }
            await console.Error.WriteLineAsync("Nothing was written.");
            return ExitCodes.Invalid;
        }
        return await withDatabase((services, db) => CreateAsync(console, services, db, userName, displayName!, password!, parsed.Flags.Contains("--api-client")));
    }

    private static async Task<int> CreateAsync(CommandConsole console, IServiceProvider services, TradSysDbContext db, string userName,
        string displayName, string password, bool issueClient)
    {

        var existing = await db.Users.AsNoTracking().Select(u => new { u.UserName, u.Roles }).ToListAsync();
        var admins = existing.Where(u => u.Roles.Split(',').Contains(Roles.Admin, StringComparer.Ordinal)).Select(u => u.UserName).ToList();
        if (admins.Count > 0)
        {
            await console.Error.WriteLineAsync($"refused: the platform already has an admin ({string.Join(", ", admins)}). This command only " +
                                               "creates the first one: sign in as an admin and create users on the portal's Users page or " +
                                               "through POST /api/v1/users. Nothing was written.");
            return ExitCodes.Refused;
        }
        if (existing.Any(u => u.UserName == userName))
        {
            await console.Error.WriteLineAsync($"refused: the user name '{userName}' is taken by a user who is not an admin. Nothing was written.");
            return ExitCodes.Refused;
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var audit = services.GetRequiredService<AuditTrail>();
        var actor = $"console:{Environment.UserName}@{Environment.MachineName}";
        var user = new User
        {
            Id = await db.Users.AnyAsync() ? await db.Users.MaxAsync(u => u.Id) + 1 : 1,
            UserName = userName,
            DisplayName = displayName,
            Roles = Roles.Admin,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
        db.Users.Add(user);
        // The user and its audit record commit together (the password itself is never written to the trail).
        try
        {
            await audit.AppendAsync(db, clock, actor, "user.created", $"user/{user.Id}",
                new { user.UserName, user.DisplayName, roles = new[] { Roles.Admin }, via = "admin create-first" }, CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // A user (or an audit record) was written by someone else between the check and this commit: nothing of this run was saved.
            await console.Error.WriteLineAsync("refused: another user was created at the same moment; nothing was written. Run the command " +
                                               "again: it creates the first admin only if there is still none.");
            return ExitCodes.Refused;
        }
        await console.Out.WriteLineAsync($"Created the first admin '{user.UserName}' (user {user.Id}); audited as user.created by {actor}.");
        await console.Out.WriteLineAsync("Sign in at /portal with this user name and password.");

        if (issueClient)
        {
            var (clientId, secret) = await UsersApi.IssueClientAsync(services.GetRequiredService<IOpenIddictApplicationManager>(), user, CancellationToken.None);
            await audit.AppendAsync(db, clock, actor, "user.client_issued", $"user/{user.Id}", new { clientId }, CancellationToken.None);
            await console.Out.WriteLineAsync("API client (client credentials at POST /connect/token; the secret is shown once, it is stored hashed):");
            await console.Out.WriteLineAsync($"  client_id     {clientId}");
            await console.Out.WriteLineAsync($"  client_secret {secret}");
        }
        return ExitCodes.Done;
    }

    /// <summary>
    /// The password: the environment variable, else standard input (on a terminal asked twice without echo; piped, its first line).
    /// Never an argument: a command line is visible to every user of the machine and kept in the shell's history.
    /// </summary>
    private static async Task<(string? Password, string? Problem)> ReadPasswordAsync(CommandConsole console, string userName)
    {
        if (console.Variable(PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return (fromEnvironment, null);
        }
        if (!console.InputIsTerminal)
        {
            var line = await console.In.ReadLineAsync();
            return string.IsNullOrEmpty(line)
                ? (null, $"is required: set {PasswordVariable} or give it as the first line of standard input")
                : (line, null);
        }
        var first = ReadHidden(console, $"Password for {userName}: ");
        var second = ReadHidden(console, "The same password again: ");
        return first == second ? (first, null) : (null, "the two passwords typed differ");
    }

    private static string ReadHidden(CommandConsole console, string prompt)
    {
        console.Error.Write(prompt);
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        console.Error.WriteLine();
        return text.ToString();
    }
}

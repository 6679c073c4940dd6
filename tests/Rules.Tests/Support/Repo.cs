namespace TradSys.Rules.Tests.Support;

/// <summary>Finds the repository's rulesets/ from the test's output directory.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Rulesets => Path.Combine(Root, "rulesets");

    public static string PackPath(string id) => Path.Combine(Rulesets, id + ".json");

    public static string PackJson(string id) => File.ReadAllText(PackPath(id));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TradSys.sln not found above " + AppContext.BaseDirectory);
    }
}

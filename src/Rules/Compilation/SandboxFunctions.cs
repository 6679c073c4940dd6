namespace TradSys.Rules.Compilation;

/// <summary>
/// Helpers the sandbox substitutes for list membership: an expression's <c>@List.Contains(x)</c> becomes a call
/// here with the parameter's array bound as a constant, so the pass path allocates nothing and compares ordinally.
/// Expressions cannot name this class; only the sandbox's rewrite produces calls to it.
/// </summary>
internal static class SandboxFunctions
{
    public static bool Contains(string[] list, string? value)
    {
        if (value is null)
        {
            return false;
        }

        for (int i = 0; i < list.Length; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

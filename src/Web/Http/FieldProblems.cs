namespace TradSys.Web.Http;

/// <summary>Collects a request's field problems (field name to messages) for one RFC 7807 answer with every problem at once.</summary>
public static class FieldProblems
{
    /// <summary>Adds <paramref name="message"/> to <paramref name="field"/>'s problems.</summary>
    public static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }
}

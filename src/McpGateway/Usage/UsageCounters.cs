using System.Collections.Concurrent;

namespace McpGateway.Usage;

/// <summary>The counters kept per user and model, and how their names encode the model.</summary>
internal static class UsageCounters
{
    /// <summary>Beyond this many models the field names are built per answer instead of remembered.</summary>
    private const int MaxRememberedModels = 1024;

    private static readonly ConcurrentDictionary<(string Provider, string Model), string[]> Fields = new();

    public const string Requests = "requests";
    public const string Prompt = "prompt";
    public const string Completion = "completion";
    public const string Total = "total";

    private const char Separator = '\u001f';

    /// <summary>The four counters one answer adds to, in the order requests, prompt, completion, total.</summary>
    public static string[] FieldsOf(ChatUsage usage)
    {
        var key = (usage.Provider, usage.Model);
        if (Fields.TryGetValue(key, out var fields))
        {
            return fields;
        }

        var prefix = Clean(usage.Provider) + Separator + Clean(usage.Model) + Separator;
        fields = [prefix + Requests, prefix + Prompt, prefix + Completion, prefix + Total];
        return Fields.Count < MaxRememberedModels ? Fields.GetOrAdd(key, fields) : fields;
    }

    /// <summary>Folds counter fields back into one line per model, largest total first.</summary>
    public static IReadOnlyList<ModelUsage> Read(IEnumerable<(string Field, long Amount)> counters)
        => [.. counters
            .Select(counter => (Parts: counter.Field.Split(Separator), counter.Amount))
            .Where(counter => counter.Parts.Length == 3)
            .GroupBy(counter => (Provider: counter.Parts[0], Model: counter.Parts[1]))
            .Select(model => new ModelUsage
            {
                Provider = model.Key.Provider,
                Model = model.Key.Model,
                Requests = Sum(model, Requests),
                PromptTokens = Sum(model, Prompt),
                CompletionTokens = Sum(model, Completion),
                TotalTokens = Sum(model, Total),
            })
            .OrderByDescending(model => model.TotalTokens)
            .ThenBy(model => model.Model, StringComparer.Ordinal)];

    private static long Sum(IEnumerable<(string[] Parts, long Amount)> counters, string name)
        => counters.Where(counter => counter.Parts[2] == name).Sum(counter => counter.Amount);

    private static string Clean(string name) => new([.. name.Where(c => !char.IsControl(c))]);
}

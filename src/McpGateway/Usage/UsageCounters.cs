namespace McpGateway.Usage;

/// <summary>The counters kept per user and model, and how their names encode the model.</summary>
internal static class UsageCounters
{
    public const string Requests = "requests";
    public const string Prompt = "prompt";
    public const string Completion = "completion";
    public const string Total = "total";

    private const char Separator = '\u001f';

    public static IEnumerable<(string Field, long Amount)> Of(ChatUsage usage)
    {
        var prefix = Clean(usage.Provider) + Separator + Clean(usage.Model) + Separator;
        yield return (prefix + Requests, 1);
        yield return (prefix + Prompt, usage.PromptTokens);
        yield return (prefix + Completion, usage.CompletionTokens);
        yield return (prefix + Total, usage.TotalTokens);
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

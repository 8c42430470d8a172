namespace LlmLog.Loading;

/// <summary>
/// The copies of loaded ids that a run left out although they differ from the call kept, as the settle step
/// counted them (<c>sql/load/settle_calls.sql</c>): how many, one of their ids, and per field of the record how
/// many differ in it.
/// </summary>
#pragma warning disable IDE1006, CA1812 // Named after the columns Dapper maps them from.
internal sealed record DifferingCopies(
    long copies, string? example_id, long created_at, long model, long stream, long request_type, long max_tokens,
    long temperature, long started_at, long ended_at, long ttft_s, long prompt_tokens, long completion_tokens,
    long total_tokens, long prompt_cached_tokens, long logged_cost_usd)
#pragma warning restore IDE1006, CA1812
{
    /// <summary>The fields in which at least one copy differs, with how many, in the order of the calls table.</summary>
    public IReadOnlyDictionary<string, long> Fields()
    {
        var all = new (string Name, long Count)[]
        {
            ("created_at", created_at), ("model", model), ("stream", stream), ("request_type", request_type),
            ("max_tokens", max_tokens), ("temperature", temperature), ("started_at", started_at), ("ended_at", ended_at),
            ("ttft_s", ttft_s), ("prompt_tokens", prompt_tokens), ("completion_tokens", completion_tokens),
            ("total_tokens", total_tokens), ("prompt_cached_tokens", prompt_cached_tokens), ("logged_cost_usd", logged_cost_usd),
        };
        var fields = new Dictionary<string, long>();
        foreach (var (name, count) in all)
            if (count > 0) fields[name] = count;
        return fields;
    }
}

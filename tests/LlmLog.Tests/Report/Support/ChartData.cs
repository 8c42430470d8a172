using System.Globalization;
using System.Text.Json.Nodes;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Report.Support;

/// <summary>Calls shaped for one chart defect: a given day, model, latency, token counts and logged cost.</summary>
public static class ChartData
{
    public static JsonNode Call(DateTime created, string model = "gpt-4o-2024-11-20", double latencyS = 3, long prompt = 700, long completion = 300, double? cost = null)
    {
        var call = Some.Call(created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), model);
        var metrics = call["metrics"]!.AsObject();
        var start = (created - DateTime.UnixEpoch).TotalSeconds;
        metrics["start"] = start;
        metrics["end"] = start + latencyS;
        metrics["time_to_first_token"] = Math.Min(latencyS, 0.5);
        metrics["prompt_tokens"] = prompt;
        metrics["completion_tokens"] = completion;
        metrics["tokens"] = prompt + completion;
        if (cost is { } usd) metrics["cost"] = usd;
        return call;
    }

    /// <summary>A record of a call that fails validation ("stream" is not a boolean), dated <paramref name="created"/>.</summary>
    public static JsonNode Rejected(DateTime created, string model = "gpt-4o-2024-11-20")
    {
        var call = Call(created, model);
        call["stream"] = "yes";
        return call;
    }

    public static DateTime Day(int i, int hour = 12) => new DateTime(2025, 3, 1, hour, 0, 0, DateTimeKind.Utc).AddDays(i);
}

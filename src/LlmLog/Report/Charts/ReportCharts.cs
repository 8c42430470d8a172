namespace LlmLog.Report.Charts;

/// <summary>The fourteen charts the issue lists, in its order, and after the first the model mix over time.</summary>
public static class ReportCharts
{
    public static IReadOnlyList<ChartFigure> All(ReportData data) =>
    [
        DailyCharts.CallsByRequestType(data),
        DailyCharts.CallsByModel(data),
        DailyCharts.Tokens(data),
        DailyCharts.Latency(data),
        ModelCharts.TotalTokens(data, data.ChartModels),
        ModelCharts.PromptVsCompletion(data, data.ChartModels),
        ModelCharts.Ttft(data, data.ChartModels),
        DistributionCharts.Temperature(data),
        DistributionCharts.RequestTypes(data),
        TimeCharts.TokensPerHour(data),
        TimeCharts.Heatmap(data),
        DistributionCharts.Latency(data),
        DailyCharts.CostByModel(data),
        ModelCharts.OutputSpeed(data, data.ChartModels),
        DistributionCharts.MaxTokensUse(data),
    ];
}

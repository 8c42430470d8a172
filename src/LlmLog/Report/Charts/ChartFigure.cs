using ScottPlot;

namespace LlmLog.Report.Charts;

/// <summary>
/// One chart of the report: its title, a text alternative that states what it shows in numbers, and how to
/// draw it. <see cref="EmptyReason"/> is set instead of a plot when the selection has nothing to draw,
/// so no page of empty axes is ever rendered.
/// </summary>
public sealed record ChartFigure(string Id, string Title, string AltText, Func<Plot>? Create, string? EmptyReason = null)
{
    public const int Width = 720;
    public const int Height = 400;

    public static ChartFigure Empty(string id, string title, string reason) => new(id, title, reason, null, reason);
}

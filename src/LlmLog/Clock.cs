namespace LlmLog;

/// <summary>The one place llmlog asks the time, so tests and snapshots can fix it.</summary>
public static class Clock
{
    private static Func<DateTime> _now = () => DateTime.UtcNow;

    public static DateTime UtcNow => _now();

    /// <summary>UTC now, with no kind attached: both engines store TIMESTAMP without a zone.</summary>
    public static DateTime UtcNowUnspecified() => DateTime.SpecifyKind(TruncateToMicroseconds(_now()), DateTimeKind.Unspecified);

    /// <summary>Fixes the clock (tests, snapshot output). Dispose to restore.</summary>
    public static IDisposable Freeze(DateTime utc)
    {
        var previous = _now;
        _now = () => utc;
        return new Restore(() => _now = previous);
    }

    internal static DateTime TruncateToMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, t.Kind);

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}

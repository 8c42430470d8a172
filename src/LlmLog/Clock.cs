namespace LlmLog;

/// <summary>The one place llmlog asks the time, so tests and snapshots can fix it.</summary>
public static class Clock
{
    // Per flow of control (threads and tasks started from it inherit it): a test that fixes the clock leaves the tests
    // running beside it on the real one.
    private static readonly AsyncLocal<DateTime?> Frozen = new();

    public static DateTime UtcNow => Frozen.Value ?? DateTime.UtcNow;

    /// <summary>UTC now, with no kind attached: both engines store TIMESTAMP without a zone.</summary>
    public static DateTime UtcNowUnspecified() => DateTime.SpecifyKind(TruncateToMicroseconds(UtcNow), DateTimeKind.Unspecified);

    /// <summary>Fixes the clock for this flow of control and what it starts (tests, snapshot output). Dispose to restore.</summary>
    public static IDisposable Freeze(DateTime utc)
    {
        var previous = Frozen.Value;
        Frozen.Value = utc;
        return new Restore(() => Frozen.Value = previous);
    }

    internal static DateTime TruncateToMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, t.Kind);

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}

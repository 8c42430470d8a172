namespace LlmLog.Loading;

/// <summary>
/// What one pass over an input handed to the database: its calls, how many of them are flagged, and the
/// UTC days its calls and rejects touch. When every row handed over landed (a straight-in COPY, which
/// lands whole or not at all), these are the run's counts and dirty days without reading them back.
/// </summary>
internal sealed class WrittenTally
{
    public HashSet<DateOnly> Days { get; } = [];
    public long Calls { get; private set; }
    public long Flagged { get; private set; }

    /// <summary>A reject whose <c>created</c> did not parse: it counts on the day the run started.</summary>
    public bool RejectWithoutDay { get; private set; }

    public void AddCall(DateOnly day, bool flagged)
    {
        Calls++;
        if (flagged) Flagged++;
        Days.Add(day);
    }

    public void AddReject(DateOnly? createdDay)
    {
        if (createdDay is { } day) Days.Add(day);
        else RejectWithoutDay = true;
    }

    public void Clear()
    {
        Days.Clear();
        Calls = 0;
        Flagged = 0;
        RejectWithoutDay = false;
    }
}

namespace LlmLog.Transform;

/// <summary>Values that the two engines' drivers hand back as different CLR types.</summary>
internal static class DbValues
{
    /// <summary>A DATE column: DuckDB.NET gives <see cref="DateOnly"/>, Npgsql <see cref="DateTime"/>.</summary>
    public static DateOnly Day(object value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        _ => throw new InvalidCastException($"expected a date, got {value.GetType().Name}"),
    };
}

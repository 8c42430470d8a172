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

    /// <summary>A day as a DATE parameter: midnight with no time zone, which both drivers send as that date.</summary>
    public static DateTime Midnight(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
}

using System.Data.Common;
using System.Globalization;

namespace LlmLog.Export;

/// <summary>Typed reads that both engines' drivers agree on.</summary>
internal static class ExportValues
{
    /// <summary>A BIGINT column; a driver that hands back another integer type is widened, never truncated.</summary>
    public static long Int64(DbDataReader row, int i) =>
        row.GetFieldType(i) == typeof(long) ? row.GetInt64(i) : Convert.ToInt64(row.GetValue(i), CultureInfo.InvariantCulture);

    /// <summary>A DATE column, unboxed when the driver hands back a DateTime (it is read once or twice for every exported row).</summary>
    public static DateOnly Day(DbDataReader row, int i) =>
        row.GetFieldType(i) == typeof(DateTime) ? DateOnly.FromDateTime(row.GetDateTime(i)) : Transform.DbValues.Day(row.GetValue(i));

    public static DateTime Utc(DbDataReader row, int i) => DateTime.SpecifyKind(row.GetDateTime(i), DateTimeKind.Utc);
}

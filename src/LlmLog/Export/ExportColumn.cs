namespace LlmLog.Export;

/// <summary>The types an exported column can have; each maps to one CSV spelling, one Parquet type and one type per loader.</summary>
public enum ColumnType
{
    Text,
    BigInt,
    Double,
    Boolean,
    Date,
    Timestamp,
}

/// <summary>
/// One exported column: its name, type, whether it can be NULL, and what it holds. <c>MayBeEmpty</c> marks a text column
/// that is never NULL but can hold the empty string (a call's flags when it has none).
/// </summary>
public sealed record ExportColumn(string Name, ColumnType Type, bool Nullable, string Description, bool MayBeEmpty = false)
{
    /// <summary>
    /// The BigQuery mode: <c>REQUIRED</c> only where no loaded row can be NULL. BigQuery reads an empty CSV field as NULL,
    /// quoted or not, so a column that can hold the empty string is <c>NULLABLE</c> there: <c>REQUIRED</c> rejected
    /// every unflagged call of <c>bq load</c>.
    /// </summary>
    public string BigQueryMode => Nullable || MayBeEmpty ? "NULLABLE" : "REQUIRED";

    /// <summary>The PostgreSQL type in the <c>CREATE TABLE</c> schema file.</summary>
    public string PostgresType => Type switch
    {
        ColumnType.Text => "TEXT",
        ColumnType.BigInt => "BIGINT",
        ColumnType.Double => "DOUBLE PRECISION",
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.Date => "DATE",
        // The CSV writes UTC with Z (or the --timezone offset); timestamptz keeps the instant either way.
        ColumnType.Timestamp => "TIMESTAMPTZ",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, null),
    };

    /// <summary>The BigQuery type in the JSON schema file.</summary>
    public string BigQueryType => Type switch
    {
        ColumnType.Text => "STRING",
        ColumnType.BigInt => "INT64",
        ColumnType.Double => "FLOAT64",
        ColumnType.Boolean => "BOOL",
        ColumnType.Date => "DATE",
        ColumnType.Timestamp => "TIMESTAMP",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, null),
    };
}

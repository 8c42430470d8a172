namespace LlmLog.Warehouse;

/// <summary>The database engines llmlog runs its SQL on.</summary>
public enum Engine
{
    /// <summary>An embedded DuckDB file: the default, needs no server.</summary>
    DuckDb,

    /// <summary>A PostgreSQL server.</summary>
    Postgres,
}

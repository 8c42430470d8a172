using System.Data.Common;
using Dapper;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Support;

/// <summary>
/// A fresh, empty warehouse on either engine: a DuckDB file in a temp folder, or a new database on
/// the suite's real PostgreSQL. Engine-facing tests take an <see cref="Engine"/> and run on both.
/// </summary>
public sealed class TestWarehouse : IDisposable
{
    private readonly TempFolder _folder = new();

    private TestWarehouse(Engine engine, DatabaseTarget target)
    {
        Engine = engine;
        Target = target;
    }

    /// <summary>Both engines, for <c>[MemberData]</c>.</summary>
    public static TheoryData<Engine> Engines => new() { Engine.DuckDb, Engine.Postgres };

    /// <summary>Each case on each engine, for a theory of (engine, case).</summary>
    public static TheoryData<Engine, T> EachEngineWith<T>(params T[] cases)
    {
        var data = new TheoryData<Engine, T>();
        foreach (var value in cases)
        {
            data.Add(Engine.DuckDb, value);
            data.Add(Engine.Postgres, value);
        }
        return data;
    }

    public Engine Engine { get; }

    public DatabaseTarget Target { get; private set; }

    /// <summary>The value a user would pass as --db.</summary>
    public string DbArgument { get; private set; } = "";

    public TempFolder Files => _folder;

    /// <param name="engine">The engine.</param>
    /// <param name="postgresOptions">What CREATE DATABASE is given after the name, on PostgreSQL (a collation, an encoding).</param>
    public static async Task<TestWarehouse> CreateAsync(Engine engine, string? postgresOptions = null)
    {
        var warehouse = new TestWarehouse(engine, null!);
        warehouse.DbArgument = engine == Engine.Postgres
            ? await PostgresServer.Shared.CreateDatabaseAsync(options: postgresOptions)
            : warehouse._folder.Combine("llmlog.duckdb");
        warehouse.Target = DatabaseTarget.Parse(warehouse.DbArgument);
        return warehouse;
    }

    /// <summary>
    /// A new warehouse holding what <paramref name="source"/> holds now: its DuckDB files copied, or on PostgreSQL a
    /// database made from it as template. Cheaper than loading the same records again when a test needs many alike.
    /// </summary>
    public static async Task<TestWarehouse> CopyOfAsync(TestWarehouse source)
    {
        var warehouse = new TestWarehouse(source.Engine, null!);
        if (source.Engine == Engine.Postgres)
        {
            // PostgreSQL copies only a template nobody is connected to, and the idle connections Open() pooled count.
            await using (var pooled = new NpgsqlConnection(source.Target.ConnectionString)) NpgsqlConnection.ClearPool(pooled);
            warehouse.DbArgument = await PostgresServer.Shared.CreateDatabaseAsync(template: source.DbArgument);
        }
        else
        {
            warehouse.DbArgument = warehouse._folder.Combine("llmlog.duckdb");
            var to = DatabaseTarget.Parse(warehouse.DbArgument).Files;
            var from = source.Target.Files;
            for (var i = 0; i < from.Count; i++)
            {
                if (File.Exists(from[i])) File.Copy(from[i], to[i]);
            }
        }
        warehouse.Target = DatabaseTarget.Parse(warehouse.DbArgument);
        return warehouse;
    }

    /// <summary>Opens the warehouse to look at it (migrated, as llmlog would).</summary>
    public WarehouseConnection Open() => WarehouseConnection.Open(Target, TimeSpan.FromSeconds(30));

    public T Scalar<T>(string sql, object? args = null)
    {
        using var w = Open();
        return w.Connection.ExecuteScalar<T>(sql, args)!;
    }

    public List<T> Query<T>(string sql, object? args = null)
    {
        using var w = Open();
        return w.Connection.Query<T>(sql, args).ToList();
    }

    public List<dynamic> Rows(string sql)
    {
        using var w = Open();
        return w.Connection.Query(sql).ToList();
    }

    public void Dispose() => _folder.Dispose();
}

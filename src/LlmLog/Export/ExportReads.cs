using System.Data;
using System.Data.Common;
using Dapper;
using DuckDB.NET.Data;
using LlmLog.Warehouse;

namespace LlmLog.Export;

/// <summary>
/// The read-only sessions an export reads through, in one snapshot, and its plan's statements run in order.
/// On PostgreSQL a plan of many statements (calls: one per day) may get a second session, and each statement
/// is then sent while the one before it is still being read: the server joins and sorts the next day while
/// the client writes the current one, instead of the two taking turns.
/// </summary>
internal sealed class ExportReads : IDisposable
{
    private readonly DatabaseTarget _target;
    private readonly TimeSpan _lockTimeout;
    private readonly string? _sqlRoot;
    private readonly List<Session> _sessions = [];

    private ExportReads(DatabaseTarget target, TimeSpan lockTimeout, string? sqlRoot)
    {
        _target = target;
        _lockTimeout = lockTimeout;
        _sqlRoot = sqlRoot;
    }

    /// <summary>The first session, for the statements around the rows (span, manifest).</summary>
    public WarehouseConnection Warehouse => _sessions[0].Warehouse;

    public DbTransaction Transaction => _sessions[0].Transaction;

    /// <summary>Opens the first session; its snapshot is taken before this returns.</summary>
    public static ExportReads Open(DatabaseTarget target, TimeSpan lockTimeout, string? sqlRoot)
    {
        var reads = new ExportReads(target, lockTimeout, sqlRoot);
        try
        {
            reads.AddSession();
            return reads;
        }
        catch
        {
            reads.Dispose();
            throw;
        }
    }

    /// <summary>
    /// On PostgreSQL, a second session to run the next statement ahead on. The caller must hold the writer
    /// lock, as it does while the first session takes its snapshot, so that no llmlog writer can commit
    /// between the two and both see the same rows.
    /// </summary>
    public void AddReadAhead()
    {
        if (_target.Engine == Engine.Postgres && _sessions.Count == 1) AddSession();
    }

    /// <summary>The readers of <paramref name="queries"/>, in order; each is disposed when the next is asked for.</summary>
    public IEnumerable<DbDataReader> Run(IReadOnlyList<ExportQuery> queries)
    {
        var next = 0;
        var inFlight = new Queue<Statement>();
        try
        {
            // One statement per session in flight: the one being read, and the next, already running on the other.
            while (next < queries.Count && inFlight.Count < _sessions.Count)
            {
                inFlight.Enqueue(Start(queries[next], _sessions[next % _sessions.Count]));
                next++;
            }
            while (inFlight.TryDequeue(out var current))
            {
                using (current)
                {
                    yield return current.Reader();
                }
                if (next < queries.Count)
                {
                    inFlight.Enqueue(Start(queries[next], _sessions[next % _sessions.Count]));
                    next++;
                }
            }
        }
        finally
        {
            foreach (var statement in inFlight) statement.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Transaction.Dispose();
            session.Warehouse.Dispose();
        }
        _sessions.Clear();
    }

    private void AddSession()
    {
        var warehouse = WarehouseConnection.Open(_target, _lockTimeout, _sqlRoot, readOnly: true);
        DbTransaction tx;
        try
        {
            // One snapshot for the day-by-day reads and the manifest, so a concurrent ingest cannot tear the export.
            tx = warehouse.Connection.BeginTransaction(warehouse.Engine == Engine.Postgres ? IsolationLevel.RepeatableRead : IsolationLevel.Unspecified);
        }
        catch
        {
            warehouse.Dispose();
            throw;
        }
        _sessions.Add(new Session(warehouse, tx));
        // The first statement also fixes the session's snapshot.
        if (warehouse.Engine == Engine.Postgres) warehouse.Connection.Execute(warehouse.Sql.Get("export/tune_session"), transaction: tx);
    }

    // With a session to spare the statement is sent without waiting for its first row; alone, it runs as it always did.
    private Statement Start(ExportQuery query, Session session)
    {
        var command = Command(session, query);
        try
        {
            var reader = _sessions.Count > 1 ? command.ExecuteReaderAsync() : Task.FromResult(command.ExecuteReader());
            return new Statement(command, reader);
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    private static DbCommand Command(Session session, ExportQuery query)
    {
        var warehouse = session.Warehouse;
        var command = warehouse.Connection.CreateCommand();
        command.Transaction = session.Transaction;
        command.CommandText = warehouse.Sql.Get(query.SqlName);
        // A long export is still one query per day; there is no point at which it should give up.
        command.CommandTimeout = 0;
        // Without streaming mode DuckDB materialises the whole result before the first row.
        if (command is DuckDBCommand duck) duck.UseStreamingMode = true;
        foreach (var (name, value) in query.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private sealed record Session(WarehouseConnection Warehouse, DbTransaction Transaction);

    /// <summary>A statement sent to the server, whose reader may still be on its way.</summary>
    private sealed class Statement(DbCommand command, Task<DbDataReader> reader) : IDisposable
    {
        public DbDataReader Reader() => reader.GetAwaiter().GetResult();

        public void Dispose()
        {
            // A session takes one statement at a time: wait for this one's reader before closing it.
            try
            {
                reader.GetAwaiter().GetResult().Dispose();
            }
            catch (Exception) when (!reader.IsCompletedSuccessfully)
            {
                // It failed to start; whoever asked for its reader has seen or will see why.
            }
            command.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace LlmLog.Export;

/// <summary>
/// Carries filled <see cref="CsvRowBatch"/>es from the thread reading the database to one thread writing the
/// CSV, and empty ones back. The two overlap — the server works out the next day while the last one is still
/// being written — and memory holds a fixed number of batches however many rows pass. A failure on the
/// writing side stops the reading side with that same exception.
/// </summary>
internal sealed class CsvBatchPipe : IDisposable
{
    private readonly BlockingCollection<CsvRowBatch> _filled;
    private readonly BlockingCollection<CsvRowBatch> _empty;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<CsvRowBatch> _write;
    private readonly Thread _thread;
    private Exception? _failure;
    private bool _joined;

    /// <param name="batches">The batches in circulation: the most the writer can fall behind by, plus one being filled.</param>
    /// <param name="newBatch">Makes each of them.</param>
    /// <param name="write">Writes a batch; runs on the writing thread only.</param>
    public CsvBatchPipe(int batches, Func<CsvRowBatch> newBatch, Action<CsvRowBatch> write)
    {
        _filled = new BlockingCollection<CsvRowBatch>(new ConcurrentQueue<CsvRowBatch>(), batches);
        _empty = new BlockingCollection<CsvRowBatch>(new ConcurrentQueue<CsvRowBatch>(), batches);
        for (var i = 0; i < batches; i++) _empty.Add(newBatch());
        _write = write;
        _thread = new Thread(Run) { IsBackground = true, Name = "llmlog csv writer" };
        _thread.Start();
    }

    /// <summary>An empty batch to fill; waits while the writer is behind by every batch.</summary>
    public CsvRowBatch Take()
    {
        try
        {
            return _empty.Take(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            throw Failure();
        }
    }

    /// <summary>Queues a filled batch for writing.</summary>
    public void Send(CsvRowBatch batch)
    {
        try
        {
            _filled.Add(batch, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            throw Failure();
        }
    }

    /// <summary>Waits until every batch sent is written; throws what stopped the writer, if anything did.</summary>
    public void Complete()
    {
        _filled.CompleteAdding();
        Join();
        if (_failure is not null) throw Failure();
    }

    /// <summary>Stops the writer where it is (after a failure on the reading side) and waits for it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        Join();
        _filled.Dispose();
        _empty.Dispose();
        _stop.Dispose();
    }

    private void Join()
    {
        if (_joined) return;
        _thread.Join();
        _joined = true;
    }

    private void Run()
    {
        try
        {
            foreach (var batch in _filled.GetConsumingEnumerable(_stop.Token))
            {
                _write(batch);
                batch.Clear();
                _empty.Add(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by Dispose: the reading side failed and reports its own exception.
        }
        catch (Exception e)
        {
            _failure = e;
            _stop.Cancel();
        }
    }

    private Exception Failure()
    {
        Join();
        if (_failure is null) return new InvalidOperationException("the CSV writer was stopped");
        ExceptionDispatchInfo.Capture(_failure).Throw();
        return _failure;
    }
}

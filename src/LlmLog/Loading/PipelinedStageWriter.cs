using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using LlmLog.Validation;

namespace LlmLog.Loading;

/// <summary>
/// Runs the database side of a load on its own thread: the caller reads and validates the next
/// records while the previous batch is being appended or copied. Batches are recycled and the queue
/// is bounded, so memory stays flat however long the file.
/// </summary>
internal sealed class PipelinedStageWriter : IStageWriter
{
    private const int BatchSize = 1024;
    private const int BatchesInFlight = 4;

    private readonly IStageWriter _inner;
    private readonly Channel<Batch> _full = Channel.CreateBounded<Batch>(BatchesInFlight);
    private readonly Channel<Batch> _free = Channel.CreateUnbounded<Batch>();
    private readonly Task _consumer;
    private Batch _current;
    private bool _completed;

    public PipelinedStageWriter(IStageWriter inner)
    {
        _inner = inner;
        for (var i = 0; i < BatchesInFlight + 1; i++) _free.Writer.TryWrite(new Batch());
        _free.Reader.TryRead(out _current!);
        _consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void WriteCall(CallRow row, long runId, string sourceFile)
    {
        var b = _current;
        b.Calls[b.CallCount++].CopyFrom(row);
        b.RunId = runId;
        b.SourceFile = sourceFile;
        if (b.CallCount == BatchSize) Hand();
    }

    public void WriteReject(RejectRow reject)
    {
        _current.Rejects.Add(reject);
        if (_current.Rejects.Count == BatchSize) Hand();
    }

    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        Hand();
        // Closed already when the writer thread failed: Wait() then throws its error, which Complete() threw over with
        // "the channel has been closed" (found by review).
        _full.Writer.TryComplete();
        Wait();
        _inner.Complete();
    }

    public void Dispose()
    {
        if (!_completed)
        {
            // Abandoned mid-file (an error upstream): stop the consumer; the transaction rolls back.
            _full.Writer.TryComplete();
            try
            {
                _consumer.Wait();
            }
            catch (AggregateException)
            {
                // The first error was already reported by whoever abandoned the load.
            }
        }
        _inner.Dispose();
    }

    private void Hand()
    {
        if (_current.CallCount == 0 && _current.Rejects.Count == 0) return;
        while (!_full.Writer.TryWrite(_current))
        {
            if (_consumer.IsCompleted) Wait();
            _full.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
        }
        _current = _free.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Wait()
    {
        try
        {
            _consumer.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        if (!_completed) throw new InvalidOperationException("the database writer stopped early");
    }

    private void Consume()
    {
        try
        {
            while (_full.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (_full.Reader.TryRead(out var batch))
                {
                    for (var i = 0; i < batch.CallCount; i++) _inner.WriteCall(batch.Calls[i], batch.RunId, batch.SourceFile);
                    foreach (var reject in batch.Rejects) _inner.WriteReject(reject);
                    batch.CallCount = 0;
                    batch.Rejects.Clear();
                    _free.Writer.TryWrite(batch);
                }
            }
        }
        catch
        {
            // Unblock a producer waiting for a free batch, then let Wait() rethrow.
            _full.Writer.TryComplete();
            _free.Writer.TryWrite(new Batch());
            throw;
        }
    }

    private sealed class Batch
    {
        public readonly CallRow[] Calls = Enumerable.Range(0, BatchSize).Select(_ => new CallRow()).ToArray();
        public readonly List<RejectRow> Rejects = [];
        public int CallCount;
        public long RunId;
        public string SourceFile = "";
    }
}

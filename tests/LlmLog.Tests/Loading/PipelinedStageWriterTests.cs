using LlmLog.Loading;
using LlmLog.Validation;

namespace LlmLog.Tests.Loading;

public class PipelinedStageWriterTests
{
    /// <summary>A hand-written fake that records what reaches the database side, and can fail on cue.</summary>
    private sealed class CollectingStageWriter(int failAtCall = -1) : IStageWriter
    {
        public ManualResetEventSlim Failed { get; } = new();
        public List<long> Calls { get; } = [];
        public List<long> Rejects { get; } = [];
        public bool Completed { get; private set; }
        public bool Disposed { get; private set; }

        public void WriteCall(CallRow row, long runId, string sourceFile)
        {
            if (Calls.Count == failAtCall)
            {
                Failed.Set();
                throw new InvalidOperationException("database went away");
            }
            Calls.Add(row.RecordNumber);
        }

        public void WriteReject(RejectRow reject) => Rejects.Add(reject.RecordNumber);
        public void Complete() => Completed = true;
        public void Dispose() => Disposed = true;
    }

    private static RejectRow Reject(long n) => new("id" + n, 1, "f", n, null, null, null, "bad", "x", null, null);

    [Fact]
    public void EveryRowReachesTheDatabaseSideInOrderThoughRowObjectsAreReused()
    {
        var inner = new CollectingStageWriter();
        var row = new CallRow();
        using (var writer = new PipelinedStageWriter(inner))
        {
            for (var i = 1; i <= 10_000; i++)
            {
                row.RecordNumber = i;
                writer.WriteCall(row, 1, "f");
                if (i % 7 == 0) writer.WriteReject(Reject(i));
            }
            writer.Complete();
        }

        inner.Calls.Should().Equal(Enumerable.Range(1, 10_000).Select(i => (long)i));
        inner.Rejects.Should().HaveCount(10_000 / 7);
        inner.Completed.Should().BeTrue();
        inner.Disposed.Should().BeTrue();
    }

    [Fact]
    public void AFailureOnTheDatabaseSideSurfacesAsItselfInsteadOfHanging()
    {
        var inner = new CollectingStageWriter(failAtCall: 5_000);
        var row = new CallRow();
        var writer = new PipelinedStageWriter(inner);

        var act = () =>
        {
            for (var i = 1; i <= 100_000; i++)
            {
                row.RecordNumber = i;
                writer.WriteCall(row, 1, "f");
            }
            writer.Complete();
        };

        act.Should().Throw<InvalidOperationException>().WithMessage("database went away");
        writer.Dispose();
        inner.Completed.Should().BeFalse("a failed load must never be completed");
    }

    // Found by review: when the database side failed on a file that then ended on a batch's edge, completing it threw
    // "the channel has been closed" over the database's own error, an internal error instead of the database's message.
    [Fact]
    public void AFailureOnTheDatabaseSideSurfacesAsItselfWhenTheFileEndsOnABatchEdge()
    {
        var inner = new CollectingStageWriter(failAtCall: 0);
        var row = new CallRow();
        var writer = new PipelinedStageWriter(inner);
        for (var i = 1; i <= 1024; i++)
        {
            row.RecordNumber = i;
            writer.WriteCall(row, 1, "f");
        }
        inner.Failed.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        Thread.Sleep(200); // the writer thread closes its queue as the failure leaves it

        writer.Invoking(w => w.Complete()).Should().Throw<InvalidOperationException>().WithMessage("database went away");
        writer.Dispose();
    }
}

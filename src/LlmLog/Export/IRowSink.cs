namespace LlmLog.Export;

/// <summary>One data file being written, a row at a time, so nothing but a bounded buffer is ever held in memory.</summary>
public interface IRowSink : IDisposable
{
    /// <summary>Flushes what is buffered and closes the format (Parquet footer); the file is complete after this.</summary>
    void Complete();
}

using System.Data.Common;

namespace LlmLog.Export;

/// <summary>Where exported rows go, one at a time, so nothing but a bounded buffer is ever held in memory.</summary>
public interface IRowSink : IDisposable
{
    /// <summary>Writes the current row of <paramref name="row"/>.</summary>
    void Write(DbDataReader row);

    /// <summary>Flushes what is buffered and closes the format (Parquet footer); the file is complete after this.</summary>
    void Complete();
}

using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using LlmLog.Export;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Export;

/// <summary>
/// CSV rows are spelled out on the reading thread and written on a thread of their own, in batches: every row
/// must still arrive whole and in order, a failure on either side must end the export, and the hash taken on
/// the way must be the file's.
/// </summary>
public sealed class CsvWriterThreadTests
{
    private static readonly ExportColumn[] Columns =
    [
        new("n", ColumnType.BigInt, false, ""),
        new("text", ColumnType.Text, true, ""),
    ];

    // Short rows fill batches by count, the 3 MB value overflows a batch's text budget on its own, NULLs and
    // empty strings alternate, and the same value repeats for runs of rows.
    private const string ManyRows = """
        SELECT i,
               CASE WHEN i = 7777 THEN repeat('y', 3000000)
                    WHEN i % 5 = 0 THEN NULL
                    WHEN i % 5 = 1 THEN ''
                    WHEN i % 5 = 2 THEN 'same, every time'
                    ELSE repeat('x', CAST(i % 40 AS INTEGER)) END
        FROM range(50000) AS t(i) ORDER BY i
        """;

    [Fact]
    public void RowsSpanningManyBatchesArriveWholeAndInOrder()
    {
        using var stream = new MemoryStream();
        Write(ManyRows, stream);

        var expected = new StringBuilder("n,text\n");
        for (var i = 0; i < 50000; i++)
        {
            var text = i == 7777 ? new string('y', 3000000)
                : (i % 5) switch { 0 => "", 1 => "\"\"", 2 => "\"same, every time\"", _ => new string('x', i % 40) };
            expected.Append(i).Append(',').Append(text).Append('\n');
        }
        Encoding.UTF8.GetString(stream.ToArray()).Should().Be(expected.ToString());
    }

    [Fact]
    public void AFailingWriteEndsTheExportWithThatError()
    {
        using var stream = new FailingStream(failAfterBytes: 100_000);

        var write = () => Write(ManyRows, stream);

        write.Should().Throw<IOException>().WithMessage("disk full");
    }

    [Fact]
    public void AFailingReadStopsTheWriterAndLeavesNoFile()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("calls.csv");
        var slots = Columns.Select((c, i) => new ExportColumnSlot(c, i)).ToList();

        var export = () =>
        {
            using var output = ExportOutput.ToFile(ExportFormat.Csv, slots, new CsvCells(TimeZoneInfo.Utc, false), path);
            output.Start();
            ReadInto(ManyRows, output, failAtRow: 20000);
            output.Complete();
        };

        export.Should().Throw<InvalidOperationException>().WithMessage("the database went away");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty("neither the file nor its staged copy may be left behind");
    }

    [Fact]
    public void TheHashTakenWhileWritingIsTheHashOfTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("calls.csv");
        var slots = Columns.Select((c, i) => new ExportColumnSlot(c, i)).ToList();

        IReadOnlyList<WrittenFile> files;
        using (var output = ExportOutput.ToFile(ExportFormat.Csv, slots, new CsvCells(TimeZoneInfo.Utc, false), path))
        {
            output.Start();
            ReadInto(ManyRows, output);
            files = output.Complete();
            output.Publish();
        }

        files.Should().ContainSingle().Which.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    private static void Write(string query, Stream stream)
    {
        var slots = Columns.Select((c, i) => new ExportColumnSlot(c, i)).ToList();
        using var output = ExportOutput.ToStream(slots, new CsvCells(TimeZoneInfo.Utc, false), stream);
        output.Start();
        ReadInto(query, output);
        output.Complete();
    }

    private static void ReadInto(string query, ExportOutput output, int failAtRow = -1)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        using var reader = command.ExecuteReader();
        var row = 0;
        while (reader.Read())
        {
            if (row++ == failAtRow) throw new InvalidOperationException("the database went away");
            output.Write(reader, null);
        }
    }

    /// <summary>A stream that accepts some bytes and then fails as a full disk would.</summary>
    private sealed class FailingStream(long failAfterBytes) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > failAfterBytes) throw new IOException("disk full");
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
    }
}

using System.Text;
using DuckDB.NET.Data;
using LlmLog.Export;

namespace LlmLog.Tests.Export;

/// <summary>The CSV spelling of every type, NULL against empty string, quoting, line ends and encoding.</summary>
public sealed class CsvConventionTests
{
    private static readonly ExportColumn[] Columns =
    [
        new("null_text", ColumnType.Text, true, ""),
        new("empty_text", ColumnType.Text, true, ""),
        new("comma", ColumnType.Text, true, ""),
        new("quote", ColumnType.Text, true, ""),
        new("newline", ColumnType.Text, true, ""),
        new("unicode", ColumnType.Text, true, ""),
        new("padded", ColumnType.Text, true, ""),
        new("formula", ColumnType.Text, true, ""),
        new("big", ColumnType.BigInt, true, ""),
        new("tenth", ColumnType.Double, true, ""),
        new("tiny", ColumnType.Double, true, ""),
        new("negative", ColumnType.Double, true, ""),
        new("yes", ColumnType.Boolean, true, ""),
        new("no", ColumnType.Boolean, true, ""),
        new("day", ColumnType.Date, true, ""),
        new("at", ColumnType.Timestamp, true, ""),
        new("null_at", ColumnType.Timestamp, true, ""),
    ];

    private const string Query = """
        SELECT CAST(NULL AS VARCHAR), '', 'a,b', 'say "hi"', 'x' || chr(10) || 'y', 'ü😀', ' pad ', '=1+1',
               CAST(9007199254740993 AS BIGINT), CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE), CAST(1e-7 AS DOUBLE), CAST(-2.5 AS DOUBLE),
               true, false, DATE '2024-12-02', TIMESTAMP '2024-12-02 10:00:00.123456', CAST(NULL AS TIMESTAMP)
        """;

    [Fact]
    public void EveryTypeIsWrittenInItsInvariantSpellingWithQuotesOnlyWhereNeeded()
    {
        var bytes = Write(new CsvCells(TimeZoneInfo.Utc, spreadsheetSafe: false));

        bytes.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "UTF-8 without a byte-order mark");
        var text = Encoding.UTF8.GetString(bytes);
        text.Should().Be(
            string.Join(',', Columns.Select(c => c.Name)) + "\n"
            + ",\"\",\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",ü😀,\" pad \",=1+1,9007199254740993,0.30000000000000004,1E-07,-2.5,true,false,2024-12-02,2024-12-02T10:00:00.123456Z,\n");
    }

    [Fact]
    public void TimestampsInAnotherZoneCarryThatZonesOffset()
    {
        var text = Encoding.UTF8.GetString(Write(new CsvCells(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"), spreadsheetSafe: false)));

        text.Should().Contain(",2024-12-02T19:00:00.123456+09:00,");
    }

    [Fact]
    public void UtcTimestampsAreSpelledToTheMicrosecondWithZForAnyInstant()
    {
        var cells = new CsvCells(TimeZoneInfo.Utc, spreadsheetSafe: false);
        var random = new Random(20241202);
        var instants = new List<DateTime> { DateTime.MinValue, DateTime.MaxValue, new(2024, 12, 2, 10, 0, 0, 123, 456), new DateTime(2024, 2, 29).AddTicks(9) };
        for (var i = 0; i < 10_000; i++) instants.Add(new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Unspecified));

        foreach (var instant in instants)
        {
            cells.Timestamp(instant).Should().Be(instant.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void SpreadsheetSafeNeutralisesFormulaTextButLeavesNumbersAlone()
    {
        var text = Encoding.UTF8.GetString(Write(new CsvCells(TimeZoneInfo.Utc, spreadsheetSafe: true)));

        text.Should().Contain(",'=1+1,").And.Contain(",-2.5,", "a negative number is a number, not a formula");
    }

    [Fact]
    public void NumbersStayInvariantUnderACommaDecimalCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Encoding.UTF8.GetString(Write(new CsvCells(TimeZoneInfo.Utc, false))).Should().Contain(",0.30000000000000004,1E-07,-2.5,");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    private static byte[] Write(CsvCells cells)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Query;
        using var reader = command.ExecuteReader();
        using var stream = new MemoryStream();
        var slots = Columns.Select((c, i) => new ExportColumnSlot(c, i)).ToList();
        using (var output = ExportOutput.ToStream(slots, cells, stream))
        {
            output.Start();
            while (reader.Read()) output.Write(reader, null);
            output.Complete();
        }
        return stream.ToArray();
    }
}

using System.Text;
using LlmLog.Tests.Support;
using LlmLog.Transform;

namespace LlmLog.Tests.Transform;

/// <summary>Price tables are validated with errors that name the file, the line and the field.</summary>
public sealed class PriceFileTests
{
    private const string Header = "model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source";

    // Bug: 'transform --prices /etc/shadow' said .NET's "Access to the path '/etc/shadow' is denied.", where ingest says
    // "permission denied; llmlog needs read access" of a log it may not read (found by a newcomer probing as a non-root
    // user). Root reads any file, so as root llmlog runs as nobody.
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task APriceTableThisUserMayNotReadSaysPermissionDeniedAsAnUnreadableLogDoes()
    {
        using var folder = new TempFolder();
        File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_111_111);
        var prices = folder.File("prices.csv", Header + "\ngpt-4o,exact,1,,10,2024-01-01,,x\n");
        File.SetUnixFileMode(prices, UnixFileMode.None);
        var options = new LlmLogProcess.Options(User: Environment.IsPrivilegedProcess ? "nobody" : null);

        var run = await LlmLogProcess.RunAsync(folder.Path, options, "transform", "--prices", prices, "--db", folder.Combine("w.duckdb"));

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stderr.Should().Contain($"price table {prices} cannot be read: permission denied; llmlog needs read access to the file").And.NotContain("Access to the path");
        File.Exists(folder.Combine("w.duckdb")).Should().BeFalse("the table is read before the warehouse is opened");
    }

    [Fact]
    public void AFreeModelAndTheLowestPriceAboveZeroAreRead()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", Header + "\nfree,exact,0,0,0,2024-01-01,,x\ncheap,exact,0.000001,,0.000001,2024-01-01,,x\n");

        PriceFile.Read(path).Rows.Select(p => (p.InputPer1MUsd, p.OutputPer1MUsd)).Should().Equal((0d, 0d), (0.000001, 0.000001));
    }

    [Theory]
    [InlineData("gpt-4o,exact,abc,,10,2024-01-01,,x", "line 2, input_per_1m_usd: is 'abc'")]
    [InlineData("gpt-4o,exact,-1,,10,2024-01-01,,x", "line 2, input_per_1m_usd: is '-1'")]
    [InlineData("gpt-4o,fuzzy,1,,10,2024-01-01,,x", "line 2, match_type: is 'fuzzy'; expected exact or prefix")]
    [InlineData(",exact,1,,10,2024-01-01,,x", "line 2, model_match: is empty")]
    [InlineData("gpt-4o,exact,1,,10,01/02/2024,,x", "line 2, valid_from: is '01/02/2024'; expected a date YYYY-MM-DD")]
    [InlineData("gpt-4o,exact,1,,10,2024-02-01,2024-01-01,x", "line 2, valid_to: (2024-01-01) is before valid_from (2024-02-01)")]
    [InlineData("gpt-4o,exact,1,,10", "line 2: has 5 fields")]
    [InlineData("gpt-4o,exact,1\"2,,10,2024-01-01,,x", "line 2: has a double quote inside a field that is not enclosed in quotes (1\"2)")]
    [InlineData("\"gpt-4o,exact,1,,10,2024-01-01,,x", "line 2: opens a double quote that is never closed (\"gpt-4o,exact,1,,10,2024-01-01,,x)")]
    // Accepted before: costs and their sums became Infinity (found by probing costs).
    [InlineData("acme,prefix,1e300,,1,2024-01-01,,x", "line 2, input_per_1m_usd: is '1e300'")]
    [InlineData("acme,prefix,1000000000,,1,2024-01-01,,x", "line 2, input_per_1m_usd: is 1000000000, above the 100,000 USD per 1M tokens")]
    [InlineData("acme,prefix,1,,200000,2024-01-01,,x", "line 2, output_per_1m_usd: is 200000, above the 100,000")]
    // Accepted before: PostgreSQL's cost division failed with "value out of range: underflow" where DuckDB gave 0, and
    // every ingest, summary and transform of the warehouse stopped with exit 4 for good (found by probing both engines).
    [InlineData("tiny,prefix,0.0000000000000000000000000000001,,1,2024-01-01,,x", "line 2, input_per_1m_usd: is 0.0000000000000000000000000000001, above 0 but below the 0.000001 USD per 1M tokens llmlog accepts; write 0 for a free model")]
    [InlineData("tiny,prefix,1,0.0000009,1,2024-01-01,,x", "line 2, cached_input_per_1m_usd: is 0.0000009, above 0 but below")]
    // The row starts on line 2; its quoted source runs onto line 3. The error named line 3.
    [InlineData("x,exact,abc,,1,2024-01-01,,\"multi\nline source\"", "line 2, input_per_1m_usd: is 'abc'")]
    // Accepted before, and PostgreSQL then refused the whole table ("invalid byte sequence for encoding UTF8: 0x00"), exit 4
    // (found by probing price tables).
    [InlineData("gpt-4o,exact,1,,10,2024-01-01,,list\0price", "line 2, source: contains a NUL character")]
    [InlineData("gpt\0-4o,exact,1,,10,2024-01-01,,x", "line 2, model_match: contains a NUL character")]
    public void ABadRowNamesTheFileLineAndField(string row, string expected)
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", Header + "\n" + row + "\n");

        var read = () => PriceFile.Read(path);

        read.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.InputError).WithMessage($"price table {path}, {expected}*");
    }

    // Bug: the two dates were written in the current culture's calendar (1402-10-11 under a Persian culture).
    [Fact]
    public void ReversedValidDaysAreNamedAsWrittenUnderAPersianCulture()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", Header + "\ngpt-4o,exact,1,,10,2024-02-01,2024-01-01,x\n");
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("fa-IR");

            var read = () => PriceFile.Read(path);

            read.Should().Throw<LlmLogException>().WithMessage($"price table {path}, line 2, valid_to: (2024-01-01) is before valid_from (2024-02-01)*");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    // A byte that is not UTF-8 (a Latin-1 'é') was read as U+FFFD and put in force without a word.
    [Fact]
    public void ATableThatIsNotUtf8IsRejectedNamingTheLine()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", [.. Encoding.UTF8.GetBytes(Header + "\ngpt-4o,exact,1,,10,2024-01-01,,list\ngpt-4o,prefix,1,,2,2020-01-01,,caf"), 0xE9, (byte)'\n']);

        var read = () => PriceFile.Read(path);

        read.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.InputError)
            .WithMessage($"price table {path}, line 3: is not valid UTF-8 (byte 0xE9 at byte 35 of the line)*");
    }

    // Bug: spaces were trimmed outside quotes only, so a quoted "gpt-4o-2024-11-20 " matched no call and left them
    // unpriced, and a quoted "1 " was refused where an unquoted 1 with spaces was read (found by probing prices).
    [Fact]
    public void QuotedFieldsAreTrimmedAsUnquotedOnesAre()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", Header + "\n\"gpt-4o-2024-11-20 \",\" exact\",\"1 \",,\" 2\",\"2020-01-01 \",, x \n");

        var (rows, _) = PriceFile.Read(path);

        rows.Should().ContainSingle().Which.Should().BeEquivalentTo(new { ModelMatch = "gpt-4o-2024-11-20", MatchType = "exact", InputPer1MUsd = 1.0, OutputPer1MUsd = 2.0, Source = "x" });
    }

    // Bug: UTF-16 without a byte order mark was read as UTF-8 and refused for the header 'm\u0000o\u0000d\u0000...'
    // (found by probing prices); with a mark it was read. Both are read as a log is, and give the UTF-8 table's rows.
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void AUtf16TableIsReadWithOrWithoutAByteOrderMark(bool bigEndian, bool byteOrderMark)
    {
        using var folder = TransformFixtures.Folder();
        var text = Header + "\ngpt-4o,exact,2.5,1.25,10,2024-01-01,,caf\u00e9 list\n";
        var utf8 = folder.File("prices.csv", text);
        var utf16 = folder.File("prices16.csv", [.. new UnicodeEncoding(bigEndian, byteOrderMark).GetPreamble(), .. new UnicodeEncoding(bigEndian, false).GetBytes(text)]);

        PriceFile.Read(utf16).Rows.Should().BeEquivalentTo(PriceFile.Read(utf8).Rows);
    }

    [Fact]
    public void AUtf16TableWithBytesThatAreNotUtf16SaysToSaveItAsUtf8()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", [.. new UnicodeEncoding(false, false).GetBytes(Header + "\ngpt-4o,exact,1,,2,2024-01-01,,"), 0xFF, 0xDC, (byte)'\n', 0]);

        var read = () => PriceFile.Read(path);

        read.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.InputError)
            .WithMessage($"price table {path} starts as utf-16 text but holds bytes that are not utf-16; save the table as UTF-8");
    }

    // A last line of spaces rejected the whole table as "line 3: has 1 fields", where an empty one was skipped.
    [Fact]
    public void ALineOfOnlyWhiteSpaceIsSkippedAsAnEmptyOneIs()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", Header + "\ngpt-4o,exact,1,,10,2024-01-01,,a\n   \n\t\ngpt-4o-mini,exact,1,,2,2024-01-01,,b\n  \n");

        var (rows, _) = PriceFile.Read(path);

        rows.Select(r => (r.ModelMatch, r.LineNumber)).Should().Equal(("gpt-4o", 2L), ("gpt-4o-mini", 5L));
    }

    [Fact]
    public void AWrongHeaderIsRejectedWithTheExpectedOne()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", "model,input,output\ngpt-4o,1,2\n");

        var read = () => PriceFile.Read(path);

        read.Should().Throw<LlmLogException>().WithMessage($"*line 1*expected exactly {Header}*");
    }

    [Fact]
    public void AHeaderWithoutPricesOrAFolderIsAnInputErrorNotATableInForce()
    {
        // A header-only file was put in force and left every later call unpriced without a word; a folder
        // was "Access to the path is denied".
        using var folder = TransformFixtures.Folder();
        var empty = folder.File("prices.csv", Header + "\n");

        var readEmpty = () => PriceFile.Read(empty);
        var readFolder = () => PriceFile.Read(folder.Path);

        readEmpty.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.InputError).WithMessage("*has a header but no prices*");
        readFolder.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.InputError).WithMessage("*is a folder*");
    }

    [Fact]
    public void TheSameModelMatchAndStartTwiceIsAmbiguous()
    {
        using var folder = TransformFixtures.Folder();
        var path = folder.File("prices.csv", Header + "\ngpt-4o,prefix,1,,2,2024-01-01,,a\ngpt-4o,prefix,3,,4,2024-01-01,,b\n");

        var read = () => PriceFile.Read(path);

        read.Should().Throw<LlmLogException>().WithMessage("*line 3, valid_from: repeats line 2*");
    }

    [Fact]
    public void TheShippedPriceTableIsValidAndCoversTheModelsTheIssueNames()
    {
        var (rows, sha) = PriceFile.Read(PriceTables.DefaultPath);

        sha.Should().HaveLength(64);
        rows.Select(r => r.ModelMatch).Should().Contain(["gpt-4o-2024-11-20", "gpt-4o-2024-08-06", "gpt-4o-2024-05-13", "gpt-4o-mini", "o1", "o3-mini", "claude-3-5-sonnet", "claude-3-5-haiku"]);
        rows.Should().OnlyContain(r => !string.IsNullOrEmpty(r.Source), "every shipped price says where it comes from");
    }
}

using LlmLog.Reading;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Reading;

public class InputFilesTests
{
    [Fact]
    public void ADirectoryContributesItsLogFilesInNameOrderAndIgnoresOthers()
    {
        using var dir = new TempFolder();
        dir.File("b.jsonl", "");
        dir.File("a.json", "");
        dir.File("c.json.gz", [0x1f, 0x8b]);
        dir.File("sub/d.ndjson", "");
        dir.File("notes.txt", "");
        dir.File("README.md", "");

        var inputs = InputFiles.Expand([dir.Path]);

        inputs.Select(i => Path.GetRelativePath(dir.Path, i.Path)).Should().Equal("a.json", "b.jsonl", "c.json.gz", "sub/d.ndjson");
    }

    // Bug: a folder's walk passed over logs rotated without compression (logrotate's default), so the lines written
    // between a scheduled run and the rotation were never loaded, and every run exited 0 (found by probing with logrotate).
    [Fact]
    public void ADirectoryContributesLogsRotatedWithoutCompressionButNotBackupsOrTemporaryFiles()
    {
        using var dir = new TempFolder();
        foreach (var name in (string[])["app.jsonl", "app.jsonl.1", "app.jsonl.12", "app.jsonl-20261207", "app.jsonl.2026-12-07_13",
                     "app.1.jsonl", "api.NDJSON.3", "app.jsonl.bak", "app.jsonl.tmp", "app.jsonl.1.swp", "app.jsonl.", "app.json2", "notes.txt.1"])
        {
            dir.File(name, "");
        }

        var inputs = InputFiles.Expand([dir.Path]);

        inputs.Select(i => Path.GetFileName(i.Path)).Should().BeEquivalentTo(
            "app.jsonl", "app.jsonl.1", "app.jsonl.12", "app.jsonl-20261207", "app.jsonl.2026-12-07_13", "app.1.jsonl", "api.NDJSON.3");
    }

    [Fact]
    public void APathThatDoesNotExistIsAnInputErrorNamingIt()
    {
        var act = () => InputFiles.Expand(["/no/such/file.json"]);

        act.Should().Throw<LlmLogException>()
            .Where(e => e.Code == ExitCode.InputError)
            .WithMessage("/no/such/file.json: no such file or directory");
    }

    [Fact]
    public void TheSameFileNamedTwiceIsReadOnce()
    {
        using var dir = new TempFolder();
        var file = dir.File("a.json", "");

        InputFiles.Expand([file, dir.Path, file]).Should().ContainSingle();
    }

    [Fact]
    public void ALinkBackUpTheTreeListsEachFileOnce()
    {
        // It listed a.jsonl 41 times, once per sub/up/ until the kernel's 40-link limit stopped the walk.
        using var dir = new TempFolder();
        dir.File("a.jsonl", "");
        dir.File("sub/b.json", "");
        Directory.CreateSymbolicLink(dir.Combine("sub/up"), "..");

        var inputs = InputFiles.Expand([dir.Path]);

        inputs.Select(i => Path.GetRelativePath(dir.Path, i.Path)).Should().Equal("a.jsonl", "sub/b.json");
    }

    [Fact]
    public void TwoNamesForOneFolderOrOneFileListItsFilesOnceUnderTheFirstName()
    {
        using var dir = new TempFolder();
        dir.File("in/real/a.jsonl", "");
        Directory.CreateSymbolicLink(dir.Combine("in/zlink"), dir.Combine("in/real"));
        File.CreateSymbolicLink(dir.Combine("in/latest.jsonl"), dir.Combine("in/real/a.jsonl"));

        var inputs = InputFiles.Expand([dir.Combine("in"), dir.Combine("in/zlink/a.jsonl")]);

        inputs.Select(i => Path.GetRelativePath(dir.Path, i.Path)).Should().Equal("in/latest.jsonl");
    }

    [Fact]
    public void ALinkToAFolderOutsideTheTreeIsFollowed()
    {
        using var dir = new TempFolder();
        dir.File("in/a.jsonl", "");
        dir.File("shared/b.jsonl", "");
        Directory.CreateSymbolicLink(dir.Combine("in/shared"), dir.Combine("shared"));

        var inputs = InputFiles.Expand([dir.Combine("in")]);

        inputs.Select(i => Path.GetRelativePath(dir.Path, i.Path)).Should().Equal("in/a.jsonl", "in/shared/b.jsonl");
    }

    [Fact]
    public void ADashMeansStandardInput()
    {
        InputFiles.Expand(["-"]).Should().ContainSingle().Which.IsStandardInput.Should().BeTrue();
    }

    [Fact]
    public void StandardInputNamedTwiceIsAUsageErrorNotAnEmptySecondInput()
    {
        var act = () => InputFiles.Expand(["-", "-"]);

        act.Should().Throw<LlmLogException>()
            .Where(e => e.Code == ExitCode.Usage && e.Message.Contains("more than once"));
    }

    [Theory]
    [InlineData("-", "/dev/stdin")]
    [InlineData("/dev/stdin", "-")]
    [InlineData("-", "/dev/fd/0")]
    [InlineData("-", "/proc/self/fd/0")]
    public void StandardInputByDashAndByItsFileNameIsAUsageErrorNotTwoReadsOfOneStream(string first, string second)
    {
        var act = () => InputFiles.Expand([first, second]);

        act.Should().Throw<LlmLogException>()
            .Where(e => e.Code == ExitCode.Usage && e.Message.Contains("standard input") && e.Message.Contains("name it once"));
    }

}

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
}

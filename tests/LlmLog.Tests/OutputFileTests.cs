using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Export;
using LlmLog.Warehouse;

namespace LlmLog.Tests;

/// <summary>An output path that is a symbolic link: the file behind it is rewritten and the link is kept.</summary>
[Collection(ReportCollection.Name)]
public sealed class OutputFileTests
{
    [Fact]
    public void AReportWrittenThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink()
    {
        using var sample = ReportSample.Create(days: 2);
        var target = Path.Combine(sample.Folder, "site", "dashboard.html");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, "old");
        var link = Path.Combine(sample.Folder, "dashboard.html");
        File.CreateSymbolicLink(link, target);

        ReportRun.Cli("report", "--db", sample.Database, "--out", link).Should().Be(0);

        new FileInfo(link).LinkTarget.Should().Be(target);
        File.ReadAllText(target).Should().StartWith("<!DOCTYPE html>");
        Directory.EnumerateFiles(sample.Folder, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task AnExportWrittenThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var target = w.Files.Combine("real-calls.csv");
        File.WriteAllText(target, "old");
        var link = w.Files.Combine("calls.csv");
        File.CreateSymbolicLink(link, target);

        var result = ExportFixtures.Export(w, "calls", link);

        new FileInfo(link).LinkTarget.Should().Be(target);
        File.ReadAllText(target).Should().StartWith("record_id,created_at,").And.Contain("acme, \"\"the\"\" model");
        result.DataFiles.Should().ContainSingle().Which.Path.Should().Be(link);
    }

    [Fact]
    public void APathThatIsNoLinkIsWrittenAsItIs()
    {
        OutputFile.Resolve("/no/such/folder/out.html").Should().Be("/no/such/folder/out.html");
    }
}

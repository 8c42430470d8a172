using LlmLog.Export;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary><c>--spreadsheet-safe</c>: text that a spreadsheet would run as a formula is neutralised; nothing else changes.</summary>
public sealed class SpreadsheetSafeTests
{
    [Fact]
    public async Task FormulaLikeTextGetsAnApostropheOnlyWhenAsked()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var plain = File.ReadAllText(Export(w, "plain.csv", safe: false));
        var safe = File.ReadAllText(Export(w, "safe.csv", safe: true));

        plain.Should().Contain(",=cmd|' /C calc'!A0,").And.Contain(",+plus,").And.Contain(",-minus,").And.Contain(",@at,");
        safe.Should().Contain(",'=cmd|' /C calc'!A0,").And.Contain(",'+plus,").And.Contain(",'-minus,").And.Contain(",'@at,");
        safe.Should().NotContain(",=cmd").And.NotContain(",+plus").And.NotContain(",-minus").And.NotContain(",@at");
        safe.Replace("'=cmd", "=cmd", StringComparison.Ordinal).Replace("'+plus", "+plus", StringComparison.Ordinal)
            .Replace("'-minus", "-minus", StringComparison.Ordinal).Replace("'@at", "@at", StringComparison.Ordinal)
            .Should().Be(plain, "only the formula-like text cells change");
        File.ReadAllText(Path.ChangeExtension(Export(w, "safe2.csv", safe: true), ".manifest.json")).Should().Contain("\"spreadsheet_safe\": true");
    }

    [Fact]
    public async Task SpreadsheetSafeIsRefusedForParquet()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var act = () => ExportFixtures.Export(w, "calls", w.Files.Combine("x.parquet"), ExportFormat.Parquet, spreadsheetSafe: true);

        act.Should().Throw<LlmLogException>().Which.Code.Should().Be(ExitCode.Usage);
    }

    private static string Export(Support.TestWarehouse w, string name, bool safe)
    {
        var path = w.Files.Combine(name);
        ExportFixtures.Export(w, "calls", path, spreadsheetSafe: safe);
        return path;
    }
}

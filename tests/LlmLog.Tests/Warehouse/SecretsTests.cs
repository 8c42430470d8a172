using LlmLog.Warehouse;

namespace LlmLog.Tests.Warehouse;

/// <summary>What <see cref="Secrets.Mask"/> hides, and what it leaves readable.</summary>
public class SecretsTests
{
    // A target is shown masked wherever it is displayed; a mistyped one must be as safe as a well-formed one.
    [Theory]
    [InlineData("postgresql://etl:hunter2@db.example:5432/wh", "postgresql://etl:***@db.example:5432/wh")]
    [InlineData("postgresql:/etl:hunter2@db.example:5432/wh", "postgresql:/etl:***@db.example:5432/wh")]
    [InlineData("postgres:etl:hunter2@db/wh", "postgres:etl:***@db/wh")]
    [InlineData("postgres:hunter2@127.0.0.1", "postgres:***@127.0.0.1")]
    [InlineData("cannot open duckdb:/srv/etl:hunter2@db/wh: no such folder", "cannot open duckdb:/srv/etl:***@db/wh: no such folder")]
    [InlineData("postgresql://etl:a@hunter2@127.0.0.1:5502/wh2", "postgresql://etl:***@127.0.0.1:5502/wh2")]
    [InlineData("postgresql://etl:hun/ter2@db/wh", "postgresql://etl:***@db/wh")]
    [InlineData("host=db password='hunter2;= x' user=etl", "host=db password=*** user=etl")]
    [InlineData("Host=db;Password=hunter2;Username=etl", "Host=db;Password=***;Username=etl")]
    [InlineData("postgresql:///wh?password=hunter2&user=etl", "postgresql:///wh?password=***")]
    public void APasswordIsMaskedInEveryShapeATargetTakes(string text, string masked)
    {
        Secrets.Mask(text).Should().Be(masked);
    }

    [Theory]
    [InlineData("postgresql://etl@db.example:5432/wh")]
    [InlineData("postgresql://postgres@%2Ftmp%2Fsock:5502/wh")]
    [InlineData("duckdb:/data/2024:01/wh.duckdb")]
    [InlineData("at 12:00:00 mail team@example")]
    public void TextWithoutAPasswordIsLeftAsItIs(string text)
    {
        Secrets.Mask(text).Should().Be(text);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmLog.Generation;
using static LlmLog.Tests.Generation.GeneratedRecords;

namespace LlmLog.Tests.Generation;

public class CallLogGeneratorTests
{
    private static readonly CallLogGeneratorOptions Clean = new() { Count = 5_000, Seed = 7 };

    [Theory]
    [InlineData(CallLogFormat.Export)]
    [InlineData(CallLogFormat.JsonLines)]
    public void TheSameSeedWritesIdenticalBytes(CallLogFormat format)
    {
        var options = Clean with { BadRate = 0.1, Format = format };

        Bytes(options).Should().Equal(Bytes(options));
    }

    [Fact]
    public void ADifferentSeedWritesDifferentRecords()
    {
        Bytes(Clean with { Seed = 8 }).Should().NotEqual(Bytes(Clean));
    }

    // .NET's seeded Random takes the seed's absolute value: -7 wrote seed 7's records, and int.MinValue and
    // int.MaxValue those of 0. Every seed from 0 to int.MaxValue - 1 keeps the records it always wrote.
    [Theory]
    [InlineData(-7)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void ASeedThatWouldRepeatAnotherSeedsRecordsIsRefused(int seed)
    {
        var create = () => new CallLogGenerator(Clean with { Seed = seed });

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Seed must be between 0 and 2147483646*");
    }

    [Fact]
    public void TheLowestAndHighestSeedsWriteDifferentRecords()
    {
        Bytes(Clean with { Count = 50, Seed = 0 }).Should().NotEqual(Bytes(Clean with { Count = 50, Seed = int.MaxValue - 1 }));
    }

    [Fact]
    public void AnExportIsOneObjectWithDataThenSchemaThenDialect()
    {
        using var export = JsonDocument.Parse(Bytes(Clean));

        export.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("data", "schema", "dialect");
        export.RootElement.GetProperty("data").GetArrayLength().Should().Be(5_000);
        export.RootElement.GetProperty("schema").GetProperty("type").GetString().Should().Be("array");
        export.RootElement.GetProperty("dialect").GetString().Should().Be("clickhouse");
    }

    [Fact]
    public void AnExportPutsOneRecordOnEachLine()
    {
        var lines = Encoding.UTF8.GetString(Bytes(Clean with { Count = 3 })).Split('\n');

        lines.Should().HaveCount(6);
        lines[0].Should().Be("{\"data\":[");
        lines[1].Should().StartWith("{\"created\":").And.EndWith("},");
        lines[3].Should().EndWith("}}");
        lines[4].Should().StartWith("],\"schema\":{").And.EndWith(",\"dialect\":\"clickhouse\"}");
        lines[5].Should().BeEmpty();
    }

    [Fact]
    public void AnExportWithNoRecordsIsStillValidJson()
    {
        using var export = JsonDocument.Parse(Bytes(Clean with { Count = 0 }));

        export.RootElement.GetProperty("data").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public void JsonLinesWritesOneRecordPerLine()
    {
        var text = Encoding.UTF8.GetString(Bytes(Clean with { Format = CallLogFormat.JsonLines, BadRate = 0.2 }));

        text.Should().EndWith("}\n");
        var lines = text.TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(5_000);
        foreach (var line in lines)
            JsonDocument.Parse(line).Dispose();
    }

    [Fact]
    public void RecordsAreNewestFirstAndInsideTheWindow()
    {
        var records = Generate(Clean with { Days = 30, End = new DateOnly(2025, 1, 15) });

        var created = records.Select(Created).ToList();
        created.Should().BeInDescendingOrder();
        created[0].Should().BeBefore(new DateTime(2025, 1, 16, 0, 0, 0, DateTimeKind.Utc));
        created[^1].Should().BeOnOrAfter(new DateTime(2024, 12, 17, 0, 0, 0, DateTimeKind.Utc));
        records.Select(r => r.GetProperty("metrics").GetProperty("start").GetDouble()).Should().BeInDescendingOrder();
    }

    [Fact]
    public void CreatedAgreesWithStartToTheSecond()
    {
        foreach (var record in Generate(Clean))
        {
            var start = record.GetProperty("metrics").GetProperty("start").GetDouble();
            var startSecond = DateTime.UnixEpoch.AddSeconds(Math.Floor(start));

            Created(record).Should().Be(startSecond);
        }
    }

    [Fact]
    public void WithoutABadRateEveryRecordIsValidAndConsistent()
    {
        var defects = Generate(Clean with { Count = 20_000 }).Select(Classify);

        defects.Should().AllBeEquivalentTo(RecordDefect.None);
    }

    [Fact]
    public void SomeStreamedRecordsCarryNoTokenKeysWhileNonStreamedOnesAlwaysDo()
    {
        var records = Generate(Clean);
        static bool HasTokens(JsonElement r) => r.GetProperty("metrics").TryGetProperty("tokens", out _);
        var streamed = records.Where(r => r.GetProperty("stream").GetBoolean()).ToList();

        streamed.Count(r => !HasTokens(r)).Should().BeGreaterThan(streamed.Count / 2);
        streamed.Any(HasTokens).Should().BeTrue("some callers ask for usage on streams");
        records.Where(r => !r.GetProperty("stream").GetBoolean()).All(HasTokens).Should().BeTrue();
    }

    [Fact]
    public void StreamedTtftIsAFirstTokenWhileNonStreamedTtftIsNearlyTheWholeCall()
    {
        var records = Generate(Clean);
        static (double Ttft, double Latency) Timing(JsonElement r)
        {
            var m = r.GetProperty("metrics");
            var ttft = m.GetProperty("time_to_first_token").GetDouble();
            return (ttft, m.GetProperty("end").GetDouble() - m.GetProperty("start").GetDouble());
        }

        foreach (var (ttft, latency) in records.Where(r => !r.GetProperty("stream").GetBoolean()).Select(Timing))
            (latency - ttft).Should().BeInRange(0.0005, 0.0075);

        var streamedGpt4o = records
            .Where(r => r.GetProperty("stream").GetBoolean() && r.GetProperty("model").GetString()!.StartsWith("gpt-4o-2024", StringComparison.Ordinal))
            .Select(r => Timing(r).Ttft)
            .Order()
            .ToList();
        streamedGpt4o[streamedGpt4o.Count / 2].Should().BeInRange(0.2, 2.0, "the median first token is quick");
        streamedGpt4o[^1].Should().BeGreaterThan(2.0, "the tail is heavy");
    }

    [Fact]
    public void TtftKeepsTheSinglePrecisionNoiseOfTheRealLogger()
    {
        var ttfts = Generate(Clean).Select(r => r.GetProperty("metrics").GetProperty("time_to_first_token").GetDouble());

        ttfts.Should().OnlyContain(t => (double)(float)t == t);
        ttfts.Should().Contain(t => t.ToString(CultureInfo.InvariantCulture).Length > 12);
    }

    [Fact]
    public void AFewCallsHitMaxTokensButNoneExceedIt()
    {
        var withBoth = Generate(Clean with { Count = 20_000 })
            .Where(r => r.TryGetProperty("max_tokens", out _) && r.GetProperty("metrics").TryGetProperty("completion_tokens", out _))
            .Select(r => (Max: r.GetProperty("max_tokens").GetInt64(), Completion: r.GetProperty("metrics").GetProperty("completion_tokens").GetInt64()))
            .ToList();

        var hits = withBoth.Count(x => x.Completion == x.Max);
        hits.Should().BeInRange(withBoth.Count / 500, withBoth.Count / 20);
        withBoth.Should().OnlyContain(x => x.Completion <= x.Max);
    }

    [Fact]
    public void TheRecordsVaryTheOptionalFieldsLikeRealLogs()
    {
        var text = Encoding.UTF8.GetString(Bytes(Clean));
        var records = Parse(Encoding.UTF8.GetBytes(text), CallLogFormat.Export);

        text.Should().Contain("\"temperature\":1,", "temperature is sometimes a bare integer");
        records.Any(r => !r.TryGetProperty("temperature", out _)).Should().BeTrue("some callers leave temperature unset");
        records.Select(r => r.GetProperty("type").GetString()).Distinct().Should().BeEquivalentTo("text", "json_schema");
        records.Select(r => r.TryGetProperty("max_tokens", out var m) ? m.GetInt64() : 0).Distinct()
            .Should().Contain([16000, 4096, 1024, 256]);
        records.Any(r => r.GetProperty("metrics").TryGetProperty("cost", out _)).Should().BeTrue();
        records.Any(r => r.GetProperty("metrics").TryGetProperty("caller_functionname", out _)
            && r.GetProperty("metrics").GetProperty("caller_lineno").ValueKind == JsonValueKind.Number).Should().BeTrue();
    }

    [Fact]
    public void EveryModelAppearsOnceReleasedAndNoneBeforeItsRelease()
    {
        var records = Generate(Clean with { Count = 40_000, Days = 240, End = new DateOnly(2025, 2, 28) });
        var firstSeen = records
            .GroupBy(r => r.GetProperty("model").GetString()!)
            .ToDictionary(g => g.Key, g => g.Min(Created));

        firstSeen.Keys.Should().BeEquivalentTo(GeneratedModels.All.Select(m => m.Name));
        foreach (var model in GeneratedModels.All)
            DateOnly.FromDateTime(firstSeen[model.Name]).Should().BeOnOrAfter(model.AvailableFrom, model.Name);
    }

    [Fact]
    public void TheLatestGpt4oCarriesMostTrafficAndTheUnpricedModelALittle()
    {
        var shares = Generate(Clean with { Count = 20_000 })
            .GroupBy(r => r.GetProperty("model").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count() / 20_000.0);

        shares.MaxBy(s => s.Value).Key.Should().Be("gpt-4o-2024-11-20");
        shares[GeneratedModels.Unpriced].Should().BeInRange(0.01, 0.04);
    }

    [Fact]
    public void WeekdayWorkingHoursAreBusierThanWeekendsAndNights()
    {
        // 2024-12-02 is a Monday, so the 28 days hold exactly four of every weekday.
        var created = Generate(Clean with { Count = 40_000, Days = 28, End = new DateOnly(2024, 12, 29) }).Select(Created).ToList();

        double PerDay(Func<DateTime, bool> when, int days) => created.Count(when) / (double)days;
        var weekday = PerDay(c => c.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), 20);
        var weekend = PerDay(c => c.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, 8);
        weekday.Should().BeGreaterThan(2 * weekend);

        var afternoons = created.Count(c => c.Hour is >= 14 and < 17);
        var smallHours = created.Count(c => c.Hour is >= 3 and < 6);
        afternoons.Should().BeGreaterThan(3 * smallHours);
    }

    [Fact]
    public void AHighBadRateProducesEveryDefectKind()
    {
        var defects = Generate(Clean with { BadRate = 0.5 }).Select(Classify).ToList();

        defects.Distinct().Should().BeEquivalentTo(Enum.GetValues<RecordDefect>().Except([RecordDefect.None]));
    }

    [Fact]
    public void TheBadRateIsTheShareOfRejectsAndAgainTheShareOfFlags()
    {
        var defects = Generate(Clean with { Count = 20_000, BadRate = 0.05 }).Select(Classify).ToList();

        defects.Count(RecordDefects.Rejects.Contains).Should().BeCloseTo(1_000, 150);
        defects.Count(RecordDefects.Flags.Contains).Should().BeCloseTo(1_000, 150);
    }

    [Fact]
    public void InvalidRecordsStayInsideTheStreamInBothFormats()
    {
        foreach (var format in new[] { CallLogFormat.Export, CallLogFormat.JsonLines })
        {
            var records = Generate(Clean with { BadRate = 0.5, Format = format });

            records.Should().HaveCount(5_000);
            records.Should().Contain(r => r.ValueKind == JsonValueKind.String);
            records.Should().Contain(r => r.ValueKind == JsonValueKind.Array);
        }
    }

    [Fact]
    public void RaisingTheBadRateCorruptsRecordsWithoutReshufflingTheOthers()
    {
        string[] Lines(double badRate) =>
            Encoding.UTF8.GetString(Bytes(Clean with { BadRate = badRate, Format = CallLogFormat.JsonLines })).Split('\n');
        var clean = Lines(0);
        var dirty = Lines(0.1);

        var unchanged = clean.Zip(dirty).Count(pair => pair.First == pair.Second);
        unchanged.Should().BeCloseTo(4_000, 150, "about 80% of records carry no defect at a 10% bad rate");
    }

    [Theory]
    [InlineData(-1, 14, 0.0)]
    [InlineData(10, 0, 0.0)]
    [InlineData(10, CallLogGenerator.MaxDays + 1, 0.0)]
    [InlineData(10, 14, -0.1)]
    [InlineData(10, 14, 0.6)]
    [InlineData(10, 14, double.NaN)]
    public void OptionsOutsideTheirRangeAreRefused(long count, int days, double badRate)
    {
        var create = () => new CallLogGenerator(new CallLogGeneratorOptions { Count = count, Days = days, BadRate = badRate });

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void AWindowStartingBeforeAnyModelExistsIsRefused()
    {
        var create = () => new CallLogGenerator(new CallLogGeneratorOptions { End = new DateOnly(2023, 1, 5), Days = 10 });

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void WritingRecordsAllocatesNothingPerRecord()
    {
        var generator = new CallLogGenerator(Clean with { Count = 200_000, BadRate = 0.02 });
        generator.Write(Stream.Null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        generator.Write(Stream.Null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(1_000_000, "a 10-million-record run must not hold or churn memory per record");
    }

    [Fact]
    public void EpochMillisecondsAreWrittenAsTheShortestDecimalOfTheirSeconds()
    {
        var rng = new Random(1);
        Span<byte> text = stackalloc byte[JsonNumbers.MaxMillisLength];
        var samples = new long[] { 0, 1, 10, 100, 1_000, 1_734_117_012_100, 1_734_117_012_000, 1_734_540_053_557, 1_734_540_053_050 }
            .Concat(Enumerable.Range(0, 100_000).Select(_ => rng.NextInt64(1_600_000_000_000, 1_900_000_000_000)));

        foreach (var ms in samples)
        {
            var length = JsonNumbers.FormatMillisAsSeconds(ms, text);

            Encoding.ASCII.GetString(text[..length]).Should().Be((ms / 1000.0).ToString("R", CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void CreatedIsFormattedAsTheInvariantUtcSecond()
    {
        var rng = new Random(2);
        Span<byte> text = stackalloc byte[19];

        for (var i = 0; i < 10_000; i++)
        {
            var ms = rng.NextInt64(1_600_000_000_000, 1_900_000_000_000);
            JsonNumbers.FormatCreated(ms, text);

            Encoding.ASCII.GetString(text).Should().Be(
                DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString(CreatedFormat, CultureInfo.InvariantCulture));
        }
    }
}

using System.Text;
using LlmLog.Generation;
using LlmLog.Validation;

namespace LlmLog.Tests.Generation;

/// <summary>The generator's defects are only useful if the real validator reads them the same way.</summary>
public class GeneratorAgainstValidatorTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void TheValidatorRejectsExactlyTheGeneratedRejectsAndFlagsTheGeneratedFlags(double badRate)
    {
        var options = new CallLogGeneratorOptions { Count = 10_000, Seed = 11, BadRate = badRate, Format = CallLogFormat.JsonLines };
        var lines = Encoding.UTF8.GetString(GeneratedRecords.Bytes(options)).TrimEnd('\n').Split('\n');
        var validator = new CallRecordValidator();

        foreach (var line in lines)
        {
            var defect = GeneratedRecords.Parse(Encoding.UTF8.GetBytes(line), CallLogFormat.JsonLines).Select(GeneratedRecords.Classify).Single();
            var row = new CallRow();
            var result = validator.Validate(Encoding.UTF8.GetBytes(line), row);

            result.IsAccepted.Should().Be(!RecordDefects.Rejects.Contains(defect), "{0} was generated as {1}", line, defect);
            if (!result.IsAccepted)
                continue;
            var expectedFlag = defect switch
            {
                RecordDefect.TokensMismatch => CallFlags.TokensMismatch,
                RecordDefect.TtftExceedsLatency => CallFlags.TtftExceedsLatency,
                RecordDefect.CompletionExceedsMaxTokens => CallFlags.CompletionExceedsMaxTokens,
                _ => CallFlags.None,
            };
            (row.Flags & ~CallFlags.MissingUsage).Should().Be(expectedFlag, "{0} was generated as {1}", line, defect);
        }
    }
}

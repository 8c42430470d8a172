using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LlmLog.Tests.Support;
using LlmLog.Validation;

namespace LlmLog.Tests.Validation;

public class CallRecordValidatorTests
{
    private static (ValidationResult Result, CallRow Row) Validate(string json)
    {
        var row = new CallRow();
        var result = new CallRecordValidator().Validate(Encoding.UTF8.GetBytes(json), row);
        return (result, row);
    }

    private static (ValidationResult Result, CallRow Row) Validate(JsonNode node) => Validate(node.ToJsonString());

    private static JsonObject With(Action<JsonObject> change)
    {
        var call = Some.Call();
        change(call);
        return call;
    }

    private static JsonObject Metrics(JsonObject call) => call["metrics"]!.AsObject();

    [Fact]
    public void ARealNonStreamedRecordIsFlattenedIntoEveryColumn()
    {
        var (result, row) = Validate("""
            {"created": "2024-12-18 16:40:40", "model": "gpt-4o-2024-11-20", "stream": false, "max_tokens": 16000,
             "temperature": 0.7, "type": "text",
             "metrics": {"end": 1734540053.557, "start": 1734540040.786, "tokens": 1213, "prompt_tokens": 337,
                         "completion_tokens": 876, "time_to_first_token": 12.769999980926514}}
            """);

        result.IsAccepted.Should().BeTrue();
        row.CreatedAt.Should().Be(new DateTime(2024, 12, 18, 16, 40, 40, DateTimeKind.Utc));
        row.Day.Should().Be(new DateOnly(2024, 12, 18));
        row.Model.Should().Be("gpt-4o-2024-11-20");
        row.ModelFamily.Should().Be("gpt-4o");
        row.ModelVersion.Should().Be("2024-11-20");
        row.Stream.Should().BeFalse();
        row.RequestType.Should().Be("text");
        row.MaxTokens.Should().Be(16000);
        row.Temperature.Should().Be(0.7);
        row.StartedAt.Should().Be(new DateTime(2024, 12, 18, 16, 40, 40, 786, DateTimeKind.Utc));
        row.EndedAt.Should().Be(new DateTime(2024, 12, 18, 16, 40, 53, 557, DateTimeKind.Utc));
        row.LatencySeconds.Should().BeApproximately(12.771, 1e-6);
        row.TtftSeconds.Should().Be(12.769999980926514);
        row.PromptTokens.Should().Be(337);
        row.CompletionTokens.Should().Be(876);
        row.TotalTokens.Should().Be(1213);
        row.OutputTokensPerSecond.Should().BeApproximately(876 / 12.771, 1e-6);
        row.HitMaxTokens.Should().BeFalse();
        row.Flags.Should().Be(CallFlags.None);
        row.RecordId.Should().MatchRegex("^[0-9a-f]{32}$");
    }

    // Start and end in milliseconds since 1970 (JavaScript's Date.now()) were rejected as "outside the years 1970 to
    // 2999" with nothing to say what was meant.
    [Theory]
    [InlineData(1740787175768.0, "; as milliseconds it would be 2025-02-28 23:59:35.768000 UTC: write seconds")]
    [InlineData(1740787175768123.0, "; as microseconds it would be 2025-02-28 23:59:35.768123 UTC: write seconds")]
    [InlineData(1.740787175768e18, "; as nanoseconds it would be 2025-02-28 23:59:35.768000 UTC: write seconds")]
    [InlineData(40000000000.0, "that llmlog accepts (as Unix time in seconds)")]
    public void AStartInMillisecondsIsRejectedWithTheInstantItWouldBe(double start, string ending)
    {
        var call = Some.Call();
        Metrics(call)["start"] = start;

        var rejection = Validate(call).Result.Rejection!.Value;

        rejection.Field.Should().Be("metrics.start");
        rejection.Reason.Should().EndWith(ending);
    }

    // Bug: the latency was end - start of the two epoch-second doubles, whose rounding near 1.7e9 reached the 8th decimal:
    // 1.835 s was exported as 1.8350000381469727, and ended_at - started_at in SQL did not equal latency_s.
    [Theory]
    [InlineData(1740787175.768, 1740787177.603, 1.835)]
    [InlineData(1700000000.000001, 1700000000.5, 0.499999)]
    [InlineData(1734540040.0, 1734540040.0, 0.0)]
    public void TheLatencyIsTheStoredEndMinusTheStoredStartToTheMicrosecond(double start, double end, double latency)
    {
        var call = Some.Call();
        Metrics(call)["start"] = start;
        Metrics(call)["end"] = end;

        var (result, row) = Validate(call);

        result.IsAccepted.Should().BeTrue();
        row.LatencySeconds.Should().Be(latency);
        row.LatencySeconds.Should().Be((row.EndedAt!.Value - row.StartedAt!.Value).TotalSeconds);
    }

    // Bug: an end a fraction of a microsecond before its start was rejected as before it, though both are stored as the
    // same microsecond (found by probing time from the input to every output). A microsecond before still is rejected.
    [Fact]
    public void AnEndBeforeItsStartThatIsStoredAsTheSameMicrosecondIsLoadedAndOneStoredEarlierIsRejected()
    {
        const double start = 1734540040.1234564, sameMicrosecond = 1734540040.1234562, microsecondBefore = 1734540040.1234554;
        sameMicrosecond.Should().BeLessThan(start, "the two doubles differ");
        var call = Some.Call();
        Metrics(call)["start"] = start;
        Metrics(call)["end"] = sameMicrosecond;

        var (result, row) = Validate(call);

        result.IsAccepted.Should().BeTrue();
        row.EndedAt.Should().Be(row.StartedAt);
        row.LatencySeconds.Should().Be(0);

        Metrics(call)["end"] = microsecondBefore;
        var (earlier, _) = Validate(call);
        earlier.IsAccepted.Should().BeFalse();
        earlier.Rejection!.Value.Field.Should().Be("metrics.end");
    }

    [Theory]
    [InlineData(5e-324, null)]
    [InlineData(0.0000004, null)]
    [InlineData(0.0000009, 1e15)]
    [InlineData(0.000001, 1e15)]
    public void AnOutputRateNeedsALatencyOfAtLeastAMicrosecond(double latency, double? rate)
    {
        var call = Some.Call();
        // From 1970's first second, where a double holds the latency exactly (near 1.7e9 it resolves ~0.24 µs). The end is
        // kept to the microsecond, as the warehouse keeps it: 0.4 µs is no time at all, 0.9 µs is one microsecond.
        Metrics(call)["start"] = 0.0;
        Metrics(call)["end"] = latency;
        Metrics(call)["completion_tokens"] = 1_000_000_000;
        Metrics(call)["tokens"] = null;

        var (result, row) = Validate(call);

        result.IsAccepted.Should().BeTrue();
        if (rate is null) row.OutputTokensPerSecond.Should().BeNull("below the warehouse's microsecond a rate is no measurement (it was Infinity)");
        else row.OutputTokensPerSecond.Should().BeApproximately(rate.Value, rate.Value * 1e-6);
    }

    [Fact]
    public void AStreamedCallWithoutTokensIsLoadedWithNullTokensAndFlaggedMissingUsage()
    {
        var (result, row) = Validate(Some.StreamedCall());

        result.IsAccepted.Should().BeTrue();
        row.PromptTokens.Should().BeNull();
        row.CompletionTokens.Should().BeNull();
        row.TotalTokens.Should().BeNull();
        row.OutputTokensPerSecond.Should().BeNull();
        row.HitMaxTokens.Should().BeNull();
        row.Flags.Should().Be(CallFlags.MissingUsage);
    }

    [Theory]
    [InlineData("2024-12-18T16:40:40Z", "2024-12-18T16:40:40")]
    [InlineData("2024-12-18T16:40:40.250Z", "2024-12-18T16:40:40.250")]
    [InlineData("2024-12-18T18:40:40+02:00", "2024-12-18T16:40:40")]
    [InlineData("2024-12-18 11:40:40-05:00", "2024-12-18T16:40:40")]
    [InlineData("2024-12-18T16:40:40", "2024-12-18T16:40:40")]
    // Rejected before (found by probing ingest): RFC 3339's lower-case t and z, and PostgreSQL's whole-hour offsets.
    [InlineData("2024-12-18t16:40:40z", "2024-12-18T16:40:40")]
    [InlineData("2024-12-18 21:40:40+05", "2024-12-18T16:40:40")]
    [InlineData("2024-12-18 13:40:40.5-03", "2024-12-18T16:40:40.5")]
    // Rejected before, where T16:40Z and T21:40+05:00 were read (found by probing time): minutes with an offset of hours.
    [InlineData("2024-12-18T21:40+05", "2024-12-18T16:40:00")]
    [InlineData("2024-12-18T11:40-05", "2024-12-18T16:40:00")]
    public void IsoTimestampsAreAcceptedAndConvertedToUtc(string created, string expectedUtc)
    {
        var (result, row) = Validate(With(c => c["created"] = created));

        result.IsAccepted.Should().BeTrue();
        row.CreatedAt.Should().Be(DateTime.SpecifyKind(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc));
        row.CreatedAt.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public void ATemperatureWrittenAsAnIntegerIsANumber()
    {
        var (result, row) = Validate(With(c => c["temperature"] = 1));

        result.IsAccepted.Should().BeTrue();
        row.Temperature.Should().Be(1.0);
    }

    [Theory]
    [InlineData("150.0")]
    [InlineData("1.5e2")]
    [InlineData("15000e-2")]
    public void AWholeNumberWrittenWithAFractionOrExponentIsACount(string spelled)
    {
        var (result, row) = Validate($$$"""
            {"created": "2024-12-18 16:40:40", "model": "m", "max_tokens": {{{spelled}}},
             "metrics": {"tokens": {{{spelled}}}, "prompt_tokens": 100.0, "completion_tokens": 50.00}}
            """);

        result.IsAccepted.Should().BeTrue();
        row.MaxTokens.Should().Be(150);
        row.TotalTokens.Should().Be(150);
        row.PromptTokens.Should().Be(100);
        row.CompletionTokens.Should().Be(50);
        row.Flags.Should().Be(CallFlags.None);
    }

    [Fact]
    public void NullMetricsAreAcceptedAsACallWithoutMeasurements()
    {
        var (result, row) = Validate(With(c => c["metrics"] = null));

        result.IsAccepted.Should().BeTrue();
        row.LatencySeconds.Should().BeNull();
        row.Flags.Should().Be(CallFlags.MissingUsage);
    }

    [Fact]
    public void AnyRequestTypeStringIsKept()
    {
        Validate(With(c => c["type"] = "json_schema")).Row.RequestType.Should().Be("json_schema");
        Validate(With(c => c["type"] = "tool_call")).Row.RequestType.Should().Be("tool_call");
    }

    [Fact]
    public void SpacesInsideAModelNameOrRequestTypeAreKept()
    {
        var row = Validate(With(c =>
        {
            c["model"] = "Llama 3.1 70B Instruct";
            c["type"] = "tool call";
        })).Row;

        (row.Model, row.RequestType).Should().Be(("Llama 3.1 70B Instruct", "tool call"));
    }

    // The joiners are part of the writing between two characters outside ASCII: an emoji sequence, Persian.
    [Theory]
    [InlineData("family-\U0001F468\u200D\U0001F469")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    public void AJoinerInsideAScriptOrEmojiSequenceIsKept(string model) =>
        Validate(With(c => c["model"] = model)).Row!.Model.Should().Be(model);

    [Fact]
    public void AnIdOrModelNameOfTheLongestLengthAllowedIsKept()
    {
        var row = Validate(With(c =>
        {
            c["id"] = new string('i', CallRecordValidator.MaxKeyLength);
            c["model"] = new string('m', CallRecordValidator.MaxKeyLength);
        })).Row;

        (row.RecordId.Length, row.Model.Length).Should().Be((512, 512));
    }

    [Fact]
    public void TheRecordsOwnIdIsItsRecordId()
    {
        Validate(With(c => c["id"] = "abc-123")).Row.RecordId.Should().Be("abc-123");
    }

    [Fact]
    public void TheSameRecordWrittenDifferentlyHasTheSameId()
    {
        var compact = Validate("""{"created":"2024-12-18 16:40:40","model":"m","metrics":{"start":1,"end":2}}""").Row.RecordId;
        var pretty = Validate("""
            {
              "model": "m",
              "metrics": { "end": 2, "start": 1 },
              "created": "2024-12-18 16:40:40"
            }
            """).Row.RecordId;
        var other = Validate("""{"created":"2024-12-18 16:40:41","model":"m","metrics":{"start":1,"end":2}}""").Row.RecordId;

        pretty.Should().Be(compact);
        other.Should().NotBe(compact);
    }

    public static TheoryData<string, string, string> Rejects => new()
    {
        { "\"just a string\"", "", "is a JSON string, not an object" },
        { "[1, 2]", "", "is a JSON array, not an object" },
        { "{\"created\": \"2024-12-18 16:40:40\", \"model\": tru}", "model", "is not valid JSON" },
        // Bug: Python's json.dumps writes NaN and Infinity, and the reason said only "'N' is an invalid start of a value".
        { """{"created": "2024-12-18 16:40:40", "model": "m", "temperature": NaN}""", "temperature", "is not valid JSON: NaN is not a JSON number (Python's json.dumps writes it for a float that is NaN); write null for a value that is missing (at byte 65 of the record)" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"end": 2, "start": -Infinity}}""", "metrics.start", "is not valid JSON: -Infinity is not a JSON number (Python's json.dumps writes it for an infinite float); write null" },
        { "{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\",\n \"metrics\": {\"ttft\": [1,\n  Infinity]}}", "metrics.ttft", "is not valid JSON: Infinity is not a JSON number" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "temperature": Nope}""", "temperature", "is not valid JSON: 'N' is an invalid start of a value" },
        { """{"model": "m"}""", "created", "is missing" },
        // A JSON Lines file of export pages (one API response per line) said only "created is missing" for each page.
        { """{"data": [{"created": "2024-12-18 16:40:40", "model": "m"}], "schema": {}, "dialect": "btql"}""", "", "record is a page of an export (an object with a \"data\" array of records), not a call" },
        { """{"created": null, "model": "m"}""", "created", "is null" },
        { """{"created": "yesterday", "model": "m"}""", "created", "\"yesterday\" is not a timestamp" },
        // Bug: a date or time of the right shape that does not exist got "is not a timestamp; expected YYYY-MM-DD
        // HH:MM:SS", though it is in exactly that shape (found by probing time).
        { """{"created": "2024-02-30 10:00:00", "model": "m"}""", "created", "\"2024-02-30 10:00:00\" names a day that does not exist: February 2024 has 29 days" },
        { """{"created": "2025-02-29T12:00:00Z", "model": "m"}""", "created", "names a day that does not exist: February 2025 has 28 days" },
        { """{"created": "2025-13-10T10:00:00Z", "model": "m"}""", "created", "names month 13; months run from 01 to 12" },
        { """{"created": "2025-03-10T24:00:00Z", "model": "m"}""", "created", "names hour 24; write 00:00 of the next day" },
        { """{"created": "2025-03-10 10:61:00", "model": "m"}""", "created", "names minute 61; minutes run from 00 to 59" },
        { """{"created": "2016-12-31T23:59:60Z", "model": "m"}""", "created", "names second 60, a leap second, which llmlog cannot store; write 23:59:59.999999" },
        // Accepted before as 10:00:00: a '.' with no digit after it is no fraction (found by probing ingest).
        { """{"created": "2025-02-28T10:00:00.Z", "model": "m"}""", "created", "is not a timestamp" },
        // Bug: Unix time in created said only "is a number", not which instant it would be.
        { """{"created": 1734540040, "model": "m"}""", "created", "is a number, 1734540040, which as Unix time in seconds is 2024-12-18 16:40:40.000000 UTC; write it as a timestamp string like \"2024-12-18 16:40:40\"" },
        { """{"created": 1734540040123, "model": "m"}""", "created", "which as Unix time in milliseconds is 2024-12-18 16:40:40.123000 UTC" },
        // Bug: a time in nanoseconds was quoted as the double it parses to, 1.7345400401234568E+18, not as written (found by probing time).
        { """{"created": 1734540040123456789, "model": "m"}""", "created", "is a number, 1734540040123456789, which as Unix time in nanoseconds is 2024-12-18 16:40:40.123457 UTC" },
        { """{"created": 12, "model": "m"}""", "created", "is a number; expected a timestamp string like \"2024-12-18 16:40:40\"" },
        { """{"created": [], "model": "m"}""", "created", "is an array" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt\u0000x"}""", "model", "contains a NUL character" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "type": "\udc00"}""", "type", "lone UTF-16 surrogate" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "id": "a\ud800"}""", "id", "lone UTF-16 surrogate" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"start": "\ud800"}}""", "metrics.start", "lone UTF-16 surrogate" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "mode\udfff": 1}""", "", "record holds a \\u escape of a lone UTF-16 surrogate" },
        { """{"created": {"at": 1}, "model": "m"}""", "created", "is an object" },
        { """{"created": "2024-12-18 16:40:40", "model": ["m"]}""", "model", "is an array" },
        { """{"created": "2024-12-18 16:40:40"}""", "model", "is missing" },
        { """{"created": "2024-12-18 16:40:40", "model": ""}""", "model", "is empty" },
        { """{"created": "2024-12-18 16:40:40", "model": 4}""", "model", "expected the model name" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"tokens": -1}}""", "metrics.tokens", "cannot be negative" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"prompt_tokens": 12.5}}""", "metrics.prompt_tokens", "expected a whole number" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"completion_tokens": "12"}}""", "metrics.completion_tokens", "the string \"12\"" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"tokens": 99999999999999999999}}""", "metrics.tokens", "beyond a 64-bit integer" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"start": "soon"}}""", "metrics.start", "expected a number" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"end": 1e400}}""", "metrics.end", "not a finite number" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"time_to_first_token": true}}""", "metrics.time_to_first_token", "expected a number" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"time_to_first_token": -0.5}}""", "metrics.time_to_first_token", "cannot be negative" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"cost": -0.002}}""", "metrics.cost", "is -0.002; a cost cannot be negative" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"cost": 1e308}}""", "metrics.cost", "more than the 1,000,000 USD one call can cost" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"start": 10, "end": 9}}""", "metrics.end", "is before metrics.start" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "temperature": "hot"}""", "temperature", "expected a number" },
        // Accepted before, and PostgreSQL's avg(), which sums squares, then overflowed: the day's refresh failed, and
        // with it every summary, report and export of the warehouse (found by probing the export).
        { """{"created": "2024-12-18 16:40:40", "model": "m", "temperature": 1e300}""", "temperature", "is 1E+300, above the 100 llmlog accepts" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "temperature": -1}""", "temperature", "is -1; a temperature cannot be negative" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"time_to_first_token": 1e200}}""", "metrics.time_to_first_token", "longer than the 32,503,680,000 seconds" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "max_tokens": -5}""", "max_tokens", "cannot be negative" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "max_tokens": 1.5}""", "max_tokens", "expected a whole number" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "stream": "yes"}""", "stream", "expected true or false" },
        // Accepted before, these left summary, report and export failing on the whole warehouse (sums beyond 64 bits,
        // days beyond what dates and time zones can hold).
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"tokens": 9000000000000000000}}""", "metrics.tokens", "is 9000000000000000000, more than the 1,000,000,000 one call can hold" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"prompt_tokens": 9223372036854775807, "completion_tokens": 1}}""", "metrics.prompt_tokens", "more than the 1,000,000,000" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "max_tokens": 1000000001}""", "max_tokens", "more than the 1,000,000,000" },
        { """{"created": "9999-12-31 23:59:59", "model": "m"}""", "created", "\"9999-12-31 23:59:59\" is outside the years 1970 to 2999 that llmlog accepts" },
        { """{"created": "0001-01-01T00:00:00Z", "model": "m"}""", "created", "is outside the years 1970 to 2999" },
        { """{"created": "1969-12-31 23:59:59", "model": "m"}""", "created", "is outside the years 1970 to 2999" },
        // "not a timestamp" before: the offset moves the instant past what a date can hold, so the parse failed.
        { """{"created": "0001-01-01T00:00:00+14:00", "model": "m"}""", "created", "\"0001-01-01T00:00:00+14:00\" is outside the years 1970 to 2999 that llmlog accepts" },
        { """{"created": "9999-12-31T23:59:59-14:00", "model": "m"}""", "created", "\"9999-12-31T23:59:59-14:00\" is outside the years 1970 to 2999 that llmlog accepts" },
        { """{"created": "1950-01-01 10:00:00 noon", "model": "m"}""", "created", "\"1950-01-01 10:00:00 noon\" is not a timestamp" },
        // Bug: the year written was inside the range, and only the UTC instant outside it; the reason did not say so.
        { """{"created": "1970-01-01T03:00:00+05:00", "model": "m"}""", "created", "\"1970-01-01T03:00:00+05:00\" is 1969-12-31 22:00:00 UTC, outside the years 1970 to 2999 that llmlog accepts" },
        { """{"created": "2999-12-31T20:00:00-05:00", "model": "m"}""", "created", "is 3000-01-01 01:00:00 UTC, outside the years 1970 to 2999" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "metrics": [1]}""", "metrics", "expected an object or null" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "model": "n"}""", "model", "appears more than once" },
        // Accepted before: on PostgreSQL a 3,000-character model name failed every refresh after its load (an index
        // entry holds about 2,700 bytes), and with it every summary, report and export; a long id failed its file's load.
        { $$"""{"created": "2024-12-18 16:40:40", "model": "{{new string('m', 513)}}"}""", "model", "is 513 characters long; llmlog takes model names of up to 512 characters" },
        { $$"""{"created": "2024-12-18 16:40:40", "model": "m", "id": "{{new string('i', 3000)}}"}""", "id", "is 3,000 characters long; llmlog takes ids of up to 512" },
        { $$"""{"created": "2024-12-18 16:40:40", "model": "m", "id": {{new string('9', 600)}}}""", "id", "is 600 characters long" },
        // Bug: rejected with .NET's "'{' is invalid after a single JSON value. Expected end of data.", never with the
        // reason docs/ingest.md gives (found by probing ingest). Text that starts no value is still not valid JSON.
        { """{"created": "2024-12-18 16:40:40", "model": "m"} {"a": 1}""", "", "record has more than one JSON value (the second starts at byte 50 of the record); write each record on a line of its own" },
        { """{"created": "2024-12-18 16:40:40", "model": "m"}	[1, 2""", "", "record has more than one JSON value (the second starts at byte 50 of the record)" },
        { """{"created": "2024-12-18 16:40:40", "model": "m"} garbage""", "", "record is not valid JSON: 'g' is invalid after a single JSON value" },
        // Accepted before: "gpt-4o " was a model of its own beside "gpt-4o", unpriced, and the report's tables showed
        // the two alike (HTML collapses white space).
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o "}""", "model", "\"gpt-4o \" has white space before or after it, so it would count apart from \"gpt-4o\"; write the model name without it" },
        { """{"created": "2024-12-18 16:40:40", "model": "\tgpt-4o"}""", "model", "\"\\tgpt-4o\" has white space before or after it" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\u00a0"}""", "model", "has white space before or after it" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\u0007mini"}""", "model", "contains the control character \\u0007; write the model name without it" },
        // Accepted before: U+202E in a model name reversed the rest of a report caption, other models' figures with it.
        { """{"created": "2024-12-18 16:40:40", "model": "a\u202eevil"}""", "model", "\"a\\u202Eevil\" contains the invisible direction control \\u202E, which reorders the text around the name; write the model name without it" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\u200f"}""", "model", "contains the invisible direction control \\u200F" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "type": "\u2067chat\u2069"}""", "type", "contains the invisible direction control \\u2067" },
        // Accepted before: each loaded as a model (or request type) of its own that every table showed as "gpt-4o" (found by
        // probing both engines).
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\u200b"}""", "model", "\"gpt-4o\\u200B\" contains the invisible character U+200B, so it would count apart from the model name it looks like; write the model name without it" },
        { """{"created": "2024-12-18 16:40:40", "model": "\u2060gpt-4o"}""", "model", "contains the invisible character U+2060" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\ufeff"}""", "model", "contains the invisible character U+FEFF" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt\u00ad4o"}""", "model", "contains the invisible character U+00AD" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\u3164"}""", "model", "contains the invisible character U+3164" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\u200d"}""", "model", "contains the invisible character U+200D" },
        { """{"created": "2024-12-18 16:40:40", "model": "gpt-4o\udb40\udc20"}""", "model", "contains the invisible character U+E0020" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "type": "text\u200b"}""", "type", "contains the invisible character U+200B, so it would count apart from the request type it looks like" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "type": "chat\n"}""", "type", "\"chat\\n\" has white space before or after it, so it would count apart from \"chat\"; write the request type without it" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "type": "  "}""", "type", "is only white space; leave type out, or write null, when there is no request type" },
    };

    [Theory]
    [MemberData(nameof(Rejects))]
    public void EachRejectReasonNamesTheFieldAndSaysWhy(string json, string field, string reason)
    {
        var (result, _) = Validate(json);

        result.IsAccepted.Should().BeFalse();
        result.Rejection!.Value.Field.Should().Be(field.Length == 0 ? null : field);
        result.Rejection!.Value.Reason.Should().Contain(reason);
    }

    public static TheoryData<string, string> QuotedValues => new()
    {
        { """{"created": "2024-12-18 16:40:40", "model": "m", "stream": "yes\u0000"}""", """stream is the string "yes\u0000"; expected true or false""" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "stream": "a\nb\u001b[31mred\u2028"}""", """stream is the string "a\nb\u001B[31mred\u2028"; expected true or false""" },
        { """{"created": "2024-12-18 16:40:40", "model": "m", "stream": "say \"yes\" \\ no"}""", """stream is the string "say \"yes\" \\ no"; expected true or false""" },
        { """{"created": "2024\t12-18", "model": "m"}""", """created "2024\t12-18" is not a timestamp; expected "YYYY-MM-DD HH:MM:SS" (UTC) or ISO 8601""" },
        // 56 characters, then emoji (two UTF-16 units each) where the 57-character cut falls: cut before one, never inside.
        { "{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"stream\": \"" + new string('a', 56) + "😀😀😀\"}", "stream is the string \"" + new string('a', 56) + "...\"; expected true or false" },
        { "{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"stream\": \"" + new string('a', 55) + "😀😀😀\"}", "stream is the string \"" + new string('a', 55) + "😀...\"; expected true or false" },
    };

    [Theory]
    [MemberData(nameof(QuotedValues))]
    public void AReasonQuotesTheBadValueAsOneLineOfStorableText(string json, string reason)
    {
        var rejection = Validate(json).Result.Rejection!.Value;

        $"{rejection.Field} {rejection.Reason}".Should().Be(reason);
        StorableOneLine(rejection.Reason).Should().BeTrue();
    }

    [Fact]
    public void AFieldNamedAtASyntaxErrorIsOneLineOfStorableText()
    {
        var rejection = Validate("""{"created": "2024-12-18 16:40:40", "model": "m", "x\u0000\ny": NaN}""").Result.Rejection!.Value;

        rejection.Field.Should().Be("""x\u0000\ny""");
        StorableOneLine(rejection.Field!).Should().BeTrue();
    }

    [Theory]
    [InlineData("2025-01-10T10:00:00.123456789Z", "2025-01-10T10:00:00.123456Z")]
    [InlineData("2025-01-10 10:00:00.12345678+02:00", "2025-01-10T08:00:00.123456Z")]
    [InlineData("2025-01-10T10:00:00.999999999", "2025-01-10T10:00:00.999999Z")]
    [InlineData("1999-12-31T23:59:59.9999999Z", "1999-12-31T23:59:59.999999Z")]
    [InlineData("1985-06-30T23:59:59.9999995Z", "1985-06-30T23:59:59.999999Z")]
    public void NanosecondTimestampsAreReadToTheMicrosecond(string created, string utc)
    {
        // Rejected as "not a timestamp" before: .NET's formats read at most seven fraction digits. The seventh was kept,
        // and each engine cut it its own way (found by probing the export).
        var (result, row) = Validate($$"""{"created": "{{created}}", "model": "m"}""");

        result.IsAccepted.Should().BeTrue(result.Rejection?.Reason);
        row.CreatedAt.Should().Be(DateTime.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
    }

    [Fact]
    public void AJsonErrorThatQuotesTheRecordIsOneLineOfStorableText()
    {
        // System.Text.Json quotes a bad literal as written, control characters and all; found by the fuzzer.
        var rejection = Validate("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"stream\": fals\u0000\ne}").Result.Rejection!.Value;

        rejection.Field.Should().Be("stream");
        rejection.Reason.Should().StartWith("is not valid JSON: ").And.Contain("\\u0000\\n");
        StorableOneLine(rejection.Reason).Should().BeTrue();
    }

    /// <summary>PostgreSQL refuses NUL and unpaired surrogates in text (one such reason failed a whole file there); a log line must stay one line.</summary>
    private static bool StorableOneLine(string text) =>
        !text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') && !text.EnumerateRunes().Contains(System.Text.Rune.ReplacementChar);

    [Fact]
    public void InvalidUtf8IsRejectedWithTheOffsetOfTheBadByte()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\xff\"}").ToList();
        bytes[bytes.IndexOf(0xC3)] = 0xFF; // replace the first byte of ÿ's two-byte form with an invalid one
        var row = new CallRow();

        var result = new CallRecordValidator().Validate(bytes.ToArray(), row);

        // Counted from 1, as every other position llmlog gives: the bad byte follows the 46 bytes up to "m (found by review:
        // it said byte 46, the one before it).
        result.Rejection!.Value.Reason.Should().Contain("not valid UTF-8 (bad byte sequence at byte 47 of the record)");
    }

    [Fact]
    public void NestingTenThousandLevelsDeepIsRejectedAsTooDeepNotACrash()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var (result, _) = Validate("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"x\": " + deep + "}");

        result.Rejection!.Value.Reason.Should().Be("is valid JSON nested more than 256 levels deep; llmlog reads records nested up to 256 levels");
        result.Rejection!.Value.Field.Should().Be("x");
    }

    [Theory]
    [InlineData(65)]
    [InlineData(256)]
    public void ValidJsonNestedDeeperThanSixtyFourLevelsInAFieldLlmlogDoesNotReadIsAccepted(int levels)
    {
        // The reader's default limit of 64 rejected such a record as "not valid JSON".
        var deep = Deep(levels - 1); // inside the record, which is the first level
        var (result, row) = Validate("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"x\": " + deep + "}");

        result.IsAccepted.Should().BeTrue(result.Rejection?.Reason);
        row.RecordId.Should().MatchRegex("^[0-9a-f]{32}$", "the id's canonical form is built at that depth too");
    }

    [Fact]
    public void ARecordOneLevelBeyondTheLimitIsRejectedAsTooDeep()
    {
        // The record itself is the first level.
        var (atLimit, _) = Validate("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"x\": " + Deep(CallRecordValidator.MaxDepth - 1) + "}");
        var (beyond, _) = Validate("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\", \"x\": " + Deep(CallRecordValidator.MaxDepth) + "}");

        atLimit.IsAccepted.Should().BeTrue(atLimit.Rejection?.Reason);
        beyond.Rejection!.Value.Field.Should().Be("x");
        beyond.Rejection!.Value.Reason.Should().Contain("nested more than 256 levels deep");
    }

    [Fact]
    public void ASyntaxErrorAfterAValueTooDeepIsReportedAsTheSyntaxError()
    {
        var (result, _) = Validate("{\"created\": \"2024-12-18 16:40:40\", \"x\": " + Deep(300) + ", \"model\": nope}");

        result.Rejection!.Value.Field.Should().Be("model");
        result.Rejection!.Value.Reason.Should().StartWith("is not valid JSON: ").And.NotContain("depth");
    }

    /// <summary>A value <paramref name="levels"/> levels deep: objects with a member beside the next, {"a": 1, "b": {...}}, around an array.</summary>
    private static string Deep(int levels) =>
        string.Concat(Enumerable.Repeat("{\"a\": 1, \"b\": ", levels - 1)) + "[1, \"s\"]" + new string('}', levels - 1);

    [Fact]
    public void ARejectedRecordStillReportsTheDayItWasCreated()
    {
        var (result, _) = Validate("""{"created": "2024-12-18 16:40:40", "model": ""}""");

        result.CreatedDay.Should().Be(new DateOnly(2024, 12, 18));
    }

    [Fact]
    public void TokensThatDoNotAddUpAreLoadedButFlagged()
    {
        var (result, row) = Validate(With(c => Metrics(c)["tokens"] = 5));

        result.IsAccepted.Should().BeTrue();
        row.Flags.Should().Be(CallFlags.TokensMismatch);
        row.TotalTokens.Should().Be(5, "total_tokens is what the record says, the flag says it disagrees");
    }

    [Fact]
    public void ATtftLongerThanTheCallIsLoadedButFlagged()
    {
        var (result, row) = Validate(With(c => Metrics(c)["time_to_first_token"] = 30.0));

        result.IsAccepted.Should().BeTrue();
        row.Flags.Should().Be(CallFlags.TtftExceedsLatency);
    }

    [Fact]
    public void ATtftWithinAMillisecondOfTheLatencyIsNotFlagged()
    {
        var (_, row) = Validate(With(c => Metrics(c)["time_to_first_token"] = 12.7715));

        row.Flags.Should().Be(CallFlags.None);
    }

    [Fact]
    public void CompletionTokensAboveMaxTokensAreLoadedButFlagged()
    {
        var (result, row) = Validate(With(c => c["max_tokens"] = 100));

        result.IsAccepted.Should().BeTrue();
        row.Flags.Should().Be(CallFlags.CompletionExceedsMaxTokens);
        row.HitMaxTokens.Should().BeTrue();
    }

    [Fact]
    public void CompletionTokensEqualToMaxTokensHitTheLimitWithoutAFlag()
    {
        var (_, row) = Validate(With(c => c["max_tokens"] = 876));

        row.HitMaxTokens.Should().BeTrue();
        row.Flags.Should().Be(CallFlags.None);
    }

    // SDKs write 0 for "unset", and no provider accepts a limit of 0: every such call that reported completion tokens
    // counted as hitting its limit, while the report's max_tokens use (limits above 0) left it out of the calls it
    // divided those hits by (found by probing the report).
    [Fact]
    public void AMaxTokensOfZeroIsNoLimitSoNoCallHitsOrExceedsIt()
    {
        var (result, row) = Validate(With(c => c["max_tokens"] = 0));

        result.IsAccepted.Should().BeTrue();
        row.MaxTokens.Should().Be(0, "max_tokens is stored as the record gives it");
        row.HitMaxTokens.Should().BeNull("as for a call that sets no limit");
        row.Flags.Should().Be(CallFlags.None);
    }

    // DuckDB keeps -0.0 apart from 0.0, and wrote one as the other within a column: the report listed "-0.0" as a
    // temperature setting of its own (found by probing numbers).
    [Fact]
    public void ANegativeZeroIsReadAsZero()
    {
        var (result, row) = Validate("""
            {"created": "2024-12-18 16:40:40", "model": "m", "temperature": -0.0,
             "metrics": {"start": -0.0, "end": 1, "time_to_first_token": -0e5, "cost": -0}}
            """);

        result.IsAccepted.Should().BeTrue();
        new[] { row.Temperature, row.TtftSeconds, row.LoggedCostUsd }.Should().AllSatisfy(v => double.IsNegative(v!.Value).Should().BeFalse());
        row.StartedAt.Should().Be(DateTime.UnixEpoch);
    }

    // Accepted up to the year 9999, while created stops at 2999 because time zones overflow near 9999: an export in a
    // zone east of UTC then wrote a clamped, wrong instant (found by probing time zones).
    [Theory]
    [InlineData("start", "32503680000")]
    [InlineData("end", "253402300799")]
    [InlineData("start", "-1")]
    public void AStartOrEndOutsideTheYears1970To2999IsRejectedAsCreatedIs(string field, string seconds)
    {
        var (result, _) = Validate($$$"""{"created": "2024-12-18 16:40:40", "model": "m", "metrics": {"{{{field}}}": {{{seconds}}}}}""");

        result.Rejection.Should().Be(new Rejection("metrics." + field, $"is {seconds}, outside the years 1970 to 2999 that llmlog accepts (as Unix time in seconds)"));
    }

    [Fact]
    public void AStartAndEndInTheLastSecondOf2999AreKept()
    {
        var (result, row) = Validate("""{"created": "2999-12-31 23:59:59", "model": "m", "metrics": {"start": 32503679999, "end": 32503679999.5}}""");

        result.IsAccepted.Should().BeTrue();
        row.EndedAt.Should().Be(new DateTime(2999, 12, 31, 23, 59, 59, 500, DateTimeKind.Utc));
    }

    // The limit counted UTF-16 units: 257 emoji were "514 characters long" and rejected under a limit of 512 characters.
    [Fact]
    public void TheIdAndModelLengthLimitCountsCharactersNotUtf16Units()
    {
        const string Emoji = "\U0001F600"; // one character: two UTF-16 units, four bytes of UTF-8
        var longest = string.Concat(Enumerable.Repeat(Emoji, CallRecordValidator.MaxKeyLength));

        var (accepted, row) = Validate(With(c => { c["id"] = longest; c["model"] = longest; }));
        var (tooLong, _) = Validate(With(c => c["model"] = longest + Emoji));

        accepted.IsAccepted.Should().BeTrue(accepted.Rejection?.Reason);
        (row.RecordId, row.Model).Should().Be((longest, longest));
        Encoding.UTF8.GetByteCount(longest).Should().BeLessThanOrEqualTo(2_048, "a PostgreSQL index entry holds about 2,700 bytes");
        tooLong.Rejection.Should().Be(new Rejection("model", "is 513 characters long; llmlog takes model names of up to 512 characters, as the warehouse indexes them"));
    }

    [Fact]
    public void ExtraMetricsAndDeprecatedCallerFieldsAreAcceptedAndALoggedCostIsKept()
    {
        var (result, row) = Validate(With(c =>
        {
            Metrics(c)["cost"] = 0.0123;
            Metrics(c)["caller_functionname"] = "main";
            Metrics(c)["caller_lineno"] = 42;
            Metrics(c)["some_new_metric"] = 3.5;
        }));

        result.IsAccepted.Should().BeTrue();
        row.LoggedCostUsd.Should().Be(0.0123);
    }

    [Fact]
    public void ARejectedRecordCarriesTheIdItWouldHaveAsACallWhenItHasOne()
    {
        // The id a re-read compares with the calls already loaded (an older llmlog may have loaded what today's rules reject).
        var hot = With(c => c["temperature"] = 150);
        var ownId = With(c => { c["temperature"] = 150; c["id"] = "call-7"; });
        const string TwoIds = """{"created": "2024-12-18 16:40:40", "model": "m", "id": "a", "id": "b"}""";

        Validate(hot).Result.CallId.Should().Be(RecordId.OfCanonicalJson(Encoding.UTF8.GetBytes(hot.ToJsonString())));
        Validate(ownId).Result.CallId.Should().Be("call-7");
        Validate(TwoIds).Result.CallId.Should().BeNull("its id is what is wrong with it");
        Validate("{\"created\": \"2024-12-18 16:40:40\", \"model\": ").Result.CallId.Should().BeNull();
        Validate("[1, 2]").Result.CallId.Should().BeNull();
        Validate(Some.Call()).Result.CallId.Should().BeNull("an accepted record's id is on its row");
    }

    [Theory]
    [InlineData("gpt-4o-2024-11-20", "gpt-4o", "2024-11-20")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini", "2024-07-18")]
    [InlineData("claude-3-5-sonnet-20241022", "claude-3-5-sonnet", "20241022")]
    [InlineData("gpt-4-0613", "gpt-4", "0613")]
    [InlineData("gpt-4o-mini", "gpt-4o-mini", null)]
    [InlineData("o1", "o1", null)]
    public void ModelNamesSplitIntoFamilyAndVersion(string model, string family, string? version)
    {
        ModelName.Split(model).Should().Be((family, version));
    }

    // \d matched the digits of every script: "gpt-4o-٢٠٢٤-١١-٢٠" (Arabic-Indic digits) became family gpt-4o, version
    // ٢٠٢٤-١١-٢٠ (found by probing Unicode).
    [Theory]
    [InlineData("gpt-4o-\u0662\u0660\u0662\u0664-\u0661\u0661-\u0662\u0660")]
    [InlineData("claude-3-5-sonnet-\uFF12\uFF10\uFF12\uFF14\uFF11\uFF10\uFF12\uFF12")]
    [InlineData("gpt-4-\u0966\u096C\u0967\u0969")]
    public void OnlyAsciiDigitsMakeAVersion(string model)
    {
        ModelName.Split(model).Should().Be((model, (string?)null));
    }
}

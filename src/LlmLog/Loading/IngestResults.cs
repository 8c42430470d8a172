using System.Text.Json.Serialization;

namespace LlmLog.Loading;

/// <summary>What happened to one input.</summary>
public enum FileStatus
{
    /// <summary>Every record was read; accepted ones loaded, bad ones kept as rejects.</summary>
    Succeeded,

    /// <summary>A syntax error cut the input short: records before it were loaded, the rest is one reject.</summary>
    Partial,

    /// <summary>The same bytes were loaded before; nothing was read (use --force to re-read).</summary>
    Skipped,

    /// <summary>The input could not be read at all; nothing of it was loaded.</summary>
    Failed,

    /// <summary>--dry-run: validated and counted, nothing written.</summary>
    Validated,
}

/// <summary>
/// The counts for one input. <c>Read = Valid + Invalid</c> always holds, and after a load <c>Read = Loaded +
/// Duplicates + Rejected</c>; a dry run (status <see cref="FileStatus.Validated"/>) loads and keeps nothing, so
/// its Loaded and Rejected are 0.
/// </summary>
public sealed class FileResult
{
    public required string Path { get; init; }
    public FileStatus Status { get; set; }
    public string? Format { get; set; }
    public string? Sha256 { get; set; }
    public long? SizeBytes { get; set; }
    public long Read { get; set; }
    public long Loaded { get; set; }
    public long Duplicates { get; set; }
    /// <summary>Bad records kept in rejects by this run; a bad record already kept (same text) is a duplicate.</summary>
    public long Rejected { get; set; }

    /// <summary>Records of the input that failed validation, new or already kept: what --max-reject-rate measures.</summary>
    public long Invalid { get; set; }

    /// <summary>Records of the input that passed validation, loaded or found already loaded.</summary>
    public long Valid => Read - Invalid;
    public long Flagged { get; set; }
    /// <summary>
    /// Of the duplicates, those whose id was loaded with other values in the record's own fields: the call keeps the copy
    /// loaded first, and these are counted so that a changed call is not dropped without a word.
    /// </summary>
    public long DuplicatesDiffering { get; set; }

    /// <summary>The fields in which the differing duplicates differ from their calls, with how many differ in each.</summary>
    public IReadOnlyDictionary<string, long> DifferingFields { get; set; } = new Dictionary<string, long>();

    /// <summary>The id of one differing duplicate, to look up.</summary>
    public string? DifferingExampleId { get; set; }

    /// <summary>
    /// Of the duplicates, records that repeat the id of a call already loaded but fail validation: a record is judged
    /// once, so the call stays as loaded, and these are counted so that a broken copy is not passed over in silence.
    /// </summary>
    public long DuplicatesInvalid { get; set; }

    /// <summary>Records rejected before (by id) that this run loaded as calls: their rejects no longer count.</summary>
    public long RejectsNowLoaded { get; set; }
    /// <summary>Earlier runs that read this file while it was still being written (cut short, or empty), completed by this one.</summary>
    public List<long> CompletedRuns { get; } = [];
    public long? RunId { get; set; }
    public double Seconds { get; set; }
    public string? Message { get; set; }

    /// <summary>Skipped, but the run that loaded these bytes found them cut short: the file is still incomplete.</summary>
    public bool StillIncomplete { get; set; }

    /// <summary>
    /// Skipped as the bytes of a run that failed or was cut short and was resolved by hand (<c>llmlog runs resolve</c>):
    /// that run. A scheduler tells this skip from a file loaded before without reading the message (found by probing).
    /// </summary>
    public long? ResolvedRun { get; set; }

    /// <summary>
    /// The modification time (UTC, to the microsecond) of a file that could not be read at all, as stat gave it: with its
    /// size, what says a later run read the same file.
    /// </summary>
    [JsonIgnore]
    public DateTime? UnreadModifiedAt { get; set; }

    /// <summary>Skipped: the run that loaded these bytes, and how many of their records it read and rejected.</summary>
    [JsonIgnore]
    public EarlierVerdict? LoadedBefore { get; set; }

    /// <summary>Skipped, and the run that loaded it rejected more of its records than this run's --max-reject-rate allows.</summary>
    [JsonIgnore]
    public bool RejectRateExceededBefore { get; set; }
}

/// <summary>
/// What the run that first loaded a file's bytes found in them (the <c>ingest_runs</c> row), and how this run knew them
/// for those bytes: "same SHA-256", or "unchanged since: same size and modification time" when it passed the file over unread.
/// </summary>
public sealed record EarlierVerdict(long RunId, long Read, long Rejected, string KnownBy);

/// <summary>The outcome of one <c>llmlog ingest</c>: per input and in total.</summary>
public sealed class IngestSummary
{
    public required string Database { get; init; }
    public bool DryRun { get; init; }
    public List<FileResult> Files { get; } = [];

    [JsonPropertyName("read")] public long Read => Files.Sum(f => f.Read);
    [JsonPropertyName("loaded")] public long Loaded => Files.Sum(f => f.Loaded);
    [JsonPropertyName("duplicates")] public long Duplicates => Files.Sum(f => f.Duplicates);
    [JsonPropertyName("rejected")] public long Rejected => Files.Sum(f => f.Rejected);
    [JsonPropertyName("valid")] public long Valid => Files.Sum(f => f.Valid);
    [JsonPropertyName("invalid")] public long Invalid => Files.Sum(f => f.Invalid);
    [JsonPropertyName("flagged")] public long Flagged => Files.Sum(f => f.Flagged);
    public int SkippedFiles => Files.Count(f => f.Status == FileStatus.Skipped);
    public int FailedFiles => Files.Count(f => f.Status is FileStatus.Failed or FileStatus.Partial);
    public int DaysRefreshed { get; set; }
    public double Seconds { get; set; }
    [JsonIgnore] public ExitCode ExitCode { get; set; }

    [JsonPropertyName("exit_code")] public int ExitCodeNumber => (int)ExitCode;
    public string? Message { get; set; }
}

/// <summary>Progress of the input being read, for the terminal's progress line.</summary>
public readonly record struct IngestProgress(string Path, long Records, long Bytes, long? TotalBytes, TimeSpan Elapsed);

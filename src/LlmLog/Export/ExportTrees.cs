using System.Text.Json.Nodes;

namespace LlmLog.Export;

/// <summary>
/// The folders an export partitioned by day (a tree) holds. Nothing else is written into one: the tree's next export
/// refuses a file it did not write, and a write into it does not take turns with the tree's exports.
/// </summary>
public static class ExportTrees
{
    /// <summary>
    /// Refuses (exit 2) an output that lands inside a tree: <paramref name="path"/> is a file, or the folder of a tree
    /// being exported. Through its real path, so that no symbolic link, of a folder on the way or of the file
    /// itself, gets past (found by review and re-probing). Found by review: an export into a folder inside a tree, and
    /// by re-probing: a report or generated file there.
    /// </summary>
    public static void RefuseInside(string option, string path)
    {
        // Every link on the way is resolved, the output's own too: a link to a file in a day folder, or a tree's --out
        // linking to an empty day folder of another tree, wrote into that tree (found by re-probing and review).
        for (var folder = Path.GetDirectoryName(OutputFile.RealPath(path)); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var manifest = Path.TrimEndingDirectorySeparator(folder) + ".manifest.json";
            if (!IsTreeManifest(manifest)) continue;
            throw new LlmLogException(ExitCode.Usage,
                $"{option} {path} is inside {folder}, a tree that an earlier export partitioned by day ({manifest} says so); "
                + "files written into it are not the tree's, and its next export would refuse them. Choose a folder outside the tree");
        }
    }

    /// <summary>The manifest at <paramref name="path"/>, or null when there is none llmlog can read as one (not JSON, not an object).</summary>
    internal static JsonObject? Manifest(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var manifest = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            // Its properties are read on first use, where a key written twice throws (another tool's file above --out
            // stopped every export, report and generate below it, found by review).
            _ = manifest?.Count;
            return manifest;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            return null; // not a manifest llmlog can read: nothing it describes to compare or keep
        }
    }

    /// <summary>A string value as written; any other value as its JSON, so that it compares unequal rather than throwing.</summary>
    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    // Whether the file beside a folder is the manifest of a tree partitioned by day. Any other file of that name (another
    // tool's, a JSON array, one this user may not read) is not: it made the export an internal error (found by review).
    private static bool IsTreeManifest(string path)
    {
        try
        {
            return Text(Manifest(path)?["partition_by"]) == "day";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

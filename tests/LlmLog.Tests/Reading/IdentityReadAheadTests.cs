using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LlmLog.Reading;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Reading;

public class IdentityReadAheadTests
{
    private static string Sha256Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void TheIdentityReadAheadIsTheFilesSizeAndSha256()
    {
        using var dir = new TempFolder();
        var file = dir.File("a.jsonl", "{\"id\": \"a\"}\n");

        var identity = IdentityReadAhead.Start(new InputSource(file))!.Take(file);

        (identity.SizeBytes, identity.Sha256, identity.ReadOnce).Should().Be((12L, Sha256Of("{\"id\": \"a\"}\n"), (Stream?)null));
    }

    // Found by review: a file stays open from its hash to its read, and the run's first file, hashed while the warehouse
    // opens, stayed open when the run stopped before reading it (a warehouse that could not be opened).
    [Fact]
    public async Task AnIdentityReadAheadThatIsNeverTakenClosesItsFile()
    {
        using var dir = new TempFolder();
        var file = dir.File("a.jsonl", "{\"id\": \"a\"}\n");
        var ahead = IdentityReadAhead.Start(new InputSource(file))!;
        await ahead.Finished;
        IsOpenInThisProcess(file).Should().BeTrue("the file hashed stays open for its records to be read");

        ahead.Dispose();

        var clock = Stopwatch.StartNew();
        while (IsOpenInThisProcess(file) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        IsOpenInThisProcess(file).Should().BeFalse();
    }

    private static bool IsOpenInThisProcess(string file) => Directory.EnumerateFileSystemEntries("/proc/self/fd").Any(fd =>
    {
        try
        {
            return new FileInfo(fd).LinkTarget == file;
        }
        catch (IOException)
        {
            return false; // closed meanwhile
        }
    });

    // Found by review: a first file passed over unread (unchanged since its load) was hashed to its end all the same, on
    // the cores the files after it needed: 67 MB of a 70 MB file read for nothing.
    [Fact]
    public async Task AFilePassedOverUnreadStopsBeingHashed()
    {
        using var dir = new TempFolder();
        var file = dir.Combine("big.jsonl");
        using (var sparse = File.Create(file)) sparse.SetLength(4L << 30); // 4 GiB of zeros take seconds to hash
        var ahead = IdentityReadAhead.Start(new InputSource(file))!;
        await Task.Delay(200); // hashing

        ahead.Abandon(file);

        var finished = ahead.Finished;
        (await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(30)))).Should().BeSameAs(finished);
        ahead.Abandoned.Should().BeTrue();
    }

    [Fact]
    public async Task AFileRewrittenAfterItWasHashedIsHashedAgain()
    {
        // A file replaced while the warehouse opened (or while another run held the lock) must not be known by its old bytes.
        using var dir = new TempFolder();
        var file = dir.File("a.jsonl", "{\"id\": \"a\"}\n");
        var ahead = IdentityReadAhead.Start(new InputSource(file))!;
        await ahead.Finished;

        File.WriteAllText(file, "{\"id\": \"b\"}\n");
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));

        ahead.Take(file).Sha256.Should().Be(Sha256Of("{\"id\": \"b\"}\n"));
    }

    [Fact]
    public async Task AFileRemovedAfterItWasHashedFailsAsARemovedFile()
    {
        using var dir = new TempFolder();
        var file = dir.File("a.jsonl", "{\"id\": \"a\"}\n");
        var ahead = IdentityReadAhead.Start(new InputSource(file))!;
        await ahead.Finished;

        File.Delete(file);

        ahead.Invoking(a => a.Take(file)).Should().Throw<LlmLogException>()
            .Where(e => e.Code == ExitCode.InputError)
            .WithMessage("*no such file: it was removed or renamed after the run began");
    }

    [Fact]
    public void AnotherFileAskedForIsIdentifiedItself()
    {
        using var dir = new TempFolder();
        var first = dir.File("a.jsonl", "{\"id\": \"a\"}\n");
        var second = dir.File("b.jsonl", "{\"id\": \"bb\"}\n");

        var identity = IdentityReadAhead.Start(new InputSource(first))!.Take(second);

        (identity.SizeBytes, identity.Sha256, identity.ReadOnce).Should().Be((13L, Sha256Of("{\"id\": \"bb\"}\n"), (Stream?)null));
    }

    [Fact]
    public void AFifoIsLeftForItsReaderToOpen()
    {
        // Opening a FIFO waits for its writer, and its bytes can be read only once: by the reader, not by a hash.
        using var dir = new TempFolder();
        var fifo = dir.Fifo("calls.jsonl");

        IdentityReadAhead.Start(new InputSource(fifo)).Should().BeNull();
        IdentityReadAhead.Start(new InputSource(InputSource.StandardInput)).Should().BeNull();
    }
}

using System.Net.Sockets;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Warehouse;

/// <summary>The exit code a failure to reach PostgreSQL gives, which tells a scheduler whether to retry.</summary>
public class ConnectionFailureTests
{
    // As Npgsql reports a name its resolver looked up: the socket error inside its own.
    private static NpgsqlException Resolving(SocketError answer) => new("Failed to connect", new SocketException((int)answer));

    [Fact]
    public void AHostNameThatDnsSaysDoesNotExistIsAUsageError() =>
        DatabaseFailures.CodeFor(Resolving(SocketError.HostNotFound)).Should().Be(ExitCode.Usage);

    // A resolver that could not answer for now says nothing of the name: the next run may resolve it.
    [Fact]
    public void ADnsThatCannotAnswerForNowIsUnreachableAndWorthARetry() =>
        DatabaseFailures.CodeFor(Resolving(SocketError.TryAgain)).Should().Be(ExitCode.Unreachable);
}

using System.Buffers.Text;

namespace LlmLog.Generation;

/// <summary>Fast invariant formatting for the two values written on every record: created and the epoch seconds.</summary>
internal static class JsonNumbers
{
    /// <summary>Room for any non-negative long of milliseconds: 16 digits of seconds, point, 3 digits.</summary>
    public const int MaxMillisLength = 24;

    /// <summary>Writes ms as seconds with at most three decimals and no trailing zeros ("1734117012.1", "1734117012").</summary>
    /// <remarks>That is exactly the shortest round-trip text of ms / 1000.0 for any epoch in range, which is what the
    /// real exports (and Utf8JsonWriter.WriteNumber) show; a test holds the two together.</remarks>
    public static int FormatMillisAsSeconds(long ms, Span<byte> destination)
    {
        // Generated windows never start before 2023, so a negative instant is a bug, not data.
        ArgumentOutOfRangeException.ThrowIfNegative(ms);
        Utf8Formatter.TryFormat(ms / 1000, destination, out var length);

        var fraction = (int)(ms % 1000);
        if (fraction == 0)
            return length;
        destination[length++] = (byte)'.';
        destination[length++] = (byte)('0' + fraction / 100);
        if (fraction % 100 != 0)
        {
            destination[length++] = (byte)('0' + fraction / 10 % 10);
            if (fraction % 10 != 0)
                destination[length++] = (byte)('0' + fraction % 10);
        }
        return length;
    }

    /// <summary>Writes the UTC instant as "yyyy-MM-dd HH:mm:ss" (exactly 19 bytes), dropping the milliseconds.</summary>
    public static void FormatCreated(long unixMs, Span<byte> destination)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
        Digits(destination[..4], at.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), at.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), at.Day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), at.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), at.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), at.Second);
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}

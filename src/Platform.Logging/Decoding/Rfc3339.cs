namespace Platform.Logging.Decoding;

/// <summary>Parses the RFC 3339 timestamps container runtimes write (docker's <c>time</c>, CRI's first field) from UTF-8 without allocating.</summary>
/// <remarks>
/// Runtimes write nanoseconds (<c>2017-11-09T13:27:36.277747246Z</c>); <see cref="DateTimeOffset"/> holds 100 ns ticks, so the
/// value's fraction is truncated (never rounded) to 7 digits: ordering is kept and no time moves into the next tick. The exact
/// fraction comes out separately as the nanoseconds within the second (fewer digits are scaled: <c>.5</c> is 500,000,000).
/// Accepts <c>T</c>/<c>t</c>/space as separator, <c>Z</c>/<c>z</c> or a <c>±HH:MM</c> offset, and 0–9 fraction digits.
/// </remarks>
internal static class Rfc3339
{
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value) => TryParse(s, out value, out _);

    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value, out int nanosecond)
    {
        value = default;
        nanosecond = 0;
        // yyyy-MM-ddTHH:mm:ss then fraction / zone: at least 20 bytes ("...ssZ").
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        byte t = s[10];
        if (t != 'T' && t != 't' && t != ' ')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }

        int i = 19;
        int nanos = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int start = i;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (i - start == 9)
                {
                    return false;
                }

                nanos = (nanos * 10) + (s[i] - '0');
                i++;
            }

            if (i == start)
            {
                return false;
            }

            for (int digits = i - start; digits < 9; digits++)
            {
                nanos *= 10;
            }
        }

        if (i >= s.Length)
        {
            return false;
        }

        TimeSpan offset;
        byte z = s[i];
        if ((z == 'Z' || z == 'z') && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if ((z == '+' || z == '-') && i + 6 == s.Length && s[i + 3] == ':'
            && Digits(s, i + 1, 2, out int oh) && Digits(s, i + 4, 2, out int om) && oh <= 14 && om <= 59)
        {
            offset = new TimeSpan(oh, om, 0);
            if (z == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(nanos / 100);
            nanosecond = nanos;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Year 1 with a positive offset falls before DateTimeOffset.MinValue in UTC.
            return false;
        }
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}

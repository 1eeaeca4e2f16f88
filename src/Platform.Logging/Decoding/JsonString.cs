using System.Text;

namespace Platform.Logging.Decoding;

/// <summary>Unescapes JSON string contents byte-to-byte (UTF-8 in, UTF-8 out) so invalid UTF-8 survives to the one transcoding step that marks it.</summary>
internal static class JsonString
{
    /// <summary>Unescapes <paramref name="escaped"/> (the bytes between the quotes) into <paramref name="destination"/>, which must be at least as long.</summary>
    /// <remarks>An escape cut off at the end (a truncated line) is dropped; a lone or invalid <c>\u</c> surrogate becomes U+FFFD.</remarks>
    /// <returns>The number of bytes written.</returns>
    public static int Unescape(ReadOnlySpan<byte> escaped, Span<byte> destination)
    {
        int written = 0;
        while (escaped.Length > 0)
        {
            int slash = escaped.IndexOf((byte)'\\');
            if (slash < 0)
            {
                escaped.CopyTo(destination[written..]);
                return written + escaped.Length;
            }

            escaped[..slash].CopyTo(destination[written..]);
            written += slash;
            escaped = escaped[slash..];
            if (escaped.Length < 2)
            {
                return written;
            }

            byte e = escaped[1];
            switch (e)
            {
                case (byte)'n': destination[written++] = (byte)'\n'; break;
                case (byte)'t': destination[written++] = (byte)'\t'; break;
                case (byte)'r': destination[written++] = (byte)'\r'; break;
                case (byte)'b': destination[written++] = (byte)'\b'; break;
                case (byte)'f': destination[written++] = (byte)'\f'; break;
                case (byte)'u':
                    if (escaped.Length < 6 || !Hex(escaped.Slice(2, 4), out int cp))
                    {
                        return written;
                    }

                    int consumed = 6;
                    if (char.IsHighSurrogate((char)cp) && escaped.Length >= 12 && escaped[6] == '\\' && escaped[7] == 'u'
                        && Hex(escaped.Slice(8, 4), out int low) && char.IsLowSurrogate((char)low))
                    {
                        cp = char.ConvertToUtf32((char)cp, (char)low);
                        consumed = 12;
                    }
                    else if (char.IsSurrogate((char)cp))
                    {
                        cp = 0xFFFD;
                    }

                    written += new Rune(cp).EncodeToUtf8(destination[written..]);
                    escaped = escaped[consumed..];
                    continue;
                default:
                    // \" \\ \/ and anything unexpected: the escaped byte itself.
                    destination[written++] = e;
                    break;
            }

            escaped = escaped[2..];
        }

        return written;
    }

    private static bool Hex(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (byte b in hex)
        {
            int d = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (d < 0)
            {
                return false;
            }

            value = (value << 4) | d;
        }

        return true;
    }
}

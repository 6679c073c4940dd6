using System.Buffers.Text;

namespace TradSys.Engine.Fix;

/// <summary>
/// Reading and writing FIX 4.4 field values as ASCII spans, without allocation. Every reader returns false for a value
/// of the wrong format instead of throwing: a peer's garbage is an outcome (a Reject with reason 6), not an exception.
/// </summary>
public static class FixValue
{
    /// <summary>The field separator, SOH (0x01).</summary>
    public const byte Soh = 0x01;

    /// <summary>Reads a FIX int: an optional minus sign and 1 to 9 digits (so it always fits).</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> value, out int result)
    {
        result = 0;
        int i = 0;
        bool negative = false;
        if (value.Length > 0 && value[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        int digits = value.Length - i;
        if (digits is < 1 or > 9)
        {
            return false;
        }

        int n = 0;
        for (; i < value.Length; i++)
        {
            uint d = (uint)(value[i] - '0');
            if (d > 9)
            {
                return false;
            }

            n = (n * 10) + (int)d;
        }

        result = negative ? -n : n;
        return true;
    }

    /// <summary>Reads a FIX float (Qty, Price, Amt...): optional minus, digits, optional point and decimals; no exponent.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> value, out decimal result)
    {
        result = 0;
        if (!IsFloat(value))
        {
            return false;
        }

        return Utf8Parser.TryParse(value, out result, out int consumed) && consumed == value.Length;
    }

    /// <summary>Whether a value has the FIX float format: optional minus, at least one digit, at most one point.</summary>
    public static bool IsFloat(ReadOnlySpan<byte> value)
    {
        int i = value.Length > 0 && value[0] == (byte)'-' ? 1 : 0;
        bool point = false;
        int digits = 0;
        for (; i < value.Length; i++)
        {
            byte b = value[i];
            if (b == (byte)'.')
            {
                if (point)
                {
                    return false;
                }

                point = true;
            }
            else if ((uint)(b - '0') <= 9)
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        return digits > 0 && digits <= 28;
    }

    /// <summary>Reads a UTCTimestamp, <c>YYYYMMDD-HH:MM:SS</c> with an optional fraction of 3, 6 or 9 digits, as UTC.</summary>
    public static bool TryParseUtcTimestamp(ReadOnlySpan<byte> value, out DateTime result)
    {
        result = default;
        if (value.Length < 17 || value[8] != (byte)'-'
            || !TryParseDate(value[..8], out int year, out int month, out int day)
            || !TryParseTime(value[9..], out long timeTicks))
        {
            return false;
        }

        if (day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        result = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).AddTicks(timeTicks);
        return true;
    }

    /// <summary>Whether a value is a UTCTimeOnly, <c>HH:MM:SS</c> with an optional fraction of 3, 6 or 9 digits.</summary>
    public static bool IsUtcTimeOnly(ReadOnlySpan<byte> value) => TryParseTime(value, out _);

    /// <summary>Whether a value is a date, <c>YYYYMMDD</c> (UTCDateOnly, LocalMktDate).</summary>
    public static bool IsDate(ReadOnlySpan<byte> value) =>
        value.Length == 8 && TryParseDate(value, out int year, out int month, out int day) && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Whether a value is a MonthYear: <c>YYYYMM</c>, <c>YYYYMMDD</c> or <c>YYYYMMwN</c>.</summary>
    public static bool IsMonthYear(ReadOnlySpan<byte> value)
    {
        if (value.Length < 6 || !Digits(value[..6], out int yearMonth) || yearMonth % 100 is < 1 or > 12)
        {
            return false;
        }

        return value.Length == 6
            || (value.Length == 8 && Digits(value[6..], out int day) && day is >= 1 and <= 31)
            || (value.Length == 8 && value[6] == (byte)'w' && value[7] is >= (byte)'1' and <= (byte)'5');
    }

    /// <summary>Writes a UTCTimestamp with milliseconds (21 bytes) and returns the bytes written.</summary>
    public static int FormatUtcTimestamp(DateTime utc, Span<byte> destination)
    {
        if (destination.Length < 21)
        {
            ThrowHelper.ThrowArgument("A UTCTimestamp needs 21 bytes.", nameof(destination));
        }

        Write(destination, 0, utc.Year, 4);
        Write(destination, 4, utc.Month, 2);
        Write(destination, 6, utc.Day, 2);
        destination[8] = (byte)'-';
        Write(destination, 9, utc.Hour, 2);
        destination[11] = (byte)':';
        Write(destination, 12, utc.Minute, 2);
        destination[14] = (byte)':';
        Write(destination, 15, utc.Second, 2);
        destination[17] = (byte)'.';
        Write(destination, 18, utc.Millisecond, 3);
        return 21;
    }

    private static void Write(Span<byte> destination, int offset, int value, int width)
    {
        for (int i = offset + width - 1; i >= offset; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool TryParseDate(ReadOnlySpan<byte> value, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (!Digits(value[..4], out year) || !Digits(value.Slice(4, 2), out month) || !Digits(value.Slice(6, 2), out day))
        {
            return false;
        }

        return year >= 1 && month is >= 1 and <= 12 && day >= 1;
    }

    private static bool TryParseTime(ReadOnlySpan<byte> value, out long ticks)
    {
        ticks = 0;
        if (value.Length < 8 || value[2] != (byte)':' || value[5] != (byte)':'
            || !Digits(value[..2], out int hour) || !Digits(value.Slice(3, 2), out int minute) || !Digits(value.Slice(6, 2), out int second)
            || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        ticks = (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (Math.Min(second, 59) * TimeSpan.TicksPerSecond);
        if (value.Length == 8)
        {
            return true;
        }

        var fraction = value[9..];
        if (value[8] != (byte)'.' || fraction.Length is not (3 or 6 or 9) || !Digits(fraction[..3], out int millis))
        {
            return false;
        }

        for (int i = 3; i < fraction.Length; i++)
        {
            if ((uint)(fraction[i] - '0') > 9)
            {
                return false;
            }
        }

        int micros = fraction.Length >= 6 && Digits(fraction.Slice(3, 3), out int us) ? us : 0;
        ticks += (millis * TimeSpan.TicksPerMillisecond) + (micros * 10L);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> value, out int result)
    {
        result = 0;
        foreach (byte b in value)
        {
            uint d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            result = (result * 10) + (int)d;
        }

        return value.Length > 0;
    }
}

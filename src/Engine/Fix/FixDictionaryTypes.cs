namespace TradSys.Engine.Fix;

/// <summary>The FIX 4.4 data types, each with its own format check.</summary>
public enum FixFieldType
{
    /// <summary>Any characters but SOH.</summary>
    String,

    /// <summary>One character.</summary>
    Char,

    /// <summary>Y or N.</summary>
    Boolean,

    /// <summary>An integer.</summary>
    Int,

    /// <summary>A non-negative length in bytes.</summary>
    Length,

    /// <summary>A positive message sequence number (0 is allowed where FIX allows it, e.g. EndSeqNo).</summary>
    SeqNum,

    /// <summary>The count of a repeating group's instances.</summary>
    NumInGroup,

    /// <summary>A decimal number.</summary>
    Float,

    /// <summary>A quantity (a decimal).</summary>
    Qty,

    /// <summary>A price (a decimal).</summary>
    Price,

    /// <summary>An amount (a decimal).</summary>
    Amt,

    /// <summary>A UTC date and time, <c>YYYYMMDD-HH:MM:SS[.sss]</c>.</summary>
    UtcTimestamp,

    /// <summary>A UTC time, <c>HH:MM:SS[.sss]</c>.</summary>
    UtcTimeOnly,

    /// <summary>A UTC date, <c>YYYYMMDD</c>.</summary>
    UtcDateOnly,

    /// <summary>A date local to the market, <c>YYYYMMDD</c>.</summary>
    LocalMktDate,

    /// <summary><c>YYYYMM</c>, <c>YYYYMMDD</c> or <c>YYYYMMwN</c>.</summary>
    MonthYear,

    /// <summary>An ISO 4217 currency code (3 characters).</summary>
    Currency,

    /// <summary>A market identifier (ISO 10383 MIC).</summary>
    Exchange,

    /// <summary>Space-separated values, each from the field's enumeration.</summary>
    MultipleValueString,

    /// <summary>Raw data, preceded by its length field.</summary>
    Data,
}

/// <summary>A field of the dictionary: tag, name, type and (for enumerated fields) the values allowed.</summary>
public sealed class FixFieldDefinition
{
    private readonly byte[][] values;

    internal FixFieldDefinition(int tag, string name, FixFieldType type, string[] values)
    {
        Tag = tag;
        Name = name;
        Type = type;
        this.values = new byte[values.Length][];
        for (int i = 0; i < values.Length; i++)
        {
            this.values[i] = System.Text.Encoding.ASCII.GetBytes(values[i]);
        }
    }

    /// <summary>The tag number.</summary>
    public int Tag { get; }

    /// <summary>The FIX name, e.g. <c>ClOrdID</c>.</summary>
    public string Name { get; }

    /// <summary>The data type.</summary>
    public FixFieldType Type { get; }

    /// <summary>Whether the field is enumerated (only listed values are allowed).</summary>
    public bool IsEnumerated => values.Length > 0;

    /// <summary>Whether a value has the field type's format.</summary>
    /// <param name="value">The value (not empty).</param>
    public bool HasValidFormat(ReadOnlySpan<byte> value) => Type switch
    {
        FixFieldType.Char => value.Length == 1,
        FixFieldType.Boolean => value is [(byte)'Y'] or [(byte)'N'],
        FixFieldType.Int => FixValue.TryParseInt(value, out _),
        FixFieldType.Length or FixFieldType.NumInGroup or FixFieldType.SeqNum => FixValue.TryParseInt(value, out int n) && n >= 0 && value[0] != (byte)'-',
        FixFieldType.Float or FixFieldType.Qty or FixFieldType.Price or FixFieldType.Amt => FixValue.IsFloat(value),
        FixFieldType.UtcTimestamp => FixValue.TryParseUtcTimestamp(value, out _),
        FixFieldType.UtcTimeOnly => FixValue.IsUtcTimeOnly(value),
        FixFieldType.UtcDateOnly or FixFieldType.LocalMktDate => FixValue.IsDate(value),
        FixFieldType.MonthYear => FixValue.IsMonthYear(value),
        FixFieldType.Currency => value.Length == 3,
        _ => true,
    };

    /// <summary>Whether a value is one the field allows (always true for a field that is not enumerated).</summary>
    /// <param name="value">The value, well formed.</param>
    public bool IsAllowedValue(ReadOnlySpan<byte> value)
    {
        if (values.Length == 0)
        {
            return true;
        }

        if (Type != FixFieldType.MultipleValueString)
        {
            return IsListed(value);
        }

        foreach (var range in value.Split((byte)' '))
        {
            if (!IsListed(value[range]))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsListed(ReadOnlySpan<byte> value)
    {
        foreach (byte[] allowed in values)
        {
            if (value.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A member of a message or a group: a field, or a repeating group introduced by its count field.</summary>
/// <param name="Tag">The field's tag (for a group, its NumInGroup count tag).</param>
/// <param name="Required">Whether the member must be present.</param>
/// <param name="Group">The group, when the member is a repeating group.</param>
public sealed record FixMember(int Tag, bool Required, FixGroupDefinition? Group);

/// <summary>
/// A repeating group: a NumInGroup count field followed by that many instances, each starting with the delimiter (the
/// group's first field) and made of the group's members, nested groups included.
/// </summary>
public sealed class FixGroupDefinition
{
    // Indexed by tag (FIX 4.4 tags are below 1000): one array read per field instead of a search.
    private readonly bool[] tags = new bool[FixMessageDefinition.TagLimit];
    private readonly FixMember?[] byTag = new FixMember?[FixMessageDefinition.TagLimit];

    internal FixGroupDefinition(int countTag, FixMember[] members)
    {
        CountTag = countTag;
        MemberArray = members;
        DelimiterTag = members[0].Tag;
        foreach (var member in members)
        {
            tags[member.Tag] = true;
            byTag[member.Tag] = member;
            if (member.Group is { } nested)
            {
                for (int tag = 0; tag < tags.Length; tag++)
                {
                    tags[tag] |= nested.tags[tag];
                }
            }
        }
    }

    /// <summary>The NumInGroup tag that introduces the group.</summary>
    public int CountTag { get; }

    /// <summary>The tag every instance starts with.</summary>
    public int DelimiterTag { get; }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<FixMember> Members => MemberArray;

    /// <summary>The members as an array: iterated on the hot path without an enumerator allocation.</summary>
    internal FixMember[] MemberArray { get; }

    /// <summary>Whether a tag belongs to the group, or to a group nested in it.</summary>
    /// <param name="tag">The tag.</param>
    public bool Contains(int tag) => (uint)tag < (uint)tags.Length && tags[tag];

    /// <summary>The direct member with a tag, or null.</summary>
    /// <param name="tag">The tag.</param>
    public FixMember? Member(int tag) => (uint)tag < (uint)byTag.Length ? byTag[tag] : null;
}

/// <summary>A message type of the dictionary: its MsgType, name, and body members in order.</summary>
public sealed class FixMessageDefinition
{
    /// <summary>Member tags are FIX 4.4 tags, all below this; lookups index an array of this size.</summary>
    internal const int TagLimit = 1000;

    private readonly FixMember?[] byTag = new FixMember?[TagLimit];

    internal FixMessageDefinition(string msgType, string name, bool isAdmin, FixMember[] members)
    {
        MsgType = msgType;
        MsgTypeBytes = System.Text.Encoding.ASCII.GetBytes(msgType);
        Name = name;
        IsAdmin = isAdmin;
        MemberArray = members;
        foreach (var member in members)
        {
            byTag[member.Tag] = member;
        }
    }

    /// <summary>The MsgType (35) value, e.g. <c>D</c>.</summary>
    public string MsgType { get; }

    /// <summary>The MsgType as ASCII bytes.</summary>
    public ReadOnlyMemory<byte> MsgTypeBytes { get; }

    /// <summary>The FIX name, e.g. <c>NewOrderSingle</c>.</summary>
    public string Name { get; }

    /// <summary>Whether it is a session (administrative) message.</summary>
    public bool IsAdmin { get; }

    /// <summary>The body members, in order.</summary>
    public IReadOnlyList<FixMember> Members => MemberArray;

    /// <summary>The members as an array: iterated on the hot path without an enumerator allocation.</summary>
    internal FixMember[] MemberArray { get; }

    /// <summary>The top-level body member with a tag, or null when the tag is not defined for this message type there.</summary>
    /// <param name="tag">The tag.</param>
    public FixMember? Member(int tag) => (uint)tag < (uint)byTag.Length ? byTag[tag] : null;
}

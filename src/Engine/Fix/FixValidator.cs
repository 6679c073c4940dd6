namespace TradSys.Engine.Fix;

/// <summary>
/// Checks a parsed message against the data dictionary and says which reject it earns, in FIX's terms: a session Reject
/// with its SessionRejectReason (373) and RefTagID (371) for a malformed message, or a BusinessMessageReject (380) for a
/// well-formed one that cannot be used (a FIX 4.4 message type this dictionary does not support; a conditionally
/// required field missing). It never throws on the peer's bytes and allocates nothing: the tags seen are marked in two
/// preallocated stamp arrays with a generation number instead of being collected. One instance per session, not shared.
/// </summary>
/// <remarks>
/// Order of checks for each field, first failure wins: invalid tag number (0), tag without value (4), header field after the
/// body or body field after the trailer (14), tag not defined for the message type (2), tag appearing twice (13), data
/// format (6), enumerated value (5); repeating groups: first field not the delimiter (15), count not the number of
/// instances (16). Then required tags missing (1), then the business conditions.
/// </remarks>
public sealed class FixValidator
{
    private const int StampSize = 10_000;
    private static readonly FixMember TrailerField = new(FixTag.CheckSum, false, null);
    private readonly FixDataDictionary dictionary;
    private readonly int[] seen = new int[StampSize];
    private readonly int[] seenInInstance = new int[StampSize];
    private int generation;
    private int instanceGeneration;

    /// <summary>Creates a validator over a dictionary.</summary>
    /// <param name="dictionary">The dictionary; FIX 4.4's when omitted.</param>
    public FixValidator(FixDataDictionary? dictionary = null) => this.dictionary = dictionary ?? FixDataDictionary.Fix44;

    /// <summary>Validates a parsed message.</summary>
    /// <param name="message">The message (parsed successfully).</param>
    /// <returns>Valid, or the reject it earns.</returns>
    public FixValidationResult Validate(FixMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var definition = dictionary.Message(message.MsgType);
        if (definition is null)
        {
            // Neither names tag 35 in RefTagID: the reason says it (as QuickFIX answers).
            return FixDataDictionary.IsFix44MsgType(message.MsgType)
                ? FixValidationResult.BusinessReject(FixBusinessRejectReason.UnsupportedMessageType, FixValidationResult.NoTag)
                : FixValidationResult.SessionReject(FixSessionRejectReason.InvalidMsgType, FixValidationResult.NoTag);
        }

        if (++generation == int.MaxValue)
        {
            Array.Clear(seen);
            generation = 1;
        }

        const int header = 0, body = 1, trailer = 2;
        int phase = header;
        int i = 0;
        int count = message.FieldCount;
        while (i < count)
        {
            var field = message[i];
            int tag = field.Tag;
            if (!FixDataDictionary.IsKnownTagNumber(tag))
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.InvalidTagNumber, tag);
            }

            if (field.ValueLength == 0)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.TagSpecifiedWithoutValue, tag);
            }

            FixMember? member;
            if ((member = dictionary.HeaderMember(tag)) is not null)
            {
                if (phase != header)
                {
                    return FixValidationResult.SessionReject(FixSessionRejectReason.TagSpecifiedOutOfRequiredOrder, tag);
                }
            }
            else if (dictionary.IsTrailer(tag))
            {
                phase = trailer;
                member = TrailerField;
            }
            else
            {
                if (phase == trailer)
                {
                    return FixValidationResult.SessionReject(FixSessionRejectReason.TagSpecifiedOutOfRequiredOrder, tag);
                }

                phase = body;
                member = definition.Member(tag);
                if (member is null)
                {
                    return FixValidationResult.SessionReject(FixSessionRejectReason.TagNotDefinedForMessageType, tag);
                }
            }

            if (seen[tag] == generation)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.TagAppearsMoreThanOnce, tag);
            }

            seen[tag] = generation;
            var result = CheckValue(message, i);
            if (!result.IsValid)
            {
                return result;
            }

            if (member.Group is { } group)
            {
                result = ValidateGroup(message, group, ref i);
                if (!result.IsValid)
                {
                    return result;
                }

                continue;
            }

            i++;
        }

        foreach (var member in dictionary.HeaderArray)
        {
            if (member.Required && seen[member.Tag] != generation)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.RequiredTagMissing, member.Tag);
            }
        }

        foreach (var member in definition.MemberArray)
        {
            if (member.Required && seen[member.Tag] != generation)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.RequiredTagMissing, member.Tag);
            }
        }

        return CheckConditions(definition.MsgType, message);
    }

    /// <summary>Validates the group whose count field is at <paramref name="i"/>; leaves <paramref name="i"/> after the group.</summary>
    private FixValidationResult ValidateGroup(FixMessage message, FixGroupDefinition group, ref int i)
    {
        FixValue.TryParseInt(message.Value(i), out int declared);
        i++;
        int instances = 0;
        int stamp = 0;
        int count = message.FieldCount;
        while (i < count)
        {
            int tag = message[i].Tag;
            var member = group.Member(tag);
            if (tag == group.DelimiterTag)
            {
                if (instances > 0)
                {
                    var missing = RequiredMissing(group, stamp);
                    if (!missing.IsValid)
                    {
                        return missing;
                    }
                }

                instances++;
                stamp = ++instanceGeneration;
            }
            else if (member is null)
            {
                break;
            }
            else if (instances == 0)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.RepeatingGroupFieldsOutOfOrder, tag);
            }

            if (message[i].ValueLength == 0)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.TagSpecifiedWithoutValue, tag);
            }

            if (seenInInstance[tag] == stamp)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.TagAppearsMoreThanOnce, tag);
            }

            seenInInstance[tag] = stamp;
            var result = CheckValue(message, i);
            if (!result.IsValid)
            {
                return result;
            }

            if (member!.Group is { } nested)
            {
                result = ValidateGroup(message, nested, ref i);
                if (!result.IsValid)
                {
                    return result;
                }

                continue;
            }

            i++;
        }

        if (instances > 0)
        {
            var missing = RequiredMissing(group, stamp);
            if (!missing.IsValid)
            {
                return missing;
            }
        }

        return instances == declared
            ? FixValidationResult.Valid
            : FixValidationResult.SessionReject(FixSessionRejectReason.IncorrectNumInGroupCount, group.CountTag);
    }

    private FixValidationResult RequiredMissing(FixGroupDefinition group, int stamp)
    {
        foreach (var member in group.MemberArray)
        {
            if (member.Required && seenInInstance[member.Tag] != stamp)
            {
                return FixValidationResult.SessionReject(FixSessionRejectReason.RequiredTagMissing, member.Tag);
            }
        }

        return FixValidationResult.Valid;
    }

    private FixValidationResult CheckValue(FixMessage message, int index)
    {
        int tag = message[index].Tag;
        var definition = dictionary.Field(tag);
        if (definition is null)
        {
            return FixValidationResult.Valid;
        }

        var value = message.Value(index);
        if (!definition.HasValidFormat(value))
        {
            return FixValidationResult.SessionReject(FixSessionRejectReason.IncorrectDataFormat, tag);
        }

        return definition.IsAllowedValue(value)
            ? FixValidationResult.Valid
            : FixValidationResult.SessionReject(FixSessionRejectReason.ValueIsIncorrect, tag);
    }

    /// <summary>
    /// Conditions a dictionary cannot say: an order names an instrument (Symbol or SecurityID), a limit or stop-limit order a
    /// Price, a stop order a StopPx; a mass cancel or mass status request by security names the security, a mass status request by party names
    /// the party (Parties or Account); a mass status request by product, CFICode, security type or trading session names that
    /// field, and one for an underlying names UnderlyingSymbol or UnderlyingSecurityID. Each is required only by the message's own
    /// values, so its absence is a BusinessMessageReject 5 (conditionally required field missing) naming it, as for Symbol, never
    /// a session Reject 1 (a tag the dictionary requires whatever the values). Checked on the stamps already set.
    /// </summary>
    private FixValidationResult CheckConditions(string msgType, FixMessage message)
    {
        switch (msgType)
        {
            case "D" or "G":
                message.TryGetChar(FixTag.OrdType, out char ordType);
                if (ordType is '2' or '4' && seen[FixTag.Price] != generation)
                {
                    return Conditional(FixTag.Price);
                }

                if (ordType is '3' or '4' && seen[FixTag.StopPx] != generation)
                {
                    return Conditional(FixTag.StopPx);
                }

                return Instrument();
            case "F" or "H":
                return Instrument();
            case "q":
                return message.TryGetChar(FixTag.MassCancelRequestType, out char type) && type == '1' ? Instrument() : FixValidationResult.Valid;
            case "AF":
                // MassStatusReqType 1 (orders for a security) names the security; 8 (orders for a party) names the party.
                message.TryGetChar(FixTag.MassStatusReqType, out char scope);
                return scope switch
                {
                    '1' => Instrument(),
                    '8' when seen[FixTag.NoPartyIds] != generation && seen[FixTag.Account] != generation => Conditional(FixTag.NoPartyIds),
                    '2' => Present(FixTag.Product),
                    '3' => Present(FixTag.CfiCode),
                    '4' => Present(FixTag.SecurityType),
                    '5' => Present(FixTag.TradingSessionId),
                    '6' when seen[FixTag.UnderlyingSecurityId] != generation => Present(FixTag.UnderlyingSymbol),
                    _ => FixValidationResult.Valid,
                };
            default:
                return FixValidationResult.Valid;
        }
    }

    private FixValidationResult Instrument() =>
        seen[FixTag.Symbol] != generation && seen[FixTag.SecurityId] != generation ? Conditional(FixTag.Symbol) : FixValidationResult.Valid;

    private FixValidationResult Present(int tag) => seen[tag] != generation ? Conditional(tag) : FixValidationResult.Valid;

    private static FixValidationResult Conditional(int tag) =>
        FixValidationResult.BusinessReject(FixBusinessRejectReason.ConditionallyRequiredFieldMissing, tag);
}

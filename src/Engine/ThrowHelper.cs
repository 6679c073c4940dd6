using System.Diagnostics.CodeAnalysis;

namespace TradSys.Engine;

/// <summary>
/// The engine's rare programming-error throws, kept out of line so that hot methods stay small and
/// inlinable. Business outcomes never throw: they are reason codes (<see cref="RejectCode"/>).
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName) =>
        throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) =>
        throw new InvalidOperationException(message);
}

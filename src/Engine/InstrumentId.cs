namespace TradSys.Engine;

/// <summary>An instrument's dense index, 0 to N-1, assigned by the host; the engine uses it as an array index.</summary>
/// <param name="Value">The index.</param>
public readonly record struct InstrumentId(int Value);

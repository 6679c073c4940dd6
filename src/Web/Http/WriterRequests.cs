using TradSys.Web.Ordering;

namespace TradSys.Web.Http;

/// <summary>Sending a command to the single writer from an API handler.</summary>
internal static class WriterRequests
{
    /// <summary>
    /// The writer's result, or, when the journal cannot be written (or the platform is stopping), a 503 problem saying the command was not
    /// carried out (<see cref="Problems.NotCarriedOut"/>), so the handler answers it instead of failing.
    /// </summary>
    public static async Task<(SequencerResult? Result, IResult? Problem)> TrySendAsync(this OrderWriter writer, SequencerCommand command,
        CancellationToken cancellationToken)
    {
        try
        {
            return (await writer.SendAsync(command, cancellationToken), null);
        }
        catch (JournalUnavailableException ex)
        {
            return (null, Problems.NotCarriedOut(ex.Message));
        }
    }
}

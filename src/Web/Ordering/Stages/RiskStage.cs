using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The pre-trade risk stage's place in the order path: after validation, before the rule packs, run by the single writer so
/// its state includes every earlier order of the batch. NOT BUILT: buying power, order and position limits, concentration,
/// price and quantity collars, open-order limits and the kill switch are issue 15. Until then it checks nothing, passes
/// every order, and says so (<see cref="IsBuilt"/>, the admin health report, docs/architecture.md). A refusal will carry a
/// risk reason code (2xxx) and be journalled as a rejection exactly like a rule pack's Block.
/// </summary>
internal sealed class RiskStage
{
    /// <summary>False: no risk limit is checked yet.</summary>
    public bool IsBuilt => false;

    /// <summary>The risk stage's verdict on a new order: <see cref="RejectCode.None"/> passes it on.</summary>
    public RejectCode Check(OrderRecord order, Account? account, WriterBatch batch) => RejectCode.None;
}

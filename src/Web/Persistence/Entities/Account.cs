namespace TradSys.Web.Persistence.Entities;

/// <summary>A trading account: the unit that owns orders, positions and credit.</summary>
public sealed class Account
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The trader who may trade this account.</summary>
    public long OwnerUserId { get; set; }
    public ClientCategory ClientCategory { get; set; }
    public Jurisdiction Jurisdiction { get; set; }
    /// <summary>ISO 17442 legal entity identifier (20 characters), when the holder has one.</summary>
    public string? Lei { get; set; }
    /// <summary>Investor number (NIN) issued by the market's central depository.</summary>
    public string? InvestorNumber { get; set; }
    public FatcaStatus FatcaStatus { get; set; }
    public UsIndicia UsIndicia { get; set; }
    /// <summary>The W-8BEN expiry (end of the third calendar year after signing), when one is on file.</summary>
    public DateOnly? W8BenExpiresOn { get; set; }
    public bool ShariaOnly { get; set; }
    /// <summary>Pre-set credit limit (SEC 15c3-5(c)(1)(i)), in <see cref="CreditCurrency"/>.</summary>
    public decimal CreditLimit { get; set; }
    public required string CreditCurrency { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>What happens when this account's incoming order would trade with its own resting order (wash trades are market abuse).</summary>
    public SelfTradePrevention SelfTradePrevention { get; set; } = SelfTradePrevention.CancelIncoming;
}

namespace TradSys.Web.Persistence.Entities;

/// <summary>A person who uses the platform. Roles are a comma-separated subset of <see cref="Auth.Roles"/>.</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string DisplayName { get; set; }
    public required string Roles { get; set; }
    public string? PasswordHash { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Carried by every access token issued to the user (claim <c>tradsys_tv</c>); a role change, a deactivation or a password
    /// reset raises it, and tokens carrying a lower value stop working on every node (<see cref="RevocationKind.Subject"/>).
    /// </summary>
    public long TokenVersion { get; set; }

    // Who the user is for transaction reporting: RTS 22 fields 57 (investment decision) and 59 (execution within the firm)
    // identify the person by the national identifier of RTS 22 Art 6 / Annex II, or an algorithm by its id.

    /// <summary>First name(s) as on the identity document (CONCAT).</summary>
    public string? FirstName { get; set; }
    /// <summary>Surname(s) as on the identity document (CONCAT).</summary>
    public string? Surname { get; set; }
    /// <summary>Date of birth (CONCAT).</summary>
    public DateOnly? BirthDate { get; set; }
    /// <summary>Nationality, ISO 3166 alpha-2.</summary>
    public string? Nationality { get; set; }
    /// <summary>The national identifier Annex II prefers for the nationality, when on file.</summary>
    public string? NationalId { get; set; }
    /// <summary>The passport number, when on file.</summary>
    public string? PassportNumber { get; set; }
    /// <summary>For an API client that is an algorithm: its id in the firm's algorithm register (RTS 22 fields 57/59 then name the algorithm).</summary>
    public string? AlgoId { get; set; }

    public IReadOnlyList<string> RoleList() =>
        Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

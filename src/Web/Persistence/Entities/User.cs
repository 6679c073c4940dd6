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

    public IReadOnlyList<string> RoleList() =>
        Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

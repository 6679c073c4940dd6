using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace TradSys.Web.Persistence;

/// <summary>
/// EF Core indexes every foreign key's columns by convention. An index costs every insert an entry (a page written at each
/// commit on SQLite, an index tuple on PostgreSQL), and the single writer pays it for every order. A foreign key marked with
/// <see cref="WithoutIndex"/> keeps its constraint (a row cannot name a parent that does not exist) but gets no index: for a
/// reference that no query follows from the parent's side and whose parent is never deleted or re-keyed (the constraint's
/// check on the child's side is a lookup in the parent's primary key either way).
/// </summary>
internal static class UnindexedForeignKeys
{
    private const string Annotation = "TradSys:UnindexedForeignKey";

    /// <summary>Marks the property, before its relationship is configured, so the relationship's convention index is not created.</summary>
    public static PropertyBuilder<T> WithoutIndex<T>(this PropertyBuilder<T> property) => property.HasAnnotation(Annotation, true);

    /// <summary>Puts <see cref="Convention"/> in place of EF Core's foreign key index convention.</summary>
    public static void Use(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(services => new Convention(
            services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));

    /// <summary>EF Core's convention, except for a foreign key whose properties are all marked.</summary>
    private sealed class Convention(ProviderConventionSetBuilderDependencies dependencies) : ForeignKeyIndexConvention(dependencies)
    {
        protected override IConventionIndex? CreateIndex(IReadOnlyList<IConventionProperty> properties, bool unique,
            IConventionEntityTypeBuilder entityTypeBuilder) =>
            properties.All(p => p.FindAnnotation(Annotation)?.Value is true) ? null : base.CreateIndex(properties, unique, entityTypeBuilder);
    }
}

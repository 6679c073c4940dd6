using System.Linq.Expressions;
using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Rules.Tests.Compilation;

public class ExpressionSandboxTests
{
    /// <summary>
    /// Escape attempts written by an officer (or an attacker with the editor). Each must be refused at compile time
    /// with the pack, the rule and a position, whichever layer (Dynamic LINQ's config or our allowlist) stops it.
    /// </summary>
    public static TheoryData<string> Escapes() => new(
        "\"\".GetType().Assembly != null",
        "Type.GetType(\"System.IO.File\") != null",
        "new System.Net.WebClient() != null",
        "System.IO.File.ReadAllText(\"/etc/passwd\") != \"\"",
        "np(Order.ClientOrderId.GetType().Assembly) != null",
        "np(Order).GetType() != null",
        "AppDomain.CurrentDomain != null",
        "Environment.Exit(1) == null",
        "Environment.CurrentDirectory != \"\"",
        "Activator.CreateInstance(\"mscorlib\", \"System.IO.File\") != null",
        "Order.ClientOrderId.ToString().GetType().Assembly.FullName != \"\"",
        "it.GetType() != null",
        "$.GetType() != null",
        "@Mics.Select(m => m.GetType()).Any()",
        "@Mics.Any(m => m == \"XADS\")",
        "@Mics.Where(it == \"XADS\").Count() > 0",
        "Order.ClientOrderId.Normalize() != \"\"",
        "Order.ClientOrderId.Substring(1, 1) == \"\"",
        "Order.ClientOrderId[0] == 'a'",
        "Convert.ToInt32(Order.ClientOrderId) > 0",
        "Guid.NewGuid() != Guid.Empty",
        "DateTime.Now.Ticks > 0",
        "Instrument.Sharia.AsOf.AddDays(1) > Market.TradeDate",
        "Order as object != null",
        "Order is OrderView",
        "\"System.IO.File\"(Order.ClientOrderId) != null",
        "string.Concat(Order.ClientOrderId, \"x\") != \"\"",
        "Order.ClientOrderId + \"x\" != \"\"",
        // CVE-2024-51417 PoC shape (zzzprojects/System.Linq.Dynamic.Core#867): reflection over the assembly through GetType().
        "string.Join(\"\\r\\n\", GetType().Assembly.DefinedTypes.SelectMany(CustomAttributes).Select(AttributeType).Select(AssemblyQualifiedName)) != \"\"",
        "string.Join(\"\\r\\n\", Order.GetType().Assembly.DefinedTypes.Select(BaseType).Select(AssemblyQualifiedName)) != \"\"",
        // CVE-2023-32571 PoC shape (NCC Group): reach AppDomain and Process.Start through DefinedTypes and Invoke.
        "\"\".GetType().Assembly.DefinedTypes.Where(it.Name == \"AppDomain\").First().DeclaredMethods.Where(it.Name == \"CreateInstanceAndUnwrap\").First().Invoke(\"\".GetType().Assembly.DefinedTypes.Where(it.Name == \"AppDomain\").First().DeclaredProperties.Where(it.name == \"CurrentDomain\").First().GetValue(null), \"System; System.Diagnostics.Process\".Split(\";\".ToCharArray())).GetType().Assembly.DefinedTypes.Where(it.Name == \"Process\").First().DeclaredMethods.Where(it.name == \"Start\").Take(1).Last().Invoke(null, \"/bin/sh;-c id\".Split(\";\".ToCharArray())) != null");

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Escape_attempts_are_refused_with_pack_rule_and_position(string expression)
    {
        RulePackException ex = Assert.Throws<RulePackException>(() => RulePackCompiler.Compile(RulePackLoader.Parse(PackText.WithRule(expression), "draft.json"), "draft.json"));

        RulePackError error = Assert.Single(ex.Errors);
        Assert.Equal("test", error.PackId);
        Assert.Equal("TEST.RULE", error.RuleId);
        Assert.Equal("rules[0].expression", error.Location);
        Assert.True(
            error.Message.StartsWith("expression does not compile", StringComparison.Ordinal) || error.Message.StartsWith("expression leaves the sandbox", StringComparison.Ordinal),
            error.Message);
    }

    [Fact]
    public void A_lambda_refused_by_the_allowlist_reports_where_it_starts()
    {
        RulePackError error = Assert.Single(Assert.Throws<RulePackException>(() =>
            RulePackCompiler.Compile(RulePackLoader.Parse(PackText.WithRule("@Mics.Any(m => m.Length > 0)"), "d"), "d")).Errors);

        Assert.Equal("expression leaves the sandbox: method Enumerable.Any is not allowed", error.Message);
        Assert.Equal(6, error.Position);
    }

    // The allowlist must stand on its own, whatever a future Dynamic LINQ version lets through: these trees are built by hand.
    private static readonly ParameterExpression Root = Expression.Parameter(typeof(OrderContext), "ctx");

    private static Expression Order => Expression.Property(Root, nameof(OrderContext.Order));

    private static Expression ClientOrderId => Expression.Property(Order, nameof(OrderView.ClientOrderId));

    public static TheoryData<string> HandBuiltTrees() => new(
        "file call", "new object", "type constant", "static property", "invoke", "nested lambda", "type test", "type as", "GetType call", "convert to object", "array init", "foreign parameter", "assign");

    [Theory]
    [MemberData(nameof(HandBuiltTrees))]
    public void The_allowlist_refuses_hand_built_trees(string name)
    {
        Expression tree = name switch
        {
            "file call" => Expression.Call(typeof(File).GetMethod(nameof(File.Exists), [typeof(string)])!, Expression.Constant("/etc/passwd")),
            "new object" => Expression.NotEqual(Expression.New(typeof(object)), Expression.Constant(null)),
            "type constant" => Expression.NotEqual(Expression.Property(Expression.Constant(typeof(string)), nameof(Type.Assembly)), Expression.Constant(null)),
            "static property" => Expression.NotEqual(Expression.Property(null, typeof(Environment).GetProperty(nameof(Environment.CurrentDirectory))!), Expression.Constant("")),
            "invoke" => Expression.Invoke(Expression.Constant((Func<bool>)(() => true))),
            "nested lambda" => Expression.Invoke(Expression.Lambda<Func<bool>>(Expression.Constant(true))),
            "type test" => Expression.TypeIs(Order, typeof(object)),
            "type as" => Expression.NotEqual(Expression.TypeAs(Order, typeof(object)), Expression.Constant(null)),
            "GetType call" => Expression.NotEqual(Expression.Call(ClientOrderId, typeof(object).GetMethod(nameof(GetType))!), Expression.Constant(null, typeof(Type))),
            "convert to object" => Expression.NotEqual(Expression.Convert(Order, typeof(object)), Expression.Constant(null)),
            "array init" => Expression.Equal(Expression.ArrayLength(Expression.NewArrayInit(typeof(int), Expression.Constant(1))), Expression.Constant(1)),
            "foreign parameter" => Expression.Equal(Expression.Parameter(typeof(int), "x"), Expression.Constant(1)),
            "assign" => Expression.Equal(Expression.Assign(Expression.Property(Order, nameof(OrderView.Quantity)), Expression.Constant(1L)), Expression.Constant(1L)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Throws<SandboxViolationException>(() => ExpressionSandbox.Apply(tree, Root, out _));
    }

    [Fact]
    public void The_allowlist_admits_context_members_operators_and_listed_methods()
    {
        Expression tree = Expression.AndAlso(
            Expression.GreaterThan(Expression.Call(typeof(Math).GetMethod(nameof(Math.Abs), [typeof(decimal)])!, Expression.Property(Order, nameof(OrderView.Price))), Expression.Constant(1m)),
            Expression.Call(ClientOrderId, typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!, Expression.Constant("C")));

        Expression safe = ExpressionSandbox.Apply(tree, Root, out IReadOnlyList<string> paths);

        Assert.Equal(["Order.Price", "Order.ClientOrderId"], paths);
        Assert.Contains("Ordinal", safe.ToString(), StringComparison.Ordinal);
    }
}

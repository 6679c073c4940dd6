using System.Linq.Expressions;
using System.Reflection;

namespace TradSys.Rules.Compilation;

/// <summary>
/// The allowlist applied to every tree Dynamic LINQ produces, whatever the parser let through. Admitted:
/// the root parameter and property reads on the context types (plus <c>string.Length</c>); constants of
/// primitive, decimal, string, enum and DateOnly type (and the string arrays bound from list parameters);
/// arithmetic, comparison, logical and conditional operators; conversions between numeric and enum types;
/// a short list of string and Math methods; <c>Contains</c> on a bound list. Everything else (object
/// creation, arrays, other calls, invocation, nested lambdas, type tests, static members, reflection) is
/// refused. Culture-sensitive <c>StartsWith</c>/<c>EndsWith</c> are rewritten to ordinal, and list
/// <c>Contains</c> to <see cref="SandboxFunctions.Contains"/>.
/// </summary>
internal sealed class ExpressionSandbox : ExpressionVisitor
{
    private static readonly HashSet<MethodInfo> AllowedMethods = BuildAllowedMethods();

    private static readonly MethodInfo StartsWithString = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo EndsWithString = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo StartsWithOrdinal = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo EndsWithOrdinal = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo ListContains = typeof(SandboxFunctions).GetMethod(nameof(SandboxFunctions.Contains))!;

    private readonly ParameterExpression _root;
    private readonly List<string> _paths = [];

    private ExpressionSandbox(ParameterExpression root)
    {
        _root = root;
    }

    /// <summary>Checks and rewrites a body; returns the safe body and the context paths it reads.</summary>
    /// <exception cref="SandboxViolationException">The body uses something outside the allowlist.</exception>
    public static Expression Apply(Expression body, ParameterExpression root, out IReadOnlyList<string> paths)
    {
        var sandbox = new ExpressionSandbox(root);
        Expression safe = sandbox.Visit(body)!;
        paths = sandbox._paths.Distinct(StringComparer.Ordinal).ToArray();
        return safe;
    }

    public override Expression? Visit(Expression? node)
    {
        if (node is null)
        {
            return null;
        }

        switch (node.NodeType)
        {
            case ExpressionType.Parameter:
                return node == _root ? node : throw new SandboxViolationException("only the order context may be referenced; lambda parameters are not allowed", "=>");
            case ExpressionType.Constant:
                CheckConstant((ConstantExpression)node);
                return node;
            case ExpressionType.MemberAccess:
            case ExpressionType.Call:
            case ExpressionType.Conditional:
                return base.Visit(node);
            case ExpressionType.Default:
                return IsScalar(node.Type) ? node : throw new SandboxViolationException($"default of type {node.Type.Name} is not allowed", "default");
            case ExpressionType.Convert:
            case ExpressionType.ConvertChecked:
                CheckConvert((UnaryExpression)node);
                return base.Visit(node);
            case ExpressionType.Not:
            case ExpressionType.Negate:
            case ExpressionType.NegateChecked:
            case ExpressionType.UnaryPlus:
                CheckOperatorMethod(((UnaryExpression)node).Method, node.NodeType);
                return base.Visit(node);
            case ExpressionType.Add:
            case ExpressionType.AddChecked:
            case ExpressionType.Subtract:
            case ExpressionType.SubtractChecked:
            case ExpressionType.Multiply:
            case ExpressionType.MultiplyChecked:
            case ExpressionType.Divide:
            case ExpressionType.Modulo:
            case ExpressionType.And:
            case ExpressionType.Or:
            case ExpressionType.ExclusiveOr:
            case ExpressionType.AndAlso:
            case ExpressionType.OrElse:
            case ExpressionType.Equal:
            case ExpressionType.NotEqual:
            case ExpressionType.LessThan:
            case ExpressionType.LessThanOrEqual:
            case ExpressionType.GreaterThan:
            case ExpressionType.GreaterThanOrEqual:
            case ExpressionType.Coalesce:
                var binary = (BinaryExpression)node;
                CheckOperatorMethod(binary.Method, node.NodeType);
                if (binary.Conversion is not null)
                {
                    throw new SandboxViolationException("a conversion lambda is not allowed", "??");
                }

                return base.Visit(node);
            case ExpressionType.New:
                throw new SandboxViolationException($"creating objects ({node.Type.Name}) is not allowed", "new");
            case ExpressionType.NewArrayInit:
            case ExpressionType.NewArrayBounds:
                throw new SandboxViolationException("creating arrays is not allowed; use a stringList parameter", "new");
            case ExpressionType.Lambda:
            case ExpressionType.Quote:
                throw new SandboxViolationException("lambdas (Select, Where, Any ...) are not allowed", "=>");
            case ExpressionType.Invoke:
                throw new SandboxViolationException("invoking delegates is not allowed", "(");
            case ExpressionType.TypeAs:
            case ExpressionType.TypeIs:
            case ExpressionType.TypeEqual:
                throw new SandboxViolationException($"type tests and casts to {((node as TypeBinaryExpression)?.TypeOperand ?? node.Type).Name} are not allowed", "as");
            default:
                throw new SandboxViolationException($"'{node.NodeType}' expressions are not allowed", null);
        }
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        MemberInfo member = node.Member;
        if (node.Expression is null)
        {
            throw new SandboxViolationException($"static member {member.DeclaringType?.Name}.{member.Name} is not allowed", member.Name);
        }

        bool isContextProperty = member is PropertyInfo && member.DeclaringType is { } declaring && ContextTypes.Views.Contains(declaring);
        bool isStringLength = member.DeclaringType == typeof(string) && member.Name == nameof(string.Length);
        if (!isContextProperty && !isStringLength)
        {
            throw new SandboxViolationException($"member '{member.Name}' of type {member.DeclaringType?.Name} is not allowed", member.Name);
        }

        Expression inner = Visit(node.Expression)!;
        if (isContextProperty && !ContextTypes.Views.Contains(node.Type) && PathOf(node) is { } path)
        {
            _paths.Add(path);
        }

        return node.Update(inner);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        MethodInfo method = node.Method;
        if (method.IsGenericMethod && method.GetGenericMethodDefinition() == EnumerableContains)
        {
            if (node.Arguments[0] is not ConstantExpression { Value: string[] list } || node.Arguments[1].Type != typeof(string))
            {
                throw new SandboxViolationException("Contains is allowed only on a stringList parameter with a string argument", "Contains");
            }

            return Expression.Call(ListContains, Expression.Constant(list), Visit(node.Arguments[1])!);
        }

        if (!AllowedMethods.Contains(method))
        {
            throw new SandboxViolationException($"method {method.DeclaringType?.Name}.{method.Name} is not allowed", method.Name);
        }

        var call = (MethodCallExpression)base.VisitMethodCall(node);
        if (method == StartsWithString)
        {
            return Expression.Call(call.Object, StartsWithOrdinal, call.Arguments[0], Expression.Constant(StringComparison.Ordinal));
        }

        return method == EndsWithString
            ? Expression.Call(call.Object, EndsWithOrdinal, call.Arguments[0], Expression.Constant(StringComparison.Ordinal))
            : call;
    }

    protected override Expression VisitLambda<T>(Expression<T> node) =>
        throw new SandboxViolationException("lambdas (Select, Where, Any ...) are not allowed", "=>");

    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    private string? PathOf(MemberExpression node)
    {
        var names = new Stack<string>();
        Expression? current = node;
        while (current is MemberExpression m)
        {
            names.Push(m.Member.Name);
            current = m.Expression;
        }

        return current == _root ? string.Join('.', names) : null;
    }

    private static void CheckConstant(ConstantExpression node)
    {
        if (node.Value is null || IsScalar(node.Type) || node.Value is string[])
        {
            return;
        }

        throw new SandboxViolationException($"a constant of type {node.Type.Name} is not allowed", null);
    }

    private static void CheckConvert(UnaryExpression node)
    {
        if (!IsNumericOrEnum(node.Type) || !IsNumericOrEnum(node.Operand.Type))
        {
            throw new SandboxViolationException($"conversion from {node.Operand.Type.Name} to {node.Type.Name} is not allowed", null);
        }

        CheckOperatorMethod(node.Method, node.NodeType);
    }

    private static void CheckOperatorMethod(MethodInfo? method, ExpressionType nodeType)
    {
        if (method is null)
        {
            return;
        }

        Type? declaring = method.DeclaringType;
        bool allowed = method.IsStatic && method.IsSpecialName
            && (declaring == typeof(decimal) || declaring == typeof(string) || declaring == typeof(DateOnly));
        if (!allowed)
        {
            throw new SandboxViolationException($"operator {nodeType} implemented by {declaring?.Name}.{method.Name} is not allowed", null);
        }
    }

    private static bool IsScalar(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(string) || t == typeof(DateOnly);
    }

    private static bool IsNumericOrEnum(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsEnum || t == typeof(decimal) || t == typeof(int) || t == typeof(long) || t == typeof(double)
            || t == typeof(short) || t == typeof(byte) || t == typeof(float) || t == typeof(uint) || t == typeof(ulong)
            || t == typeof(ushort) || t == typeof(sbyte);
    }

    private static HashSet<MethodInfo> BuildAllowedMethods()
    {
        var set = new HashSet<MethodInfo>
        {
            typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!,
            typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!,
            typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!,
            typeof(string).GetMethod(nameof(string.Equals), [typeof(string)])!,
            typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!,
            typeof(string).GetMethod(nameof(string.IsNullOrEmpty), [typeof(string)])!,
        };
        Type[] numeric = [typeof(decimal), typeof(long), typeof(int), typeof(double)];
        string[] math = [nameof(Math.Abs), nameof(Math.Min), nameof(Math.Max), nameof(Math.Round), nameof(Math.Floor), nameof(Math.Ceiling)];
        foreach (MethodInfo m in typeof(Math).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (math.Contains(m.Name) && m.GetParameters().All(p => numeric.Contains(p.ParameterType)) && numeric.Contains(m.ReturnType))
            {
                set.Add(m);
            }
        }

        return set;
    }
}

/// <summary>An expression reached outside the sandbox; <see cref="Token"/> helps locate it in the text.</summary>
internal sealed class SandboxViolationException(string message, string? token) : Exception(message)
{
    public string? Token { get; } = token;
}

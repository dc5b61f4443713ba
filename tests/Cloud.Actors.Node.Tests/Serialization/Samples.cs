using System.Collections;
using System.Reflection;

namespace Cloud.Actors.Node.Tests.Serialization;

/// <summary>
/// A filled-in instance of any of our records, made by reflection, so a new event or message is sampled without
/// anyone writing a sample for it: the widest public constructor gets a distinct, non-default value for every
/// parameter (nested records, arrays, dictionaries, enums, nullables included), and init-only properties outside
/// it are set too. Types that cannot be made from values (actor refs, stream refs) come from <paramref name="special"/>.
/// </summary>
public sealed class Samples(Func<Type, object?> special)
{
    private int _next;

    public object Of(Type type) => Make(type, depth: 0) ?? throw new InvalidOperationException($"no sample for {type}");

    private object? Make(Type type, int depth)
    {
        if (depth > 8) throw new InvalidOperationException($"{type} nests too deeply for a sample");
        if (special(type) is { } given) return given;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Make(underlying, depth);
        var n = ++_next;
        if (type == typeof(string)) return $"s{n} ñ <&> \"q\"";
        if (type == typeof(Guid)) return new Guid(n, 0x1c, 0x2d, 0, 1, 2, 3, 4, 5, 6, 7);
        if (type == typeof(int)) return n;
        if (type == typeof(long)) return 10_000_000_000L + n;
        if (type == typeof(bool)) return n % 2 == 0;
        if (type == typeof(double)) return n + 0.5;
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)).AddTicks(n * 1_234_567);
        if (type == typeof(DateTime)) return new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(n * 1_234_567);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMilliseconds(n);
        if (type == typeof(byte[])) return new[] { (byte)n, (byte)(n + 1) };
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type.IsArray) return Array1(type.GetElementType()!, depth);
        if (type.IsGenericType && Dictionary(type) is var (key, value) && key is not null)
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value!))!;
            dictionary.Add(Make(key, depth + 1)!, Make(value!, depth + 1));
            return dictionary;
        }
        if (type.IsGenericType && Sequence(type) is { } element) return Array1(element, depth);
        return Record(type, depth);
    }

    private Array Array1(Type element, int depth)
    {
        var array = Array.CreateInstance(element, 1);
        array.SetValue(Make(element, depth + 1), 0);
        return array;
    }

    private object Record(Type type, int depth)
    {
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => p.ParameterType != type)) // not a record's copy constructor
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        if (constructor is null && !type.IsValueType) throw new InvalidOperationException($"{type} has no public constructor to sample");
        var parameters = constructor?.GetParameters() ?? [];
        var instance = constructor is null
            ? Activator.CreateInstance(type)!
            : constructor.Invoke(parameters.Select(p => Make(p.ParameterType, depth + 1)).ToArray());
        var set = parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.SetMethod is { IsPublic: true } && !set.Contains(property.Name))
                property.SetValue(instance, Make(property.PropertyType, depth + 1));
        return instance;
    }

    private static (Type? Key, Type? Value) Dictionary(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>)
            ? (type.GetGenericArguments()[0], type.GetGenericArguments()[1])
            : (null, null);
    }

    private static Type? Sequence(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>)
               || definition == typeof(IList<>) || definition == typeof(List<>)
            ? type.GetGenericArguments()[0]
            : null;
    }
}

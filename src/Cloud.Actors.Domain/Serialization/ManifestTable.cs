using System.Collections.Frozen;
using System.Runtime.Serialization;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// The short manifests (journal rows' and remote messages' type tags) of the types one assembly journals or sends
/// to other nodes. Each assembly declares all of its own in one subclass (<see cref="DomainManifests"/>,
/// ControllerManifests, ComputeManifests), named in hocon/base.conf under the JSON serializers' settings; the
/// serializers combine them. A manifest is a literal, never derived from the type's CLR name, so a record can be
/// renamed or moved without orphaning the rows and messages written under its old name; it must never change once
/// released. <c>formerly</c> lists what earlier releases wrote for the type (their CLR name, as text frozen at that
/// release), so those rows are read too.
/// </summary>
public abstract class ManifestTable
{
    private readonly Dictionary<Type, string> _manifests = new();
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);

    /// <summary>Every type with its manifest.</summary>
    public IReadOnlyDictionary<Type, string> Manifests => _manifests;

    /// <summary>Every manifest a row or message may carry, former ones included, with the type it reads as.</summary>
    public IReadOnlyDictionary<string, Type> Types => _types;

    /// <summary>Declares <typeparamref name="T"/>'s manifest, and the manifests older releases wrote for it.</summary>
    /// <exception cref="ArgumentException">The type or one of the manifests is declared already.</exception>
    protected void Add<T>(string manifest, params string[] formerly) => Add(typeof(T), manifest, formerly);

    private void Add(Type type, string manifest, IEnumerable<string> formerly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifest);
        if (!_manifests.TryAdd(type, manifest))
            throw new ArgumentException($"{type.Name} has two manifests: '{_manifests[type]}' and '{manifest}'");
        foreach (var name in formerly.Prepend(manifest))
            if (!_types.TryAdd(name, type))
                throw new ArgumentException($"Manifest '{name}' is taken twice: by {_types[name].Name} and {type.Name}");
    }

    /// <summary>All of <paramref name="tables"/> as one, with the same checks: no type or manifest twice.</summary>
    public static ManifestTable Combine(IEnumerable<ManifestTable> tables)
    {
        var combined = new CombinedManifests();
        foreach (var table in tables)
        foreach (var (type, manifest) in table._manifests)
            combined.Add(type, manifest, table._types.Where(t => t.Value == type && t.Key != manifest).Select(t => t.Key));
        return combined;
    }

    /// <summary>
    /// The tables named (by assembly-qualified type name) in a serializer's <c>manifest-tables</c> setting, combined.
    /// </summary>
    /// <exception cref="SerializationException">A name is not a loadable <see cref="ManifestTable"/>.</exception>
    public static ManifestTable Load(IEnumerable<string> tableTypes) => Combine(tableTypes.Select(name =>
    {
        var type = Type.GetType(name, throwOnError: false);
        if (type is null || !typeof(ManifestTable).IsAssignableFrom(type))
            throw new SerializationException($"manifest-tables: '{name}' is not a loadable ManifestTable");
        return (ManifestTable)Activator.CreateInstance(type)!;
    }));

    /// <summary>A read-only snapshot for the serializers' hot path.</summary>
    internal (FrozenDictionary<Type, string> Manifests, FrozenDictionary<string, Type> Types) Freeze() =>
        (_manifests.ToFrozenDictionary(), _types.ToFrozenDictionary(StringComparer.Ordinal));

    private sealed class CombinedManifests : ManifestTable;
}

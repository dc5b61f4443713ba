using Akka.Actor;
using Akka.IO;
using Akka.Serialization;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// Akka.IO.ByteString as its raw bytes (bound in hocon/base.conf). Image chunks travel as ByteStrings inside
/// stream refs; Akka has no binding for the type, and its default JSON serializer can neither write one
/// compactly nor read one back.
/// </summary>
public sealed class ByteStringSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 7_402;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => ((ByteString)obj).ToArray();

    public override object FromBinary(byte[] bytes, Type? type) => ByteString.FromBytes(bytes);
}

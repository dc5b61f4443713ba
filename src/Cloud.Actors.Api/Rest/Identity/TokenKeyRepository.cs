using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Keystone's fernet key repository, in spirit: the controller's secret key, kept in a file only its user can read
/// (<c>&lt;dir&gt;/0</c>, made on first use), seals each token's contents with AES-GCM. A token is then its own
/// record: any controller with the key validates it, and it outlives a controller restart. Without a directory
/// the key lives in memory only (tests), and a restart invalidates every token.
/// </summary>
public sealed class TokenKeyRepository
{
    /// <summary>Fernet's version byte: with the issue time's zero high bytes it makes every token start "gAAAAA", as keystone's do.</summary>
    private const byte Version = 0x80;

    private const int HeaderLength = 1 + 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const string KeyFileName = "0";

    private readonly byte[] _key;

    private TokenKeyRepository(byte[] key, string? directory)
    {
        _key = key;
        Directory = directory;
    }

    /// <summary>Where the key (and the revocation list) live; null for an in-memory key.</summary>
    public string? Directory { get; }

    public static TokenKeyRepository InMemory() => new(RandomNumberGenerator.GetBytes(32), null);

    /// <summary>Reads the key in <paramref name="directory"/>, or makes one (0600 in a 0700 directory) when there is none.</summary>
    public static TokenKeyRepository Load(string directory)
    {
        // The key's protection is its Unix file mode; the nodes run on Linux (libvirt) anyway.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("token keys are kept with Unix file modes");
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory, KeyFileName);
        if (!File.Exists(path))
        {
            // A name of its own: two controllers making the key at once must not write into one file.
            var partial = $"{path}.{Guid.NewGuid():N}.part";
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var file = new StreamWriter(partial, System.Text.Encoding.ASCII, options))
                file.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            // Two controllers starting at once on a shared directory: the first key in place wins, both use it.
            try { File.Move(partial, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { File.Delete(partial); }
        }
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((File.GetUnixFileMode(path) & others) != 0)
            throw new InvalidOperationException($"The token key {path} is readable by others than its owner; chmod 600 it (anyone who reads it can forge tokens).");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The token key {path} is not base64; remove it to have a new one made.");
        }
        if (key.Length != 32) throw new InvalidOperationException($"The token key {path} is not 32 bytes; remove it to have a new one made.");
        return new TokenKeyRepository(key, directory);
    }

    /// <summary>The token for <paramref name="payload"/>: version and issue time in clear, the payload sealed.</summary>
    public string Seal(ReadOnlySpan<byte> payload, DateTimeOffset issuedAt)
    {
        var token = new byte[HeaderLength + NonceLength + payload.Length + TagLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1, 8), issuedAt.ToUnixTimeSeconds());
        var nonce = token.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, payload, token.AsSpan(HeaderLength + NonceLength, payload.Length), token.AsSpan(token.Length - TagLength),
            token.AsSpan(0, HeaderLength));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The payload of a token this key sealed; null for anything else (another key, altered, not a token).</summary>
    public byte[]? Unseal(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length < HeaderLength + NonceLength + TagLength || bytes[0] != Version) return null;
        var payload = new byte[bytes.Length - HeaderLength - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(_key, TagLength);
            aes.Decrypt(bytes.AsSpan(HeaderLength, NonceLength), bytes.AsSpan(HeaderLength + NonceLength, payload.Length),
                bytes.AsSpan(bytes.Length - TagLength), payload, bytes.AsSpan(0, HeaderLength));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return payload;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Cloud.Actors.Api.Rest.Identity;

/// <summary>
/// Passwords are kept only as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64 salt and 32-byte hash), a format
/// Python's hashlib.pbkdf2_hmac can produce too, so an operator can make one without our tools.
/// </summary>
public static class PasswordHash
{
    private const string Scheme = "pbkdf2-sha256";

    public static string Create(string password, int iterations = 600_000)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>False for a wrong password and for a malformed hash (a user with a broken hash cannot log in).</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException) { return false; }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

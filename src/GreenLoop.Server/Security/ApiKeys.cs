using System.Security.Cryptography;
using System.Text;

namespace GreenLoop.Server.Security;

/// <summary>
/// API key text: <c>gl_</c> + an 8-character public prefix + <c>_</c> + a 32-character secret (base32, 160 random bits).
/// The prefix finds the stored key; only SHA-256 of the secret is stored. A fast hash is right here (unlike for
/// passwords): the secret is random and long, so there is nothing to guess from its hash.
/// </summary>
public static class ApiKeys
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static (string Key, string Prefix, string SecretHash) Generate()
    {
        var prefix = RandomText(8);
        var secret = RandomText(32);
        return ($"gl_{prefix}_{secret}", prefix, Hash(secret));
    }

    /// <summary>Splits a presented key into prefix and secret; false if it is not shaped like a GreenLoop key.</summary>
    public static bool TryParse(string? text, out string prefix, out string secret)
    {
        prefix = secret = "";
        if (text is null || text.Length != 3 + 8 + 1 + 32 || !text.StartsWith("gl_", StringComparison.Ordinal) || text[11] != '_') return false;
        prefix = text[3..11];
        secret = text[12..];
        return prefix.All(Alphabet.Contains) && secret.All(Alphabet.Contains);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string RandomText(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars);
    }
}

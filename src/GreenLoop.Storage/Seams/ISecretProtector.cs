namespace GreenLoop.Storage;

/// <summary>
/// Encrypts the secrets kept in stored definitions (a channel's signing secret or SMTP password, a data source's
/// password) so the database never holds them in clear. A protected value reads <c>gl-enc:v1:…</c>; a value without
/// that prefix is one written before encryption (clear) and is read as it is, then protected on its next save.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The stored form of a secret; null stays null, a value already protected is returned as it is.</summary>
    string? Protect(string? secret);

    /// <summary>The secret itself; a value that is not protected is returned as it is (written before encryption).</summary>
    string? Reveal(string? stored);
}

/// <summary>Helpers shared by the services that keep secrets in stored definitions.</summary>
public static class StoredSecrets
{
    public const string Prefix = "gl-enc:v1:";

    public static bool IsProtected(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);
}

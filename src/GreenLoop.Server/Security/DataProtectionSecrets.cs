using System.Security.Cryptography;
using GreenLoop.Storage;
using Microsoft.AspNetCore.DataProtection;

namespace GreenLoop.Server.Security;

/// <summary>
/// <see cref="ISecretProtector"/> with ASP.NET Core Data Protection (its default authenticated encryption), its key ring in <c>GreenLoop:Security:KeyDirectory</c> — outside the database, so a copy of the database
/// alone does not give the secrets away.
/// </summary>
public sealed class DataProtectionSecrets(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("GreenLoop.StoredSecrets.v1");

    public string? Protect(string? secret) =>
        secret is null || StoredSecrets.IsProtected(secret) ? secret : StoredSecrets.Prefix + _protector.Protect(secret);

    public string? Reveal(string? stored)
    {
        if (!StoredSecrets.IsProtected(stored)) return stored;
        try
        {
            return _protector.Unprotect(stored![StoredSecrets.Prefix.Length..]);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                "a stored secret cannot be decrypted: the Data Protection key ring (GreenLoop:Security:KeyDirectory) is not the one it was encrypted with; " +
                "restore that folder, or enter the secret again", ex);
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.Privacy;

/// <summary>
/// Replaces a personal identity number with a keyed HMAC-SHA-256 pseudonym (64 hex characters).
/// The same number gives the same pseudonym in every file and federation, so unique individuals
/// can be counted; without the key the pseudonym cannot be linked back to the number.
/// </summary>
public sealed class Pseudonymizer
{
    public const int MinimumKeyBytes = 32;
    private readonly byte[] _key;

    public Pseudonymizer(byte[] key)
    {
        if (key.Length < MinimumKeyBytes)
            throw new PseudonymKeyException($"The pseudonymisation key is {key.Length} bytes; at least {MinimumKeyBytes} are required.");
        _key = key.ToArray();
    }

    /// <summary>Reads a base64 key, as it is kept in configuration or Key Vault.</summary>
    public static Pseudonymizer FromBase64(string? base64Key)
    {
        if (string.IsNullOrWhiteSpace(base64Key))
            throw new PseudonymKeyException("No pseudonymisation key is configured. Participant files cannot be ingested without one.");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key.Trim());
        }
        catch (FormatException)
        {
            throw new PseudonymKeyException("The pseudonymisation key is not valid base64.");
        }
        return new Pseudonymizer(key);
    }

    public string Pseudonymize(PersonalIdentityNumber number)
    {
        using var session = Session();
        return session.Pseudonymize(number);
    }

    /// <summary>For many numbers on one thread: keeps one keyed hash instead of setting up the key for each number.</summary>
    public PseudonymSession Session() => new(IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));

    public sealed class PseudonymSession(IncrementalHash hmac) : IDisposable
    {
        public string Pseudonymize(PersonalIdentityNumber number)
        {
            Span<byte> input = stackalloc byte[12];
            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Encoding.ASCII.GetBytes(number.Normalized, input);
            hmac.AppendData(input);
            hmac.GetHashAndReset(hash);
            return Convert.ToHexStringLower(hash);
        }

        public void Dispose() => hmac.Dispose();
    }
}

public sealed class PseudonymKeyException(string message)
    : FixableException(message + $" Set {SettingName} (or {EnvironmentVariable}) to a random key of at least {Pseudonymizer.MinimumKeyBytes} bytes, base64-encoded (for example: openssl rand -base64 32). Keep it secret and stable: changing it changes every pseudonym.")
{
    /// <summary>The setting, as app settings and environment variables write it.</summary>
    public const string SettingName = "Finsam__Privacy__PseudonymKey";

    /// <summary>The earlier name, still read.</summary>
    public const string EnvironmentVariable = "FINSAM_PSEUDONYM_KEY";
}

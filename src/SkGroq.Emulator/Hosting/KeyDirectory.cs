using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary>The accepted API keys and the organization of each.</summary>
internal sealed class KeyDirectory
{
    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";
    private readonly FrozenDictionary<string, (string Key, OrganizationState Organization)> _byKey;
    private readonly FrozenDictionary<string, (string Key, OrganizationState Organization)>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public KeyDirectory(GroqEmulatorOptions options)
    {
        var byKey = new Dictionary<string, (string Key, OrganizationState Organization)>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (EmulatorOrganization organization in options.Organizations)
        {
            if (organization.ApiKeys.Count == 0)
            {
                throw new ArgumentException($"Organization '{organization.Id ?? "(unnamed)"}' has no API keys. Add at least one key to EmulatorOrganization.ApiKeys.", nameof(options));
            }

            var state = new OrganizationState(
                organization.Id ?? DeriveOrganizationId(organization.ApiKeys[0]),
                organization.Tier ?? options.Tier,
                new Dictionary<string, ModelLimits>(organization.Limits, StringComparer.Ordinal));
            foreach (string key in organization.ApiKeys)
            {
                Add(byKey, keys, key, state);
            }
        }

        foreach (string key in options.ApiKeys)
        {
            Add(byKey, keys, key, new OrganizationState(DeriveOrganizationId(key), options.Tier, FrozenDictionary<string, ModelLimits>.Empty));
        }

        if (keys.Count == 0)
        {
            Add(byKey, keys, GroqEmulatorDefaults.ApiKey, new OrganizationState(DeriveOrganizationId(GroqEmulatorDefaults.ApiKey), options.Tier, FrozenDictionary<string, ModelLimits>.Empty));
        }

        _byKey = byKey.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        Keys = keys;
    }

    public IReadOnlyList<string> Keys { get; }

    /// <summary>Finds the organization of a <c>Bearer</c> key in an <c>Authorization</c> header.</summary>
    public bool TryAuthenticate(string? authorization, [NotNullWhen(true)] out string? key, [NotNullWhen(true)] out OrganizationState? organization)
    {
        key = null;
        organization = null;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> presented = authorization.AsSpan(7).Trim();
        if (!_lookup.TryGetValue(presented, out (string Key, OrganizationState Organization) entry))
        {
            return false;
        }

        key = entry.Key;
        organization = entry.Organization;
        return true;
    }

    /// <summary>A stable organization id for a key: <c>org_01</c> and 24 Crockford base32 characters of its SHA-256.</summary>
    public static string DeriveOrganizationId(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        Span<char> id = stackalloc char[30];
        "org_01".CopyTo(id);
        for (int i = 0; i < 24; i++)
        {
            id[6 + i] = Crockford[hash[i] & 31];
        }

        return new string(id);
    }

    private static void Add(Dictionary<string, (string Key, OrganizationState Organization)> byKey, List<string> keys, string key, OrganizationState state)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Trim() != key || key.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"API key '{key}' is empty or contains spaces. Use a single token such as gsk_test_1.", nameof(key));
        }

        if (!byKey.TryAdd(key, (key, state)))
        {
            throw new ArgumentException("The same API key is configured twice; each key belongs to exactly one organization.", nameof(key));
        }

        keys.Add(key);
    }
}

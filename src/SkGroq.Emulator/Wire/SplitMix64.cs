namespace SkGroq.Emulator.Wire;

/// <summary>A tiny deterministic generator (SplitMix64): seeded text and ids without allocating a <see cref="Random"/>.</summary>
internal static class SplitMix64
{
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="bound"/>).</summary>
    public static int NextInt(ref ulong state, int bound) => (int)(Next(ref state) % (ulong)bound);
}

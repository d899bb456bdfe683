namespace GreenLoop.Demo;

/// <summary>
/// Stateless pseudo-random numbers keyed by (seed, index), so that a value depends only on what it describes (a meter
/// and a time slot) and never on the order of generation: a back-fill and a later live stream must agree exactly.
/// <see cref="string.GetHashCode()"/> is randomised per process, hence FNV-1a for the seed and SplitMix64 for the mix.
/// </summary>
internal static class DemoRandom
{
    /// <summary>A stable 64-bit seed for a name (FNV-1a over its UTF-16 code units).</summary>
    public static ulong Seed(string name)
    {
        unchecked
        {
            var hash = 14695981039346656037UL;
            foreach (var c in name)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
            return hash;
        }
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(ulong seed, long index)
    {
        unchecked
        {
            var z = seed + ((ulong)index * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }

    /// <summary>Uniform in [-1, 1).</summary>
    public static double Signed(ulong seed, long index) => (Unit(seed, index) * 2) - 1;
}

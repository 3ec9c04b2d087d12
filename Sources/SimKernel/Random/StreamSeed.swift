/// Derives the key of a random stream from (master seed, replication, stream name).
///
/// The derivation is a chain of SplitMix64 finalisers (Steele, Lea & Flood 2014; the mixer
/// Vigna recommends for seeding):
///
///     key = mix(mix(mix(masterSeed) ^ replication) ^ fnv1a64(name))
///
/// Each stream's key depends only on its own name, so adding, removing or renaming another
/// stream — or changing a policy that draws from another stream — never shifts this one.
/// Keys are 64 bits, so collisions among even millions of streams are negligible.
public enum StreamSeed {
    public static func key(masterSeed: UInt64, replication: Int, name: String) -> UInt64 {
        var h = mix(masterSeed)
        h = mix(h ^ UInt64(truncatingIfNeeded: replication))
        h = mix(h ^ fnv1a64(name))
        return h
    }

    /// SplitMix64's output function: a bijection on 64 bits with full avalanche.
    @inlinable public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes of `name`.
    public static func fnv1a64(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}

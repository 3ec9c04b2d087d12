import CGSL

/// One independent stream of random numbers for one purpose (arrivals of a class, service at
/// a lane, detection at a station...), backed by a GSL Mersenne Twister (`gsl_rng_mt19937`).
///
/// GSL seeds MT19937 from 32 bits only, which would make distinct streams collide once there
/// are tens of thousands of them. So the stream's 64-bit key (see `StreamSeed`) fills the whole
/// 624-word state through SplitMix64 — the generator then runs as GSL's own.
public final class RandomStream {
    /// The GSL generator. Sealed inside the kernel: other layers draw through the kernel's own
    /// API (`Distribution`, `uniform`, `standardNormal`, `shuffle`...); code that must call a GSL
    /// sampler directly (reference tests, benchmarks, the kernel examples) opts in with
    /// `@_spi(GSL) import SimKernel`.
    @_spi(GSL) public var rng: UnsafeMutablePointer<gsl_rng> { generator }
    @usableFromInline let generator: UnsafeMutablePointer<gsl_rng>
    public let name: String
    public let key: UInt64

    /// The stream `name` of replication `replication` under `masterSeed`.
    public convenience init(masterSeed: UInt64, replication: Int, name: String) {
        self.init(key: StreamSeed.key(masterSeed: masterSeed, replication: replication, name: name),
                  name: name)
    }

    public init(key: UInt64, name: String = "") {
        guard let r = gsl_rng_alloc(bordersim_rng_mt19937()) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        generator = r
        self.name = name
        self.key = key
        RandomStream.fillMT19937State(r, key: key)
    }

    /// A stream on another GSL generator type, seeded by GSL's own `gsl_rng_set`.
    init(generator: UnsafePointer<gsl_rng_type>, name: String) {
        guard let r = gsl_rng_alloc(generator) else { fatalError("gsl_rng_alloc failed: out of memory") }
        self.generator = r
        self.name = name
        key = 0
    }

    deinit { gsl_rng_free(generator) }

    /// 64 random bits (two 32-bit outputs of the generator).
    @inlinable @inline(__always)
    public func next64() -> UInt64 {
        UInt64(gsl_rng_get(generator)) << 32 | UInt64(gsl_rng_get(generator) & 0xFFFF_FFFF)
    }

    /// Uniform on [0, 1).
    @inlinable @inline(__always)
    public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// Uniform on (0, 1): safe for logarithms.
    @inlinable @inline(__always)
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(generator) }

    /// Exponential with the given mean (GSL's sampler).
    @inlinable @inline(__always)
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(generator, mean) }

    /// Standard normal N(0, 1) (GSL's ratio method).
    @inlinable @inline(__always)
    public func standardNormal() -> Double { gsl_ran_ugaussian(generator) }

    /// True with probability `p`.
    @inlinable @inline(__always)
    public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(generator) < p }

    /// Uniform integer in 0..<n (n ≥ 1).
    @inlinable public func index(below n: Int) -> Int {
        Int(gsl_rng_uniform_int(generator, UInt(n)))
    }

    /// GSL's MT19937 state: `struct { unsigned long mt[624]; int mti; }` (gsl/rng/mt.c).
    private static let words = 624

    private static func fillMT19937State(_ r: UnsafeMutablePointer<gsl_rng>, key: UInt64) {
        let expected = MemoryLayout<UInt>.stride * words + MemoryLayout<Int32>.stride
        precondition(gsl_rng_size(r) >= expected, "unexpected GSL mt19937 state layout")
        let state = gsl_rng_state(r)!
        let mt = state.bindMemory(to: UInt.self, capacity: words)
        var x = key
        for i in 0..<words {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            mt[i] = UInt(truncatingIfNeeded: StreamSeed.mix(x) & 0xFFFF_FFFF)
        }
        mt[0] |= 0x8000_0000   // as MT's own seeding guarantees: never the all-zero state
        // mti = N: the first draw regenerates the whole block from the state above.
        (state + MemoryLayout<UInt>.stride * words).storeBytes(of: Int32(words), as: Int32.self)
    }
}

/// The streams of one replication, created on first use by name. Each stream depends only on
/// (master seed, replication, name), so the order in which streams are first used is irrelevant.
public final class StreamFamily {
    public let masterSeed: UInt64
    public let replication: Int
    private var streams: [String: RandomStream] = [:]

    public init(masterSeed: UInt64, replication: Int) {
        self.masterSeed = masterSeed
        self.replication = replication
    }

    public func stream(_ name: String) -> RandomStream {
        if let s = streams[name] { return s }
        let s = RandomStream(masterSeed: masterSeed, replication: replication, name: name)
        streams[name] = s
        return s
    }
}

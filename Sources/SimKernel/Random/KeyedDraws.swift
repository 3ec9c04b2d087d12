#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGSL

/// Draws that belong to one entity rather than to a sequence: reseeded from (entity key,
/// purpose) before each use, so that a draw depends only on whom and what it is for. Any
/// `Distribution` samples from it as from a stream (it is a GSL generator, SplitMix64 inside).
///
/// The hot path does not go through GSL: `uniform` and `sample` run the same SplitMix64 and,
/// for the distributions the models use most (deterministic, exponential, lognormal, normal,
/// uniform), the same arithmetic as GSL's samplers, in Swift — bit for bit the numbers GSL
/// would give (`KeyedDrawsTests` checks every form against GSL), without two calls through
/// function pointers per draw. Other forms reseed the GSL generator and call GSL.
public final class KeyedDraws {
    public let stream: RandomStream

    public init() {
        stream = RandomStream(generator: bordersim_rng_keyed(), name: "keyed")
    }

    /// The generator's state for (key, purpose).
    @inlinable @inline(__always)
    public static func seed(_ key: UInt64, _ purpose: UInt64) -> UInt64 {
        StreamSeed.mix(key ^ (purpose &* 0xD1B5_4A32_D192_ED03))
    }

    /// Points the generator at the draws of `key` for `purpose`, and returns the stream.
    @inlinable @inline(__always)
    public func stream(for key: UInt64, purpose: UInt64) -> RandomStream {
        bordersim_keyed_reseed(stream.generator, Self.seed(key, purpose))
        return stream
    }

    /// A uniform on [0, 1) for (key, purpose): the generator's first output.
    @inlinable @inline(__always)
    public func uniform(_ key: UInt64, _ purpose: UInt64) -> Double {
        var s = KeyedState(Self.seed(key, purpose))
        return s.uniform()
    }

    /// A standard normal for (key, purpose), as `gsl_ran_ugaussian` draws it.
    @inlinable @inline(__always)
    public func standardNormal(_ key: UInt64, _ purpose: UInt64) -> Double {
        var s = KeyedState(Self.seed(key, purpose))
        return s.gaussian(sigma: 1)
    }

    /// One draw of `distribution` for (key, purpose).
    public func sample(_ distribution: Distribution, _ key: UInt64, _ purpose: UInt64) -> Double {
        let seed = Self.seed(key, purpose)
        var s = KeyedState(seed)
        switch distribution.form {
        case .deterministic(let value): return value
        case .exponential(let mean): return -mean * log1p(-s.uniform())       // gsl_ran_exponential
        case let .lognormal(mu, sigma, _): return s.lognormal(zeta: mu, sigma: sigma)
        case let .normal(mean, sd): return mean + s.gaussian(sigma: sd)
        case let .uniform(a, b):                                                // gsl_ran_flat
            let u = s.uniform()
            return a * (1 - u) + b * u
        default:
            bordersim_keyed_reseed(stream.generator, seed)
            return distribution.sample(stream)
        }
    }
}

/// The keyed generator's state as a value: SplitMix64 (`bordersim_keyed_next` in the C shim)
/// and the GSL samplers' arithmetic over it, operation for operation.
@usableFromInline
struct KeyedState {
    @usableFromInline var s: UInt64
    @inlinable init(_ seed: UInt64) { s = seed }

    /// `bordersim_keyed_next`: s += γ, then the SplitMix64 finaliser (`StreamSeed.mix` adds γ itself).
    @inlinable @inline(__always)
    mutating func next() -> UInt64 {
        let z = StreamSeed.mix(s)
        s = s &+ 0x9E37_79B9_7F4A_7C15
        return z
    }

    /// `gsl_rng_uniform`: the top 53 bits over 2^53.
    @inlinable @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// `gsl_rng_uniform_pos`: redrawn while 0.
    @inlinable @inline(__always)
    mutating func uniformPositive() -> Double {
        var x = uniform()
        while x == 0 { x = uniform() }
        return x
    }

    /// `gsl_ran_gaussian` (polar Box–Muller on uniform_pos; the second coordinate is returned).
    @inlinable
    mutating func gaussian(sigma: Double) -> Double {
        var x = 0.0, y = 0.0, r2 = 0.0
        repeat {
            x = -1 + 2 * uniformPositive()
            y = -1 + 2 * uniformPositive()
            r2 = x * x + y * y
        } while r2 > 1.0 || r2 == 0
        return sigma * y * (-2.0 * log(r2) / r2).squareRoot()
    }

    /// `gsl_ran_lognormal` (polar Box–Muller on uniform; the first coordinate is used).
    @inlinable
    mutating func lognormal(zeta: Double, sigma: Double) -> Double {
        var u = 0.0, v = 0.0, r2 = 0.0
        repeat {
            u = -1 + 2 * uniform()
            v = -1 + 2 * uniform()
            r2 = u * u + v * v
        } while r2 > 1.0 || r2 == 0
        let normal = u * (-2.0 * log(r2) / r2).squareRoot()
        return exp(sigma * normal + zeta)
    }
}

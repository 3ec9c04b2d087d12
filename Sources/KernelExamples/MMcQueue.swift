import CGSL
@_spi(GSL) import SimKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The M/M/c queue written directly on the kernel: Poisson arrivals at rate λ, c servers with
/// exponential service at rate μ, first come first served. It is the kernel's reference
/// model: the tests hold it to Erlang C, the benchmarks time it, and `make demo` runs it
/// until the border model lands.
public enum MMcQueue {
    public struct Parameters: Sendable {
        public var arrivalRate: Double
        public var serviceRate: Double
        public var servers: Int
        /// Stop after this many customers have arrived (whichever comes first)...
        public var maxCustomers: Int
        /// ...or at this time.
        public var horizon: Double
        /// Waits of customers arriving before this time are not counted.
        public var warmUp: Double

        public init(arrivalRate: Double, serviceRate: Double, servers: Int,
                    maxCustomers: Int = .max, horizon: Double = .infinity, warmUp: Double = 0) {
            self.arrivalRate = arrivalRate; self.serviceRate = serviceRate; self.servers = servers
            self.maxCustomers = maxCustomers; self.horizon = horizon; self.warmUp = warmUp
        }
    }

    public struct Result: Sendable {
        /// Customers whose wait was counted (arrived after warm-up and started service).
        public var customers: Int
        public var meanWait: Double
        /// Customers that arrived in all.
        public var arrivals: Int
        public var events: Int
    }

    enum Event { case arrival, departure }

    /// Mean wait in queue by Erlang C: W_q = C(c, a) / (cμ − λ), a = λ/μ.
    public static func erlangCWait(arrivalRate λ: Double, serviceRate μ: Double, servers c: Int) -> Double {
        erlangC(servers: c, offeredLoad: λ / μ) / (Double(c) * μ - λ)
    }

    /// Probability that an arrival waits (Erlang C), computed through the stable Erlang B recursion.
    public static func erlangC(servers c: Int, offeredLoad a: Double) -> Double {
        var b = 1.0
        for k in 1...c { b = a * b / (Double(k) + a * b) }
        let rho = a / Double(c)
        return b / (1 - rho + rho * b)
    }

    /// An Exp(mean) variate from the stream's GSL MT19937: −mean·log(1 − U) with U drawn as
    /// `gsl_rng_uniform` draws it. `gsl_ran_exponential` computes −mean·log1p(−U) from the
    /// same single U; MT19937's U is a multiple of 2⁻³², so 1 − U is exact and the two agree
    /// to the last bit or so — but glibc's `log` is much faster than its `log1p` (the latter
    /// was 40% of an M/M/1 run), and calling `get_double` directly, as GSL's own inline
    /// `gsl_rng_uniform` does, skips a library call per draw.
    @inline(__always)
    static func exponential(_ stream: RandomStream, mean: Double) -> Double {
        let r = stream.rng.pointee
        let u = r.type.pointee.get_double(r.state)
        return -mean * log(1 - u)
    }

    public static func run(_ p: Parameters, seed: UInt64, replication: Int) -> Result {
        let arrivals = RandomStream(masterSeed: seed, replication: replication, name: "arrivals")
        let service = RandomStream(masterSeed: seed, replication: replication, name: "service")
        let meanGap = 1 / p.arrivalRate, meanService = 1 / p.serviceRate
        var waiting = RingBuffer<Double>(capacity: 1024)   // arrival times, FIFO
        var busy = 0, arrived = 0, counted = 0
        var waitSum = 0.0

        var sim = Simulation<Event>()
        sim.schedule(.arrival, at: exponential(arrivals, mean: meanGap))
        sim.run(until: p.horizon) { sim, event in
            switch event {
            case .arrival:
                arrived += 1
                if arrived < p.maxCustomers {
                    sim.schedule(.arrival, after: exponential(arrivals, mean: meanGap))
                }
                if busy < p.servers {
                    busy += 1
                    if sim.now >= p.warmUp { counted += 1 }
                    sim.schedule(.departure, after: exponential(service, mean: meanService))
                } else {
                    waiting.append(sim.now)
                }
            case .departure:
                if waiting.isEmpty {
                    busy -= 1
                } else {
                    let arrivedAt = waiting.removeFirst()
                    if arrivedAt >= p.warmUp {
                        counted += 1
                        waitSum += sim.now - arrivedAt
                    }
                    sim.schedule(.departure, after: exponential(service, mean: meanService))
                }
            }
        }
        return Result(customers: counted, meanWait: counted > 0 ? waitSum / Double(counted) : 0,
                      arrivals: arrived, events: sim.firedCount)
    }
}

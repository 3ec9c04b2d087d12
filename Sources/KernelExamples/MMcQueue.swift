import SimKernel

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

    public static func run(_ p: Parameters, seed: UInt64, replication: Int) -> Result {
        let arrivals = RandomStream(masterSeed: seed, replication: replication, name: "arrivals")
        let service = RandomStream(masterSeed: seed, replication: replication, name: "service")
        let meanGap = 1 / p.arrivalRate, meanService = 1 / p.serviceRate
        var waiting = RingBuffer<Double>(capacity: 1024)   // arrival times, FIFO
        var busy = 0, arrived = 0, counted = 0
        var waitSum = 0.0

        var sim = Simulation<Event>()
        sim.schedule(.arrival, at: arrivals.exponential(mean: meanGap))
        sim.run(until: p.horizon) { sim, event in
            switch event {
            case .arrival:
                arrived += 1
                if arrived < p.maxCustomers {
                    sim.schedule(.arrival, after: arrivals.exponential(mean: meanGap))
                }
                if busy < p.servers {
                    busy += 1
                    if sim.now >= p.warmUp { counted += 1 }
                    sim.schedule(.departure, after: service.exponential(mean: meanService))
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
                    sim.schedule(.departure, after: service.exponential(mean: meanService))
                }
            }
        }
        return Result(customers: counted, meanWait: counted > 0 ? waitSum / Double(counted) : 0,
                      arrivals: arrived, events: sim.firedCount)
    }
}

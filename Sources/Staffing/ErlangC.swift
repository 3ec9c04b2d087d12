import Foundation

/// The stationary M/M/c queue (Erlang C): where the search starts in each hour, and how budget
/// mode ranks the hours worth a booth. Only a starting point and a ranking — the simulation
/// decides (time-varying arrivals, queues carried across hours, non-exponential service).
public enum ErlangC {
    /// P(wait > 0) with `c` servers and offered load `a` = λ/μ (1 when c ≤ a: the queue grows).
    public static func delayProbability(servers c: Int, load a: Double) -> Double {
        guard a > 0 else { return 0 }
        guard c > 0, Double(c) > a else { return 1 }
        var b = 1.0                                   // Erlang B by its stable recursion
        for k in 1...c { b = a * b / (Double(k) + a * b) }
        let rho = a / Double(c)
        return b / (1 - rho + rho * b)
    }

    /// P(wait > t) = C(c, a)·exp(−(cμ − λ)t), for mean service `s` seconds.
    public static func shareOver(_ t: Double, servers c: Int, load a: Double, meanService s: Double) -> Double {
        guard Double(c) > a else { return a > 0 ? 1 : 0 }
        return delayProbability(servers: c, load: a) * exp(-(Double(c) - a) / s * t)
    }

    /// Mean wait (seconds); infinite when c ≤ a.
    public static func meanWait(servers c: Int, load a: Double, meanService s: Double) -> Double {
        guard a > 0 else { return 0 }
        guard Double(c) > a else { return .infinity }
        return delayProbability(servers: c, load: a) * s / (Double(c) - a)
    }

    /// The q-quantile of the wait (0 when P(wait > 0) ≤ 1 − q).
    public static func waitQuantile(_ q: Double, servers c: Int, load a: Double, meanService s: Double) -> Double {
        guard Double(c) > a else { return a > 0 ? .infinity : 0 }
        let pw = delayProbability(servers: c, load: a)
        guard pw > 1 - q else { return 0 }
        return log(pw / (1 - q)) * s / (Double(c) - a)
    }

    /// The smallest c ≥ 1 whose stationary metric meets the target, up to `limit` (nil above it).
    public static func requirement(_ metric: ServiceTarget.Metric, bound: Double, load a: Double,
                                   meanService s: Double, limit: Int) -> Int? {
        guard a > 0 else { return 0 }
        var c = max(1, Int(a.rounded(.down)) + 1)
        while c <= limit {
            let value: Double
            switch metric {
            case .p95Wait: value = waitQuantile(0.95, servers: c, load: a, meanService: s)
            case .meanWait: value = meanWait(servers: c, load: a, meanService: s)
            case .shareOver(let t): value = shareOver(t, servers: c, load: a, meanService: s)
            case .meanCrossing: value = meanWait(servers: c, load: a, meanService: s) + s
            case .capacity: value = -Double(c) / s          // a floor: handled by the caller
            }
            if metric == .capacity || value <= bound { return c }
            c += 1
        }
        return nil
    }
}

import Foundation

/// The simple predictors a simulation must beat, fitted on a fit period only and then applied
/// to any hours: a constant (the fit period's median wait), least squares on passengers per
/// booth-hour, and the pointwise-stationary Erlang-C approximation (each hour as a steady
/// M/M/c with that hour's arrival rate and booths; a fitted service time and offset).
public struct Baselines: Sendable {
    public var constant: Double
    public var intercept: Double, slope: Double
    /// Erlang C: service time (s) and additive offset (min).
    public var erlangService: Double, erlangOffset: Double

    /// Hourly inputs of a period: passengers, booths (NaN where absent) and observed waits.
    public struct Inputs {
        public var passengers: [Double], booths: [Double], wait: [Double]
        public init(_ p: ObservedPeriod) {
            passengers = p.hours.map { $0?.passengers ?? .nan }
            booths = p.hours.map { $0?.positions ?? .nan }
            wait = p.hours.map { $0?.meanWait ?? .nan }
        }
        var perBooth: [Double] { zip(passengers, booths).map { $1 > 0 ? $0 / $1 : .nan } }
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func fit(_ x: Inputs) throws -> Baselines {
        let waits = x.wait.filter(\.isFinite).sorted()
        guard waits.count >= 3 else { throw Failure(description: "the fit period has fewer than 3 hours with an observed wait") }
        let median = quantile(waits, 0.5)
        // Least squares on passengers per booth-hour.
        var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, n = 0.0
        for (u, w) in zip(x.perBooth, x.wait) where u.isFinite && w.isFinite {
            sx += u; sy += w; sxx += u * u; sxy += u * w; n += 1
        }
        let den = n * sxx - sx * sx
        let slope = den > 0 ? (n * sxy - sx * sy) / den : 0
        let intercept = n > 0 ? (sy - slope * sx) / n : median
        // Erlang C: service time on a 1-s grid, the MAE-optimal offset (median residual) for each.
        var best = (mae: Double.infinity, s: 60.0, a: 0.0)
        for s in stride(from: 5.0, through: 180, by: 1) {
            let wq = erlangWaits(x, service: s)
            let res = zip(x.wait, wq).compactMap { $0.isFinite && $1.isFinite ? $0 - $1 : nil }.sorted()
            // Saturated (ρ ≥ 1) in more than 5 % of the hours: not a usable steady-state baseline.
            guard Double(res.count) >= 0.95 * Double(waits.count) else { continue }
            let a = quantile(res, 0.5)
            let mae = res.reduce(0) { $0 + abs($1 - a) } / Double(res.count)
            if mae < best.mae { best = (mae, s, a) }
        }
        return Baselines(constant: median, intercept: intercept, slope: slope, erlangService: best.s, erlangOffset: best.a)
    }

    public func predictConstant(_ x: Inputs) -> [Double] { x.wait.map { _ in constant } }
    public func predictLeastSquares(_ x: Inputs) -> [Double] { x.perBooth.map { $0.isFinite ? intercept + slope * $0 : .nan } }
    /// NaN where the hour is saturated (arrival rate ≥ capacity: no steady state).
    public func predictErlang(_ x: Inputs) -> [Double] {
        Baselines.erlangWaits(x, service: erlangService).map { $0 + erlangOffset }
    }

    static func erlangWaits(_ x: Inputs, service s: Double) -> [Double] {
        zip(x.passengers, x.booths).map { pax, c in
            guard pax.isFinite, c.isFinite else { return .nan }
            return erlangCWait(lambda: pax / 3600, servers: Int(c.rounded()), service: s).map { $0 / 60 } ?? .nan
        }
    }

    /// Mean wait in queue (s) of M/M/c; nil when ρ ≥ 1 or c = 0 with arrivals.
    public static func erlangCWait(lambda: Double, servers c: Int, service s: Double) -> Double? {
        if lambda == 0 { return 0 }
        guard c > 0 else { return nil }
        let a = lambda * s, rho = a / Double(c)
        guard rho < 1 else { return nil }
        var b = 1.0                                    // Erlang B by the stable recursion
        for k in 1...c { b = a * b / (Double(k) + a * b) }
        let pw = b / (1 - rho * (1 - b))
        return pw * s / (Double(c) - a)
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let pos = q * Double(sorted.count - 1), i = Int(pos), f = pos - Double(i)
        return i + 1 < sorted.count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i]
    }
}

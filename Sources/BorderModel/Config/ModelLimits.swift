/// The largest model the engine accepts: beyond these, counts stop being plausible for a port
/// and start being allocation sizes that wrap or exhaust memory (issue 14). The scenario reader
/// reports them with file, line and key; `ModelCheck` is the backstop for configurations built
/// in Swift. Memory within these limits is judged by the resource budget before a run.
public enum ModelLimits {
    /// Booths of a lane, servers of a station, officers on duty, officers moved by a rule.
    public static let maxPositions = 100_000
    /// A replication's horizon: 100 years, in seconds (durations beyond it are typos).
    public static let maxDuration = 100 * 365.25 * 86_400
    /// Bins of the time series (horizon / series-bin) and queue-length samples (horizon / interval).
    public static let maxSeriesBins = 1_000_000
    public static let maxQueueSamples = 10_000_000
    /// The shortest downtime cycle on average (between-failures + repair): a clock that must advance.
    public static let minDowntimeCycle = 1.0
    /// Parties expected in one replication.
    public static let maxArrivals = 1_000_000_000.0
}

extension PortConfiguration {
    /// An upper bound on the parties one replication expects (rates at their peak over the whole
    /// horizon, batch sizes at their largest mean): what the party pool and the trace may hold.
    public var arrivalBound: Double {
        classes.reduce(0) { $0 + Self.arrivalBound(of: $1.arrivals, horizon: horizon) }
    }

    public static func arrivalBound(of a: ArrivalProcess, horizon: Double) -> Double {
        switch a {
        case .poisson(let rate): return rate * horizon
        case .profile(let p): return p.maximum * horizon
        case .timetable(let t): return Double(t.count)
        case .trace(let t): return Double(t.count)
        case .batches(let b):
            let size = Swift.max(b.size.mean.isFinite ? b.size.mean : .infinity, b.sizeMeans?.maximum ?? 0)
            switch b.times {
            case .process(let p): return arrivalBound(of: p, horizon: horizon) * size
            case .timetable(let t): return t.reduce(0) { $0 + ($1.size.map(Double.init) ?? size) }
            }
        }
    }
}

import BorderModel

/// The largest whole number each key accepts, where its reader does not say (issue 14): every
/// count that becomes an allocation size, a loop bound or an operand of integer arithmetic is
/// bounded here, so no input reaches `Int.max`. The memory a run needs within these limits is
/// judged by the resource budget (Experiments) before the run starts.
enum InputLimits {
    /// By the key's name (the last component of its path).
    static let maximumByKey: [String: Int] = [
        "seed": Int.max,                          // any non-negative 64-bit seed
        "replications": 1_000_000,
        "capacity": 100_000_000,                  // parties a lane holds
        "queue-length": 100_000_000,              // balking threshold
        "free-queue": 100_000_000,
        "raise-at": 100_000_000, "lower-at": 100_000_000,
        "max-moved": ModelLimits.maxPositions,
        "size": 10_000_000,                       // a batch's parties (timetable `size`)
        "k": 10_000,                              // Erlang stages
        "n": 10_000_000,                          // binomial trials: parties in a batch
        "points": 1_000_000, "base": 1_000_000, "count": 1_000_000,
        "skip": 1 << 24,                          // Sobol points skipped: each one is generated
    ]
    /// Any other whole number.
    static let defaultMaximum = 1_000_000_000
    /// Schedules of counts (booths, servers, officers on duty); batch sizes by hour.
    static let maxScheduleCount = ModelLimits.maxPositions
    static let maxBatchMean = 10_000_000
    /// `extra-booths`, `extra-servers`.
    static let maxOffset = ModelLimits.maxPositions

    static func maximum(for path: KeyPath) -> Int {
        guard let last = path.components.last(where: { !$0.hasPrefix("[") }) else { return defaultMaximum }
        return maximum(forKey: last)
    }

    static func maximum(forKey key: String) -> Int { maximumByKey[key] ?? defaultMaximum }

    /// A number as people read it: 100000, 1e+09, 2^63 − 1.
    static func describe(_ n: Int) -> String {
        if n == Int.max { return "9223372036854775807" }
        return String(n)
    }
}

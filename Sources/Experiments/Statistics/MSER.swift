/// MSER-5: where to truncate the start of an output series to remove its initialisation bias
/// (White 1997, "An effective truncation heuristic for bias reduction in simulation output";
/// Franklin & White 2008, "Stationarity tests and MSER-5").
///
/// The observations Y₁ … Yₙ are first averaged in non-overlapping batches of b = 5:
///
///     Zⱼ = (1/b) · Σ_{i=1..b} Y_{b(j−1)+i},   j = 1 … m,   m = ⌊n / b⌋
///
/// (a trailing incomplete batch is dropped). For each candidate truncation of d batches the
/// statistic is
///
///     MSER(d) = 1/(m − d)² · Σ_{j=d+1..m} (Zⱼ − Z̄(d))²,   Z̄(d) = 1/(m − d) · Σ_{j=d+1..m} Zⱼ
///
/// i.e. the squared standard error of the mean of what is kept (up to a constant): it falls
/// while dropping biased early batches moves Z̄ towards the steady state faster than it
/// shrinks the sample, and rises once only noise is being thrown away. The truncation point is
/// d* = argmin MSER(d) over 0 ≤ d ≤ ⌊m/2⌋ (the first half of the batches; later the statistic
/// is computed from too few batches and is unstable); ties go to the smallest d. The suggested
/// warm-up is d*·b observations. When d* lands on the search limit ⌊m/2⌋ the heuristic found
/// no point where the series settles: the series is too short for its transient, or not
/// stationary (e.g. it follows a daily profile), and the value is not a valid warm-up.
public enum MSER {
    public struct Result: Sendable, Equatable, Codable {
        /// Observations per batch (5 for MSER-5).
        public var batchSize: Int
        /// Observations in the series, and complete batches m = ⌊n / b⌋.
        public var observations: Int
        public var batches: Int
        /// d*: batches to drop, and the same in observations (d*·b).
        public var truncatedBatches: Int
        public var truncatedObservations: Int
        /// ⌊m/2⌋, the largest d searched.
        public var searchLimitBatches: Int
        /// d* = ⌊m/2⌋: no settling point found (series too short or not stationary).
        public var atSearchLimit: Bool
        /// MSER(d*).
        public var statistic: Double
        /// With observation times: the time of the first observation kept (times[d*·b]), i.e.
        /// the suggested warm-up in the series' time unit.
        public var truncationTime: Double?

        enum CodingKeys: String, CodingKey {
            case batchSize = "batch_size", observations, batches, truncatedBatches = "truncated_batches"
            case truncatedObservations = "truncated_observations", searchLimitBatches = "search_limit_batches"
            case atSearchLimit = "at_search_limit", statistic, truncationTime = "truncation_time"
        }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Fewer than `needed` observations (four batches).
        case tooShort(observations: Int, needed: Int)
        case notFinite(index: Int)
        case timesMismatch(observations: Int, times: Int)

        public var description: String {
            switch self {
            case .tooShort(let n, let needed):
                return "the series has \(n) observations; MSER needs at least \(needed) (four batches)"
            case .notFinite(let i): return "observation \(i) is not a finite number"
            case .timesMismatch(let n, let t): return "\(n) observations but \(t) times"
            }
        }
    }

    /// The MSER-b truncation point of `series` (b = `batchSize`, 5 by default). With `times`
    /// (one per observation), the result also gives the truncation as a time.
    public static func truncation(_ series: [Double], times: [Double]? = nil, batchSize: Int = 5) throws -> Result {
        precondition(batchSize >= 1, "batch size must be at least 1")
        if let times, times.count != series.count { throw Problem.timesMismatch(observations: series.count, times: times.count) }
        if let bad = series.firstIndex(where: { !$0.isFinite }) { throw Problem.notFinite(index: bad) }
        let m = series.count / batchSize
        guard m >= 4 else { throw Problem.tooShort(observations: series.count, needed: 4 * batchSize) }
        let z = (0..<m).map { j in series[(j * batchSize)..<((j + 1) * batchSize)].reduce(0, +) / Double(batchSize) }

        // Sums over the kept tail Z_{d+1..m}, from the back, so every d costs O(1). Centred on
        // the overall mean to keep the sum of squares accurate.
        let centre = z.reduce(0, +) / Double(m)
        let limit = m / 2
        var statistics = [Double](repeating: 0, count: limit + 1)
        var sum = 0.0, sumSquares = 0.0
        for j in stride(from: m - 1, through: 0, by: -1) {
            let x = z[j] - centre
            sum += x; sumSquares += x * x
            if j <= limit {
                let k = Double(m - j)
                let squares = max(0, sumSquares - sum * sum / k)   // Σ (Zⱼ − Z̄(d))²
                statistics[j] = squares / (k * k)
            }
        }
        var best = 0
        for d in 1...limit where statistics[d] < statistics[best] { best = d }
        return Result(batchSize: batchSize, observations: series.count, batches: m, truncatedBatches: best,
                      truncatedObservations: best * batchSize, searchLimitBatches: limit, atSearchLimit: best == limit,
                      statistic: statistics[best], truncationTime: times.map { $0[best * batchSize] })
    }
}

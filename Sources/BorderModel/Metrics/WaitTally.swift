/// The waits of one queue (a lane or a station, by class): the histogram of waits of parties
/// who reached service, how many waited at all, how many waited longer than each threshold,
/// and the time spent in the queue by those who gave up (reneged).
struct WaitTally {
    var histogram: LogHistogram
    /// Served parties whose wait was > 0.
    private(set) var waited = 0
    /// `beyond[k]`: served parties whose wait exceeded exactly k + 1 thresholds (one write per
    /// record); the counts over each threshold are its suffix sums (`over`).
    private var beyond: [Int]
    /// Parties who left the queue before service, and their total time in it.
    private(set) var abandoned = 0
    private(set) var abandonedWait = 0.0
    /// Ascending; the first is held apart so that most records never read the array.
    private let thresholds: [Double]
    private let firstThreshold: Double

    init(histogram: LogHistogram, thresholds: [Double]) {
        self.histogram = histogram
        self.thresholds = thresholds
        firstThreshold = thresholds.first ?? .infinity
        beyond = Array(repeating: 0, count: thresholds.count)
    }

    /// Served parties whose wait exceeded `thresholds[k]`.
    var over: [Int] {
        var total = 0
        return beyond.indices.reversed().map { k in total += beyond[k]; return total }.reversed()
    }

    /// A served party's wait.
    @inline(__always)
    mutating func record(_ wait: Double) {
        histogram.record(wait)
        guard wait > 0 else { return }
        waited &+= 1
        if wait > firstThreshold { countOver(wait) }
    }

    private mutating func countOver(_ wait: Double) {
        var k = 1
        while k < thresholds.count, wait > thresholds[k] { k &+= 1 }
        beyond[k - 1] &+= 1
    }

    mutating func recordAbandoned(after wait: Double) {
        abandoned &+= 1
        abandonedWait += wait
    }

    mutating func reset() {
        histogram.reset()
        waited = 0
        for k in beyond.indices { beyond[k] = 0 }
        abandoned = 0
        abandonedWait = 0
    }

    mutating func merge(_ other: WaitTally) {
        histogram.merge(other.histogram)
        waited += other.waited
        for k in beyond.indices { beyond[k] += other.beyond[k] }
        abandoned += other.abandoned
        abandonedWait += other.abandonedWait
    }

    /// P(wait > 0) and the share over threshold `k` of parties served (NaN: none), without the
    /// percentiles a full `summary` computes.
    var pWait: Double { ratio(waited, histogram.count) }
    func shareOver(_ k: Int) -> Double {
        var n = 0
        for j in k..<beyond.count { n += beyond[j] }
        return ratio(n, histogram.count)
    }

    var summary: WaitSummary {
        WaitSummary(histogram, waited: waited, over: over, abandoned: abandoned, abandonedWait: abandonedWait)
    }
}

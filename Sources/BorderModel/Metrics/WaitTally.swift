/// The waits of one queue (a lane or a station, by class): the histogram of waits of parties
/// who reached service, how many waited at all, how many waited longer than each threshold,
/// and the time spent in the queue by those who gave up (reneged).
struct WaitTally {
    var histogram: LogHistogram
    /// Served parties whose wait was > 0.
    private(set) var waited = 0
    /// Served parties whose wait exceeded `thresholds[k]`.
    private(set) var over: [Int]
    /// Parties who left the queue before service, and their total time in it.
    private(set) var abandoned = 0
    private(set) var abandonedWait = 0.0

    init(histogram: LogHistogram, thresholds: Int) {
        self.histogram = histogram
        over = Array(repeating: 0, count: thresholds)
    }

    /// A served party's wait. `thresholds` ascending, as configured.
    @inline(__always)
    mutating func record(_ wait: Double, thresholds: [Double]) {
        histogram.record(wait)
        guard wait > 0 else { return }
        waited &+= 1
        var k = 0
        while k < thresholds.count, wait > thresholds[k] {
            over[k] &+= 1
            k &+= 1
        }
    }

    mutating func recordAbandoned(after wait: Double) {
        abandoned &+= 1
        abandonedWait += wait
    }

    mutating func reset() {
        histogram.reset()
        waited = 0
        for k in over.indices { over[k] = 0 }
        abandoned = 0
        abandonedWait = 0
    }

    mutating func merge(_ other: WaitTally) {
        histogram.merge(other.histogram)
        waited += other.waited
        for k in over.indices { over[k] += other.over[k] }
        abandoned += other.abandoned
        abandonedWait += other.abandonedWait
    }

    var summary: WaitSummary {
        WaitSummary(histogram, waited: waited, over: over, abandoned: abandoned, abandonedWait: abandonedWait)
    }
}

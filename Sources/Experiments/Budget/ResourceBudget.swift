import BorderModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The memory a run needs, estimated from its configuration before anything is allocated, and
/// the limit it must stay under (issue 14). Long runs are fine; runs whose memory grows with an
/// input beyond what the machine has are refused up front, naming the estimate and the key that
/// drives it, instead of failing hours later (or taking the machine down).
///
/// The estimate is an upper bound in the large: the parties present at once from a fluid model
/// of the port with generous slack (`occupancyBound`: small for a port that serves what arrives,
/// however long the run; the whole arrival count when arrivals outrun service), every series
/// bin and queue sample of every replication kept until the file is written, twice (results
/// and the record), every trace row buffered.
public struct ResourceEstimate: Sendable, CustomStringConvertible {
    /// What takes memory, the key that drives it, and how many bytes.
    public struct Part: Sendable { public var what: String; public var key: String; public var bytes: Double }
    public var parts: [Part]
    public var bytes: Double { parts.reduce(0) { $0 + $1.bytes } }
    /// The largest part: what to change first.
    public var largest: Part? { parts.max { $0.bytes < $1.bytes } }
    public var description: String {
        parts.sorted { $0.bytes > $1.bytes }.prefix(3).map { "\($0.what) \(ResourceBudget.format($0.bytes)) (\($0.key))" }
            .joined(separator: ", ")
    }
}

public enum ResourceBudget {
    // Bytes per item, measured on the engine's types with some slack (debug and release alike).
    static let perParty = 256.0          // a slot of the pool, its pending events and queue entry
    static let perTraceRow = 200.0       // a party's trace row and its station visits, buffered
    static let perBinAndLane = 1_500.0   // a bin's wait histogram (305 buckets) and counters, per lane
    static let perSeriesValue = 8.0 * 2  // a value of a series, in the results and again in the record
    static let perPosition = 64.0        // a booth or a server
    static let perTableValue = 8.0 * 3   // a metric of a table row, per replication (results, record, summary)
    static let base = 64.0 * 1_048_576   // the program itself
    static let perPointConfiguration = 20_000.0   // a sweep point's model, read before the run (measured: 19 KB)

    /// Worker threads when none are given (as the replication runner chooses).
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The estimate for `replications` replications of `c`, `concurrent` of them at once, over
    /// `points` sweep points (run one after the other; their records kept), with the trace or not.
    public static func estimate(_ c: PortConfiguration, replications: Int, concurrent: Int, trace: Bool,
                                points: Int = 1) -> ResourceEstimate {
        let lanes = Double(c.lanes.count), stations = Double(c.stations.count)
        let reps = Double(max(1, replications)), inFlight = Double(max(1, min(concurrent, replications)))
        let bins = (c.horizon / c.metrics.seriesBin).rounded(.up)
        let samples = (c.horizon / c.metrics.queueSampleInterval).rounded(.up) + 1
        let parties = c.arrivalBound, present = c.occupancyBound
        let positions = c.lanes.reduce(0) { $0 + $1.booths.maximum } + c.stations.reduce(0) { $0 + $1.servers.maximum }
        let seriesColumns = lanes * (10 + Double(c.metrics.waitThresholds.count)) + stations * 3 + 1
        let tableValues = tableValues(c)
        var parts: [ResourceEstimate.Part] = [
            .init(what: "party pool", key: "classes.*.arrivals against lanes.*.booths", bytes: inFlight * present * perParty),
            .init(what: "series bins", key: "horizon / metrics.series-bin",
                  bytes: inFlight * bins * lanes * perBinAndLane + reps * bins * seriesColumns * perSeriesValue),
            .init(what: "queue samples", key: "horizon / metrics.queue-sample-interval",
                  bytes: reps * samples * (lanes + stations) * perSeriesValue),
            .init(what: "booths and servers", key: "lanes.*.booths, stations.*.servers", bytes: inFlight * positions * perPosition),
            .init(what: "replication tables", key: "replications", bytes: reps * tableValues * perTableValue),
            .init(what: "the program", key: "-", bytes: base),
        ]
        if trace {
            parts.append(.init(what: "trace buffers", key: "metrics.trace / --trace", bytes: inFlight * parties * perTraceRow))
        }
        if points > 1 {
            parts.append(.init(what: "sweep points", key: "the plan's design and parameters",
                               bytes: Double(points) * (perPointConfiguration + reps * tableValues * perTableValue)))
        }
        return ResourceEstimate(parts: parts)
    }

    /// The estimate for a sweep, from every point's own model: points run one after the other,
    /// so the largest point's run (named by `label`, e.g. its number and values) plus every point's record, kept until
    /// the file is written. A plan whose base is small but whose values make one point huge (a
    /// horizon, a series bin, an arrival rate swept) is refused before any point runs.
    public static func estimate(points: [(label: String, config: PortConfiguration)], replications: Int,
                                concurrent: Int) -> ResourceEstimate {
        let reps = Double(max(1, replications))
        var worst: (label: String, estimate: ResourceEstimate)?
        var kept = 0.0
        for (label, config) in points {
            let e = estimate(config, replications: replications, concurrent: concurrent, trace: false)
            if worst.map({ e.bytes > $0.estimate.bytes }) ?? true { worst = (label, e) }
            kept += perPointConfiguration + reps * tableValues(config) * perTableValue
        }
        var parts = (worst?.estimate.parts ?? []).filter { $0.what != "replication tables" }.map { part in
            var p = part
            if p.what != "the program", let w = worst { p.what += " at \(w.label)" }
            return p
        }
        parts.append(.init(what: "sweep points", key: "the plan's design and parameters", bytes: kept))
        return ResourceEstimate(parts: parts)
    }

    /// Values of one replication's tables: about 30 metrics per row.
    private static func tableValues(_ c: PortConfiguration) -> Double {
        let lanes = Double(c.lanes.count), stations = Double(c.stations.count), classes = Double(c.classes.count)
        return (1 + lanes * classes + lanes + classes + stations + stations * classes + Double(c.violationTypes.count)) * 30
    }

    /// The default limit: half the physical memory, and half the address-space limit when one is set.
    public static func defaultLimit() -> Double {
        let physical = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        var limit = physical > 0 ? physical / 2 : 4 * 1_073_741_824
        var rl = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &rl) == 0, rl.rlim_cur < rlim_t.max / 2 {   // RLIM_INFINITY is all ones
            limit = min(limit, Double(rl.rlim_cur) / 2)
        }
        return limit
    }

    /// `4G`, `512M`, `1.5GB`, `750MiB`, `2e9` (bytes) or `60%` (of the physical memory).
    public static func parseLimit(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let gib = 1_073_741_824.0, mib = 1_048_576.0, kib = 1024.0
        let units: [(String, Double)] = [("GIB", gib), ("MIB", mib), ("KIB", kib), ("GB", 1e9), ("MB", 1e6),
                                         ("KB", 1e3), ("G", gib), ("M", mib), ("K", kib), ("B", 1), ("%", -1)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else { return nil }
            if factor < 0 {
                guard v <= 100 else { return nil }
                return Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE))) * v / 100
            }
            return v * factor
        }
        guard let v = Double(t), v.isFinite, v > 0 else { return nil }
        return v
    }

    /// Refuses an estimate above the limit, with the estimate, its largest parts and what to change.
    public static func check(_ e: ResourceEstimate, limit: Double?, what: String) throws {
        let limit = limit ?? defaultLimit()
        if e.bytes <= limit { return }   // NaN (an input not yet checked) is refused, as unbounded
        let key = e.largest.map { " The largest part is \($0.what) (\($0.key)): change that first," } ?? ""
        throw BudgetError(description: "\(what) would need about \(format(e.bytes)) of memory, above the limit of \(format(limit)) "
                          + "(\(e)).\(key) or raise the limit with --memory-limit (default: half the physical memory).")
    }

    static func format(_ bytes: Double) -> String {
        if !bytes.isFinite { return "unbounded" }
        if bytes >= 1e15 { return String(format: "%.2g B", bytes) }
        if bytes >= 1_073_741_824 { return String(format: "%.1f GiB", bytes / 1_073_741_824) }
        return String(format: "%.0f MiB", bytes / 1_048_576)
    }
}

/// A run refused by the resource budget.
public struct BudgetError: Error, CustomStringConvertible {
    public var description: String
}

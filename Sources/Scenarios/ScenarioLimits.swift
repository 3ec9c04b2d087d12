import BorderModel
import Yams

/// Limits on what a scenario adds up to, checked once it is read (issue 14): counts after the
/// what-if knobs, series bins and queue samples from the horizon, downtime cycles that let the
/// clock advance, and the parties a replication expects. Each problem names the key that drives
/// it and the largest value accepted. Memory within these limits is the resource budget's.
struct ScenarioLimits {
    let yaml: YAMLReader
    let root: Node

    func check(_ c: PortConfiguration) {
        let most = Double(ModelLimits.maxPositions)
        for (l, lane) in c.lanes.enumerated() where lane.booths.maximum > most {
            error(["lanes", lane.name, "booths"], "expected at most \(ModelLimits.maxPositions) booths open (after what-if.booths and extra-booths), found \(count(lane.booths.maximum)) in lane \(lane.name)")
            _ = l
        }
        for station in c.stations where station.servers.maximum > most {
            error(["stations", station.name, "servers"], "expected at most \(ModelLimits.maxPositions) servers (after what-if.servers and extra-servers), found \(count(station.servers.maximum)) at station \(station.name)")
        }
        if let s = c.staffing, s.onDuty.maximum > most {
            error(["staffing", "on-duty"], "expected at most \(ModelLimits.maxPositions) officers on duty, found \(count(s.onDuty.maximum))")
        }
        let bins = (c.horizon / c.metrics.seriesBin).rounded(.up)
        if bins > Double(ModelLimits.maxSeriesBins) {
            let bare = bareNumber(["metrics", "series-bin"]).map { "; a bare number is seconds: did you mean \($0)h?" } ?? ""
            error(["metrics", "series-bin"], "expected at most \(ModelLimits.maxSeriesBins) series bins (horizon / series-bin), found \(count(bins)) (series-bin \(seconds(c.metrics.seriesBin)) over a horizon of \(seconds(c.horizon)))\(bare)", fallback: ["horizon"])
        }
        let samples = (c.horizon / c.metrics.queueSampleInterval).rounded(.up)
        if samples > Double(ModelLimits.maxQueueSamples) {
            error(["metrics", "queue-sample-interval"], "expected at most \(ModelLimits.maxQueueSamples) queue samples (horizon / queue-sample-interval), found \(count(samples))", fallback: ["horizon"])
        }
        for station in c.stations {
            guard let d = station.downtime else { continue }
            let cycle = d.timeBetweenFailures.mean + d.repairTime.mean
            if !(cycle >= ModelLimits.minDowntimeCycle) {
                error(["stations", station.name, "downtime"], "expected a downtime cycle (mean between-failures + mean repair) of at least 1 s, so the clock advances; found \(seconds(cycle)) at station \(station.name)")
            }
        }
        for cls in c.classes {
            let n = PortConfiguration.arrivalBound(of: cls.arrivals, horizon: c.horizon)
            if !(n <= ModelLimits.maxArrivals) {
                let kind = node(["classes", cls.name, "arrivals"])?.mapping?.keys.first?.scalar?.string
                error(["classes", cls.name, "arrivals"] + (kind.map { [$0] } ?? []), "expected at most \(count(ModelLimits.maxArrivals)) parties per replication, found up to \(n.isFinite ? count(n) : "infinitely many") for class \(cls.name) (its peak rate or batch size over the horizon)")
            }
        }
    }

    private func count(_ x: Double) -> String {
        x < 1e15 ? String(Int(x.rounded())) : String(format: "%.3g", x)
    }

    private func seconds(_ s: Double) -> String { s >= 1 && s < 1e12 ? "\(String(format: "%g", s)) s" : String(format: "%.3g s", s) }

    /// The number written, when the key holds a bare number (no unit).
    private func bareNumber(_ path: [String]) -> String? {
        guard let t = node(path)?.scalar?.string, let (n, unit) = Units.split(t), unit.isEmpty else { return nil }
        return String(format: "%g", n)
    }

    private func error(_ path: [String], _ message: String, fallback: [String]? = nil) {
        var at = path
        if node(path) == nil, let fallback, node(fallback) != nil { at = fallback }
        yaml.error(node(at) ?? nearest(at), KeyPath(components: at), message)
    }

    /// The node at a key path of the (overridden) document, if it is there.
    private func node(_ path: [String]) -> Node? {
        var current: Node? = root
        for key in path {
            guard case .mapping(let m)? = current else { return nil }
            current = m[key]
        }
        return current
    }

    /// The deepest node that exists along the path (for a line number).
    private func nearest(_ path: [String]) -> Node? {
        for n in stride(from: path.count, through: 0, by: -1) {
            if let found = node(Array(path.prefix(n))) { return found }
        }
        return root
    }
}

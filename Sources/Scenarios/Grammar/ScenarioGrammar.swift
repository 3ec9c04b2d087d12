import BorderModel
import Yams

/// A scenario while it is read. Its blank value holds the scenario-level defaults.
struct ScenarioDraft {
    var name = ""
    var description = ""
    var warmUp = 0.0
    var replications = 10
    var seed = 1
    var classes: [TrafficClass] = []
    var lanes: [Lane] = []
    var stations: [SecondaryStation] = []
    var targeting = TargetingPolicy()
    var referralStation: Int?
    var staffing: Staffing?
    var metrics = MetricsDraft()
    var observed: ObservedSpec?
    var intelligence: [IntelligenceSource] = []
}

struct MetricsDraft {
    var options = MetricOptions()
    var trace = false
}

/// The top level of a scenario file. Keys are read in this order, whatever their order in the
/// file: the horizon and the what-if knobs before the parts they adjust, names before references.
extension Grammar {
    static var scenario: Record<ScenarioDraft> {
        Record(help: "A border-crossing scenario for bordersim. Check a file with `bordersim validate FILE`.", blank: ScenarioDraft(), [
            .text("name", \.name, required: true, help: "Scenario name."),
            .text("description", \.description, help: "Free text."),
            .custom("horizon", required: true, ScenarioSchema.ref("duration"), help: "Length of one replication.") { r, node, path, _ in
                guard let v = r.yaml.duration(node, path) else { return false }
                r.horizon = v
                if let t = node.scalar?.string, let (n, unit) = Units.split(t), unit.isEmpty, v < 3600 {
                    r.yaml.warning(node, path, "a bare number is seconds, so the horizon is \(t) s; did you mean \(SweepPlanLoader.format(n))h?")
                }
                return true
            },
            .custom("what-if", ScenarioSchema.ref("what-if")) { r, node, path, _ in
                r.whatIf = r.readWhatIf(node, path)
                return true
            },
            .custom("warm-up", ScenarioSchema.ref("duration-or-zero"), help: "Statistics reset at this time; parties keep flowing.",
                    default: { .string(documented(duration: $0.warmUp)) }) { r, node, path, s in
                guard let v = r.yaml.duration(node, path, positive: false) else { return false }
                s.warmUp = v
                guard v < r.horizon else {
                    r.yaml.error(node, path, "expected a warm-up shorter than the horizon, found \(r.yaml.text(node, path) ?? "")")
                    return false
                }
                return true
            },
            .integer("replications", \.replications, minimum: 1, help: "Replications."),
            .integer("seed", \.seed, minimum: 0, help: "Master seed."),
            .custom("violation-types", ["type": "array", "items": ScenarioSchema.ref("text"), "uniqueItems": true],
                    help: "Names of violation types, e.g. [narcotics, undeclared-goods].") { r, node, path, _ in
                guard let items = r.yaml.list(node, path, of: "names") else { return false }
                var seen = Set<String>()
                for (i, item) in items.enumerated() {
                    guard let t = r.yaml.text(item, path.index(i)) else { continue }
                    if !seen.insert(t).inserted { r.yaml.error(item, path.index(i), "duplicate violation type '\(t)'") }
                    r.violationTypes.append(t)
                }
                return true
            },
            .custom("classes", required: true, ScenarioSchema.namedMap("class", "Traffic classes by name.", minimum: 1)) { r, node, path, s in
                s.classes = r.readNamed(node, path, what: "class", nodes: \.classNodes, names: \.classNames) { r.readClass($0, $1, $2) }
                return s.classes.count == r.classNodes.count
            },
            .custom("lanes", required: true, ScenarioSchema.namedMap("lane", "Primary lanes by name.", minimum: 1)) { r, node, path, s in
                s.lanes = r.readNamed(node, path, what: "lane", nodes: \.laneNodes, names: \.laneNames) { r.readLane($0, $1, $2) }
                return s.lanes.count == r.laneNodes.count
            },
            .custom("stations", ScenarioSchema.namedMap("station", "Secondary stations by name.", minimum: 0)) { r, node, path, s in
                s.stations = r.readNamed(node, path, what: "station", nodes: \.stationNodes, names: \.stationNames, atLeastOne: false) {
                    r.readStation($0, $1, $2)
                }
                return s.stations.count == r.stationNodes.count
            },
            .custom("intelligence", ScenarioSchema.namedMap("intelligence-source", "Intelligence sources by name, beyond each class's own risk score.", minimum: 0)) { r, node, path, s in
                guard let sources = r.readIntelligence(node, path) else { return false }
                s.intelligence = sources
                return true
            },
            .record("targeting", \.targeting, targeting),
            .custom("referral-station", ScenarioSchema.ref("text"),
                    help: "Station where referred parties go first (default: the first station).") { r, node, path, s in
                guard let v = r.yaml.reference(node, path, to: "station", in: r.stationNames) else { return false }
                s.referralStation = v
                return true
            },
            .record("staffing", \.staffing, staffing),
            .record("metrics", \.metrics, metrics),
            .custom("observed", ScenarioSchema.ref("observed")) { r, node, path, s in
                guard let o = r.readObserved(node, path) else { return false }
                s.observed = o
                return true
            },
        ])
    }

    /// `metrics`: what is measured, and how finely.
    static var metrics: Record<MetricsDraft> {
        Record(blank: MetricsDraft(), [
            .duration("queue-sample-interval", \.options.queueSampleInterval, help: "Interval of queue-length samples."),
            .duration("series-bin", \.options.seriesBin, help: "Width of the hourly series' bins."),
            .bool("trace", \.trace, help: "Per-party trace (written by --out)."),
            .custom("wait-thresholds", ["type": "array", "maxItems": 20, "items": ScenarioSchema.ref("duration")],
                    help: "Shares of waits over these are reported.",
                    default: { .array($0.options.waitThresholds.map { .string(documented(duration: $0)) }) }) { r, node, path, m in
                guard let items = r.yaml.list(node, path, of: "durations") else { return false }
                let values = items.enumerated().compactMap { r.yaml.duration($1, path.index($0)) }
                guard values.count == items.count else { return false }
                guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }), values.allSatisfy({ $0 > 0 }), values.count <= 20 else {
                    r.yaml.error(node, path, "expected at most 20 increasing durations > 0")
                    return false
                }
                m.options.waitThresholds = values
                return true
            },
        ])
    }
}

import BorderModel
import Foundation
import SimKernel
import Yams

/// Turns the YAML node tree of a scenario into a `Scenario`, collecting every problem. The keys,
/// their kinds, ranges and defaults are declared once in `Grammar`; this class holds what the
/// declared readers share while a file is read (names for references, the horizon, what-if).
final class ScenarioReader {
    let yaml: YAMLReader
    var horizon = 86_400.0
    var classNames: [String] = []
    var laneNames: [String] = []
    var stationNames: [String] = []
    var violationTypes: [String] = []
    var classNodes: [(name: String, key: Node, value: Node)] = []
    var laneNodes: [(name: String, key: Node, value: Node)] = []
    var stationNodes: [(name: String, key: Node, value: Node)] = []
    /// The `what-if:` knobs, read before the model so that each part is adjusted as it is read.
    var whatIf = WhatIf()

    static var topKeys: [String] { Grammar.scenario.keys }

    init(yaml: YAMLReader) { self.yaml = yaml }

    func durations() -> DistributionReader { DistributionReader(yaml: yaml, kind: .duration) }
    func schedule() -> ProfileReader { ProfileReader(yaml: yaml, kind: .count, horizon: horizon) }

    func read(_ root: Node, source: String, resolved: String, path: String) -> Scenario? {
        var s = Grammar.scenario.blank
        let ok = Grammar.scenario.read(self, root, KeyPath(), into: &s)
        guard ok, !yaml.hasErrors else { return nil }
        let f = YAMLReader.Fields(node: root, path: KeyPath(), values: [:])
        var referral = s.referralStation
        if referral == nil, !stationNames.isEmpty { referral = 0 }
        var config = PortConfiguration(name: s.name, horizon: horizon, warmUp: s.warmUp, violationTypes: violationTypes,
                                       classes: s.classes, lanes: s.lanes, targeting: s.targeting, stations: s.stations,
                                       referralStation: referral, staffing: s.staffing, metrics: s.metrics.options)
        config.intelligence = s.intelligence
        ScenarioChecks(yaml: yaml, root: f, classNodes: classNodes, laneNodes: laneNodes, stationNodes: stationNodes).check(config)
        guard !yaml.hasErrors else { return nil }
        return Scenario(name: s.name, description: s.description, config: config, replications: s.replications,
                        seed: UInt64(s.seed), trace: s.metrics.trace, sourceText: source, resolvedText: resolved, path: path,
                        warnings: yaml.problems.filter { $0.severity == .warning }, observed: s.observed)
    }

    /// `classes`, `lanes` or `stations`: the names first (references may point forward), then each definition.
    func readNamed<Part>(_ node: Node, _ path: KeyPath, what: String,
                         nodes: ReferenceWritableKeyPath<ScenarioReader, [(name: String, key: Node, value: Node)]>,
                         names: ReferenceWritableKeyPath<ScenarioReader, [String]>, atLeastOne: Bool = true,
                         each: (String, Node, KeyPath) -> Part?) -> [Part] {
        self[keyPath: nodes] = yaml.named(node, path, what: what)
        self[keyPath: names] = self[keyPath: nodes].map(\.name)
        if atLeastOne, self[keyPath: nodes].isEmpty, !yaml.hasErrors { yaml.error(node, path, "expected at least one \(what), found none") }
        return self[keyPath: nodes].compactMap { each($0.name, $0.value, path.appending($0.name)) }
    }

    func readClass(_ name: String, _ node: Node, _ path: KeyPath) -> TrafficClass? {
        var c = Grammar.trafficClass.blank
        c.name = name
        return Grammar.trafficClass.read(self, node, path, into: &c) ? c : nil
    }

    func readLane(_ name: String, _ node: Node, _ path: KeyPath) -> Lane? {
        let grammar = Grammar.lane(classes: classNames.count)
        var d = grammar.blank
        d.lane.name = name
        d.lane.primaryDetection = Array(repeating: 0, count: violationTypes.count)
        return grammar.read(self, node, path, into: &d) ? d.lane : nil
    }

    func readStation(_ name: String, _ node: Node, _ path: KeyPath) -> SecondaryStation? {
        let grammar = Grammar.station(violationTypes: violationTypes.count)
        var d = grammar.blank
        d.station.name = name
        return grammar.read(self, node, path, into: &d) ? d.station : nil
    }

    /// A mapping from violation-type names to probabilities, e.g. `{narcotics: 80%}`.
    func probabilitiesByType(_ node: Node, _ path: KeyPath, what: String = "violation type")
        -> [(type: Int, probability: Double)] {
        yaml.named(node, path, what: "violation type").compactMap { name, key, value in
            guard let t = yaml.reference(key, path.appending(name), to: what, in: violationTypes),
                  let p = yaml.probability(value, path.appending(name)) else { return nil }
            return (t, p)
        }
    }

    /// The same, as a table indexed by violation type (0 where not given).
    func byTypeTable(_ node: Node, _ path: KeyPath) -> [Double] {
        var table = [Double](repeating: 0, count: violationTypes.count)
        for (t, p) in probabilitiesByType(node, path) { table[t] = p }
        return table
    }
}

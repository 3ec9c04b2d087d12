import BorderModel
import Scenarios

/// What the page and the request checks need to know of the loaded scenario: names, counts and
/// the current value of every control (so the page starts where the file is).
struct ScenarioFacts: Sendable {
    var name: String
    var description: String
    var classes: [String]
    var lanes: [String]
    var stations: [String]
    var replications: Int
    var seed: UInt64
    var horizonHours: Double
    /// The scenario's rule as controls: a threshold (nil for other rules) and its random share.
    var threshold: Double?
    var random: Double?
    var inspectAll: Bool
    var auc: Double
    var aucWithAdvanceInfo: Double?
    var advanceInfoShare: Double
    /// Booths or servers when the schedule is one number all day (else not listed).
    var constantBooths: [String: Int]
    var constantServers: [String: Int]

    init(_ scenario: Scenario) {
        let c = scenario.config
        name = scenario.name
        description = scenario.description
        classes = c.classes.map(\.name)
        lanes = c.lanes.map(\.name)
        stations = c.stations.map(\.name)
        replications = scenario.replications
        seed = scenario.seed
        horizonHours = c.horizon / 3600
        inspectAll = c.targeting.rule == .all
        switch c.targeting.rule {
        case .threshold(let t, let r): threshold = t; random = r
        case .random(let r): random = r
        case .targetFraction(_, let r), .congestionAware(_, _, _, let r): random = r
        case .none, .all: break
        }
        auc = c.classes.first?.risk.auc ?? 0.75
        aucWithAdvanceInfo = c.classes.first?.risk.aucWithAdvanceInfo
        advanceInfoShare = c.classes.first?.advanceInfoShare ?? 0
        func constant(_ p: PiecewiseConstant) -> Int? { Set(p.values).count == 1 ? Int(p.values[0]) : nil }
        constantBooths = Dictionary(uniqueKeysWithValues: c.lanes.compactMap { l in constant(l.booths).map { (l.name, $0) } })
        constantServers = Dictionary(uniqueKeysWithValues: c.stations.compactMap { s in constant(s.servers).map { (s.name, $0) } })
    }
}

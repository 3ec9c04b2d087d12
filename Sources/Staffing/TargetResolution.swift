import BorderModel
import Foundation
import Scenarios

/// A target tied to the model: which position it judges, in which scope, with which wait
/// threshold of the model's metrics.
public struct ResolvedTarget: Sendable {
    public var target: ServiceTarget
    public var position: Position
    public var scope: ServiceTarget.Scope
    /// For share-over: the index of its threshold in `metrics.waitThresholds`.
    public var thresholdIndex: Int?
    /// A station's mean service time (capacity targets), seconds.
    public var meanService: Double

    public var label: String { target.text }
}

/// A staffing question that has no answer, said so that a planner can fix it: which target,
/// which lane or station, which hour.
public struct StaffingProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum TargetResolution {
    /// Ties targets to `config`; returns the model to simulate (hourly series bins, every
    /// share-over threshold among the wait thresholds) and the targets.
    public static func resolve(_ targets: [ServiceTarget], in config: PortConfiguration,
                               defaultScope: ServiceTarget.Scope) throws -> (PortConfiguration, [ResolvedTarget]) {
        var c = config
        c.metrics.seriesBin = 3600
        for t in targets {
            if case .shareOver(let x) = t.metric, !c.metrics.waitThresholds.contains(where: { abs($0 - x) < 1e-9 }) {
                c.metrics.waitThresholds = (c.metrics.waitThresholds + [x]).sorted()
            }
        }
        var out: [ResolvedTarget] = []
        for t in targets {
            let scope = t.scope(default: defaultScope)
            let position: Position
            var meanService = Double.nan
            switch t.subject {
            case .lane(let name):
                guard let l = c.lanes.firstIndex(where: { $0.name == name }) else {
                    throw StaffingProblem("target '\(t.text)': no lane '\(name)' in the scenario (lanes: "
                                          + c.lanes.map(\.name).joined(separator: ", ") + ")")
                }
                position = .lane(l)
                if t.metric == .meanCrossing {
                    let fastest = c.lanes[l].service.compactMap { $0?.mean }.min() ?? 0
                    if t.bound <= fastest {
                        throw StaffingProblem("target '\(t.text)': lane \(name): a mean crossing time of \(t.boundText) is not above "
                            + "the lane's mean primary service time itself (\(ServiceTarget.show(fastest, .meanWait)) for its fastest class): "
                            + "no number of booths meets it, in any hour")
                    }
                }
            case .station(let name):
                guard let s = c.stations.firstIndex(where: { $0.name == name }) else {
                    throw StaffingProblem("target '\(t.text)': no station '\(name)' in the scenario (stations: "
                                          + (c.stations.isEmpty ? "none" : c.stations.map(\.name).joined(separator: ", ")) + ")")
                }
                position = .station(s)
                meanService = c.stations[s].service.mean
                if t.metric == .meanCrossing {
                    throw StaffingProblem("target '\(t.text)': mean-crossing is a lane's measure (arrival to leaving the port)")
                }
                if scope == .everyHour && t.metric != .capacity {
                    throw StaffingProblem("target '\(t.text)': station waits are measured over the day, not hour by hour "
                                          + "(the hourly series records lane waits only): add 'daily' to the target, or use --daily")
                }
            }
            var k: Int?
            if case .shareOver(let x) = t.metric { k = c.metrics.waitThresholds.firstIndex { abs($0 - x) < 1e-9 } }
            out.append(ResolvedTarget(target: t, position: position, scope: scope, thresholdIndex: k, meanService: meanService))
        }
        return (c, out)
    }
}

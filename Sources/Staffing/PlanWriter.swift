import BorderModel
import Foundation
import Scenarios
import Yams

/// PLAN.yaml: the scenario as it was run (overrides applied, CSV columns inlined, so it stands
/// on its own anywhere) with the planned lanes' `booths` and stations' `servers` replaced by the
/// plan's hourly values, under a header saying how the plan was found. `bordersim run` and
/// `compare` read it like any scenario.
public enum PlanWriter {
    public static func text(scenario: Scenario, plan: HourlyPlan, config: PortConfiguration, header: [String]) throws -> String {
        guard var root = try Yams.compose(yaml: scenario.resolvedText), case .mapping(var top) = root else {
            throw StaffingProblem("\(scenario.path): could not re-read the scenario to write the plan")
        }
        if case .mapping(let w)? = top["what-if"], w["booths"] != nil || w["servers"] != nil {
            throw StaffingProblem("\(scenario.path): what-if.booths / what-if.servers scale every schedule; a staffing plan sets "
                                  + "booths outright: remove those keys (or apply them to the booth lists) and plan again")
        }
        func hourList(_ values: [Int]) -> Node {
            .sequence(Node.Sequence(values.map { Node(String($0), Tag(.implicit), .plain) }, Tag(.implicit), .flow))
        }
        for (p, values) in zip(plan.positions, plan.values) {
            let (section, name, key, extra): (String, String, String, String)
            switch p {
            case .lane(let l): (section, name, key, extra) = ("lanes", config.lanes[l].name, "booths", "extra-booths")
            case .station(let s): (section, name, key, extra) = ("stations", config.stations[s].name, "servers", "extra-servers")
            }
            guard case .mapping(var group)? = top[section], case .mapping(var entry)? = group[name] else {
                throw StaffingProblem("\(scenario.path): \(section).\(name) not found while writing the plan")
            }
            entry[key] = hourList(values)
            entry[extra] = nil
            group[name] = .mapping(entry)
            top[section] = .mapping(group)
        }
        root = .mapping(top)
        let body = try Yams.serialize(node: root, width: -1, allowUnicode: true)
        return header.map { $0.isEmpty ? "#" : "# " + $0 }.joined(separator: "\n") + "\n" + body
    }

    /// Writes `text` to `path` through a temporary file in the same folder, renamed into place
    /// (a reader never sees half a plan). Refuses to replace any of `inputs`, and an existing
    /// file unless `force`.
    public static func write(_ text: String, to path: String, inputs: [String], force: Bool) throws {
        try check(path, inputs: inputs, force: force)
        let target = URL(fileURLWithPath: path)
        let temp = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temp)
            if FileManager.default.fileExists(atPath: path) {
                _ = try FileManager.default.replaceItemAt(target, withItemAt: temp)
            } else {
                try FileManager.default.moveItem(at: temp, to: target)
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw StaffingProblem("\(path): could not write the plan: \(error.localizedDescription)")
        }
    }

    /// The checks of `write`, made before any simulation so a bad -o fails at once.
    public static func check(_ path: String, inputs: [String], force: Bool) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath() == target {
            throw StaffingProblem("-o \(path): that is an input of this run (\(input)); the plan never replaces an input: choose another name")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StaffingProblem("-o \(path): that is a directory; give a file name such as PLAN.yaml") }
            if !force { throw StaffingProblem("-o \(path): the file exists; add --force to replace it") }
        }
        let folder = target.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StaffingProblem("-o \(path): no folder \(folder)")
        }
    }
}

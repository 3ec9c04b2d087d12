import BorderModel
import Foundation
import Yams

/// Reads a class's `arrivals`: exactly one of poisson, profile, batches, timetable, trace.
struct ArrivalReader {
    let reader: ScenarioReader
    var yaml: YAMLReader { reader.yaml }
    static let kinds = ["poisson", "profile", "batches", "timetable", "trace"]

    func read(_ node: Node, _ path: KeyPath, nested: Bool = false) -> ArrivalProcess? {
        guard let f = yaml.fields(node, path, allowed: nested ? ["poisson", "profile"] : Self.kinds) else { return nil }
        let given = (nested ? ["poisson", "profile"] : Self.kinds).filter { f[$0] != nil }
        guard given.count == 1, let kind = given.first, let value = f[kind] else {
            yaml.error(node, path, "expected exactly one of \((nested ? ["poisson", "profile"] : Self.kinds).joined(separator: ", ")), found \(given.isEmpty ? "none" : given.joined(separator: " and "))")
            return nil
        }
        let p = f.path(kind)
        switch kind {
        case "poisson":
            return yaml.rate(value, p, positive: true).map { .poisson(rate: $0) }
        case "profile":
            guard let profile = ProfileReader(yaml: yaml, kind: .rate, horizon: reader.horizon).read(value, p) else { return nil }
            if profile.maximum == 0 { yaml.error(value, p, "expected a profile with some rate > 0, found all zero") ; return nil }
            return .profile(profile)
        case "batches":
            return batches(value, p)
        case "timetable":
            guard let items = yaml.list(value, p, of: "times") else { return nil }
            let times = items.enumerated().compactMap { time($1, p.index($0)) }
            guard times.count == items.count else { return nil }
            return .timetable(times.sorted())
        default:
            return trace(value, p)
        }
    }

    /// A time in a timetable: a clock time "HH:MM" within the first day, or a duration from the start.
    func time(_ node: Node, _ path: KeyPath) -> Double? {
        guard let t = yaml.text(node, path) else { return nil }
        if t.contains(":"), let v = Units.clockTime(t) { return v }
        if let v = Units.duration(t), v >= 0 { return v }
        yaml.error(node, path, "expected a clock time such as \"07:05\" or a duration from the start such as 90 min, found '\(t)'")
        return nil
    }

    private func batches(_ node: Node, _ path: KeyPath) -> ArrivalProcess? {
        guard let f = yaml.fields(node, path, allowed: ["every", "timetable", "size", "spread", "size-by-hour"], required: ["size"]) else { return nil }
        let size = f["size"].flatMap { DistributionReader(yaml: yaml, kind: .count).read($0, f.path("size")) }
        let spread = f["spread"].flatMap { DistributionReader(yaml: yaml, kind: .duration).read($0, f.path("spread")) }
        var times: BatchArrivals.Times?
        switch (f["every"], f["timetable"]) {
        case (let e?, nil):
            times = read(e, f.path("every"), nested: true).map { .process($0) }
        case (nil, let t?):
            guard let items = yaml.list(t, f.path("timetable"), of: "batch times") else { return nil }
            var batches: [ScheduledBatch] = []
            for (i, item) in items.enumerated() {
                let p = f.path("timetable").index(i)
                if case .mapping = item {
                    guard let g = yaml.fields(item, p, allowed: ["at", "size"], required: ["at"]), let a = g["at"],
                          let at = time(a, g.path("at")) else { continue }
                    let n = g["size"].map { yaml.integer($0, g.path("size"), minimum: 0) } ?? nil
                    if g["size"] != nil, n == nil { continue }
                    batches.append(ScheduledBatch(time: at, size: n))
                } else if let at = time(item, p) {
                    batches.append(ScheduledBatch(time: at))
                }
            }
            if batches.count == items.count { times = .timetable(batches.sorted { $0.time < $1.time }) }
        default:
            yaml.error(node, path, "expected exactly one of 'every' (a process of batch arrivals) or 'timetable'")
        }
        // Mean batch size by hour of day (e.g. passengers per flight): a profile of counts.
        let means = f["size-by-hour"].flatMap { ProfileReader(yaml: yaml, kind: .count, horizon: reader.horizon,
                                                              maximum: InputLimits.maxBatchMean).read($0, f.path("size-by-hour")) }
        if let m = f["size-by-hour"], let size, !(size.mean > 0) {
            yaml.error(m, f.path("size-by-hour"), "expected a size distribution with a mean > 0 to rescale, found mean \(size.mean)")
        }
        guard let times, let size, f["spread"] == nil || spread != nil, f["size-by-hour"] == nil || means != nil else { return nil }
        return .batches(BatchArrivals(times: times, size: size, spread: spread, sizeMeans: means))
    }

    private func trace(_ node: Node, _ path: KeyPath) -> ArrivalProcess? {
        guard let f = yaml.fields(node, path, allowed: ["csv"], required: ["csv"]), let c = f["csv"],
              let file = yaml.text(c, f.path("csv")) else { return nil }
        let profiles = ProfileReader(yaml: yaml, kind: .count, horizon: reader.horizon)
        guard let table = profiles.loadCSV(file, c, f.path("csv")) else { return nil }
        guard let timeColumn = table.column("time") else {
            yaml.error(c, f.path("csv"), "expected a 'time' column in \(file), found columns \(table.header.joined(separator: ", "))")
            return nil
        }
        let known = ["time", "trusted", "advance-info", "violation", "risk-score"]
        for h in table.header where !known.contains(h) {
            let hint = suggestion(for: h, among: known).map { "; did you mean '\($0)'?" } ?? ""
            yaml.error(c, f.path("csv"), "unknown column '\(h)' in \(file)\(hint) (expected: \(known.joined(separator: ", ")))")
        }
        var parties: [TracedParty] = []
        func bool(_ s: String) -> Bool? { ["1", "true", "yes"].contains(s.lowercased()) ? true : ["0", "false", "no"].contains(s.lowercased()) ? false : nil }
        let trusted = table.column("trusted"), advance = table.column("advance-info")
        let violation = table.column("violation"), score = table.column("risk-score")
        for (i, cell) in timeColumn.enumerated() {
            let row = i + 2
            guard let t = Units.duration(cell) ?? (cell.contains(":") ? Units.clockTime(cell) : nil), t >= 0,
                  t <= ModelLimits.maxDuration else {
                yaml.error(c, f.path("csv"), "expected a time in row \(row) of \(file), found '\(cell)'")
                return nil
            }
            var p = TracedParty(time: t)
            for (name, column) in [("trusted", trusted), ("advance-info", advance)] {
                guard let v = column?[i], !v.isEmpty else { continue }
                guard let b = bool(v) else {
                    yaml.error(c, f.path("csv"), "expected true or false (1/0, yes/no) in column '\(name)', row \(row) of \(file), found '\(v)'")
                    return nil
                }
                if name == "trusted" { p.trusted = b } else { p.advanceInfo = b }
            }
            if let v = violation?[i], !v.isEmpty {
                if v == "none" { p.violation = -1 } else if let k = reader.violationTypes.firstIndex(of: v) { p.violation = k } else {
                    yaml.error(c, f.path("csv"), "expected a violation type or 'none' in row \(row) of \(file), found undefined '\(v)'")
                    return nil
                }
            }
            if let v = score?[i], !v.isEmpty {
                let t = v.trimmingCharacters(in: .whitespaces)
                guard t.range(of: #"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
                      let x = Double(t), x.isFinite else {
                    yaml.error(c, f.path("csv"), "expected a finite number in column 'risk-score', row \(row) of \(file), found '\(v)'")
                    return nil
                }
                p.riskScore = x
            }
            parties.append(p)
        }
        return .trace(parties.sorted { $0.time < $1.time })
    }
}

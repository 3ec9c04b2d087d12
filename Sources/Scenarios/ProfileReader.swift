import BorderModel
import Foundation
import Yams

/// Reads profiles and schedules: a number, a list of 24 / 168 / hour-by-hour values, daily
/// ranges `{default: 2, ranges: [{from: "06:00", to: "10:00", value: 8}]}`, or a CSV column.
struct ProfileReader {
    enum Kind { case rate, count }
    let yaml: YAMLReader
    let kind: Kind
    let horizon: Double
    /// The largest count a schedule holds (booths, servers, officers; batch means pass their own).
    var maximum = InputLimits.maxScheduleCount

    func read(_ node: Node, _ path: KeyPath) -> PiecewiseConstant? {
        switch node {
        case .scalar:
            return value(node, path).map { PiecewiseConstant.constant($0) }
        case .sequence(let seq):
            let values = seq.enumerated().compactMap { value($1, path.index($0)) }
            guard values.count == seq.count else { return nil }
            return hourly(values, node, path, source: "the list has")
        case .mapping:
            if case .mapping(let m) = node, m["csv"] != nil { return csv(node, path) }
            return ranges(node, path)
        case .alias:
            yaml.error(node, path, "aliases are not supported here")
            return nil
        }
    }

    private var expected: String { kind == .rate ? "a rate such as 120/h" : "a whole number ≥ 0" }

    private func value(_ node: Node, _ path: KeyPath) -> Double? {
        switch kind {
        case .rate: return yaml.rate(node, path, positive: false)
        case .count: return yaml.integer(node, path, minimum: 0, maximum: maximum).map(Double.init)
        }
    }

    private func parse(_ text: String) -> Double? {
        switch kind {
        case .rate: return Units.rate(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
        case .count: return Int(text.trimmingCharacters(in: .whitespaces)).flatMap { $0 >= 0 ? Double($0) : nil }
        }
    }

    /// 24 values repeat daily, 168 weekly; otherwise hour by hour, covering the horizon.
    private func hourly(_ values: [Double], _ node: Node, _ path: KeyPath, source: String,
                        repeating: Bool? = nil) -> PiecewiseConstant? {
        let repeats = repeating ?? (values.count == 24 || values.count == 168)
        if !repeats, Double(values.count) * 3600 < horizon {
            yaml.error(node, path, "expected 24 values (by hour of day), 168 (by hour of week) or one per hour of the "
                       + "horizon (\(Int((horizon / 3600).rounded(.up)))), \(source) \(values.count)")
            return nil
        }
        if repeats, values.count != 24, values.count != 168 {
            yaml.error(node, path, "expected 24 rows for a daily or 168 for a weekly profile, \(source) \(values.count)")
            return nil
        }
        return try? PiecewiseConstant(steps: values, step: 3600, repeating: repeats)
    }

    private func ranges(_ node: Node, _ path: KeyPath) -> PiecewiseConstant? {
        guard let f = yaml.fields(node, path, allowed: ["default", "ranges"], required: ["ranges"]) else { return nil }
        var fallback = 0.0
        if let d = f["default"] { guard let v = value(d, f.path("default")) else { return nil }; fallback = v }
        guard let r = f["ranges"], let items = yaml.list(r, f.path("ranges"), of: "{from, to, value} ranges") else { return nil }
        var spans: [(from: Double, to: Double, value: Double)] = []
        for (i, item) in items.enumerated() {
            let p = f.path("ranges").index(i)
            guard let g = yaml.fields(item, p, allowed: ["from", "to", "value"], required: ["from", "to", "value"]),
                  let a = g["from"], let b = g["to"], let v = g["value"] else { continue }
            let from = clock(a, g.path("from")), to = clock(b, g.path("to")), val = value(v, g.path("value"))
            guard let from, let to, let val else { continue }
            guard to > from else { yaml.error(item, p, "expected 'to' after 'from' within one day"); continue }
            if let clash = spans.first(where: { from < $0.to && $0.from < to }) {
                yaml.error(item, p, "this range overlaps another (\(hhmm(clash.from))–\(hhmm(clash.to)))")
                continue
            }
            spans.append((from, to, val))
        }
        guard spans.count == items.count else { return nil }
        let cuts = Set([0.0] + spans.flatMap { [$0.from, $0.to] }.filter { $0 < 86_400 }).sorted()
        let values = cuts.map { t in spans.first { $0.from <= t && t < $0.to }?.value ?? fallback }
        return try? PiecewiseConstant(times: cuts, values: values, period: 86_400)
    }

    private func csv(_ node: Node, _ path: KeyPath) -> PiecewiseConstant? {
        guard let f = yaml.fields(node, path, allowed: ["csv", "column", "repeat"], required: ["csv", "column"]),
              let fileNode = f["csv"], let colNode = f["column"],
              let file = yaml.text(fileNode, f.path("csv")), let column = yaml.text(colNode, f.path("column")) else { return nil }
        var repeating: Bool? = false
        if let r = f["repeat"], let t = yaml.text(r, f.path("repeat")) {
            switch t {
            case "daily", "weekly": repeating = true
            case "none": repeating = false
            default: yaml.error(r, f.path("repeat"), "expected daily, weekly or none, found '\(t)'"); return nil
            }
        }
        guard let table = loadCSV(file, fileNode, f.path("csv")) else { return nil }
        guard let cells = table.column(column) else {
            let hint = suggestion(for: column, among: table.header).map { "; did you mean '\($0)'?" } ?? ""
            yaml.error(colNode, f.path("column"), "expected a column of \(file), found undefined '\(column)'\(hint) "
                       + "(columns: \(table.header.joined(separator: ", ")))")
            return nil
        }
        var values: [Double] = []
        for (i, cell) in cells.enumerated() {
            guard let v = parse(cell) else {
                yaml.error(colNode, f.path("column"), "expected \(expected) in row \(i + 2) of \(file), found '\(cell)'")
                return nil
            }
            if kind == .count, v > Double(maximum) {
                yaml.error(colNode, f.path("column"), "expected \(expected) and at most \(maximum) in row \(i + 2) of \(file), found '\(cell)'")
                return nil
            }
            values.append(v)
        }
        let profile = hourly(values, node, path, source: "\(file) has", repeating: repeating)
        // The values replace the reference in the resolved text (a result file then reproduces
        // its run without the CSV file) when a plain list means the same: 24 or 168 values repeat.
        let repeats = repeating ?? true, periodic = values.count == 24 || values.count == 168
        if profile != nil, repeats == periodic {
            yaml.inlined.append((path, .sequence(.init(cells.map { Node($0, Tag(.implicit), .plain) }, Tag(.implicit), .flow))))
        }
        return profile
    }

    func loadCSV(_ file: String, _ node: Node, _ path: KeyPath) -> CSVTable? {
        let url = URL(fileURLWithPath: file, relativeTo: yaml.directory).standardizedFileURL
        yaml.inputFiles.append(url.path)
        do { return try CSVTable.load(url) } catch let failure as CSVTable.Failure {
            switch failure {
            case .missing(let p): yaml.error(node, path, "expected an existing CSV file, found none at \(p)")
            case .unreadable(let p): yaml.error(node, path, "expected a UTF-8 CSV file, could not read \(p)")
            case .tooLarge(let p): yaml.error(node, path, "expected a CSV file under 50 MB, \(p) is larger")
            case .empty(let p): yaml.error(node, path, "expected a CSV file with a header row, \(p) is empty")
            case .notRegular(let p): yaml.error(node, path, "expected a regular CSV file, \(p) is a FIFO, device or socket")
            case .tooManyRows(let p, let n): yaml.error(node, path, "expected at most \(CSVTable.maxRows) rows in a CSV file, \(p) has \(n)")
            case let .ragged(p, row, cells, columns):
                yaml.error(node, path, "expected at most \(columns) cells per row (the header's), row \(row) of \(p) has \(cells) (an unquoted comma?)")
            }
        } catch { yaml.error(node, path, "could not read CSV file: \(error)") }
        return nil
    }

    private func clock(_ node: Node, _ path: KeyPath) -> Double? {
        guard let t = yaml.text(node, path) else { return nil }
        guard let v = Units.clockTime(t) else {
            yaml.error(node, path, "expected a clock time \"HH:MM\" between 00:00 and 24:00, found '\(t)'")
            return nil
        }
        return v
    }

    private func hhmm(_ t: Double) -> String {
        String(format: "%02d:%02d", Int(t) / 3600, (Int(t) % 3600) / 60)
    }
}

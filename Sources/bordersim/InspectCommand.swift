import ArgumentParser
import Foundation
import ResultsStore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a result file holds: how it was made and its summary tables.",
        discussion: """
        Prints the file's metadata (tool, schema version, seed, replications, scenario), then each \
        summary table as mean [95% confidence bounds] across replications, then the datasets with \
        their shapes and axes. --json prints the same as JSON (undefined values as null). \
        The layout of the file is documented in results/README.md.
        """
    )

    @Argument(help: "Result file written by `bordersim run`, `sweep`, `merge` or `compare --out`.", completion: resultFiles) var file: String
    @Flag(help: "Print as JSON on stdout.") var json = false

    func run() throws {
        let contents: RunFileContents
        do {
            try ResultFileProbe.check(file)
            contents = try RunFileReader.contents(of: file)
        } catch let error as ResultFileError {
            FileHandle.standardError.write(Data("bordersim inspect: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json, case .string(let kind)? = contents.attribute(ResultsSchema.Attribute.kind), kind == ResultsSchema.sweepKind {
            _ = try SweepFileReader.read(file)   // its sizes checked, as the text form checks them
        }
        if !json, case .string(let kind)? = contents.attribute(ResultsSchema.Attribute.kind), kind == ResultsSchema.sweepKind {
            // A sweep: how it was made, then its points with headline metrics.
            let record = try SweepFileReader.read(file)
            let m = record.metadata
            print("\(file): bordersim \(m.run.toolVersion) sweep file, schema version \(ResultsSchema.version), created \(m.run.created)")
            print("  plan          \(m.planName) (\(m.planPath), sha256 \(m.planHash.prefix(16))…), design \(m.design)")
            print("  scenario      \(m.run.scenarioName) (\(m.run.scenarioPath))")
            print("  points        \(record.points.count) of \(m.pointsTotal) (shard \(m.shardIndex)/\(m.shardCount)), \(m.run.replications) replications each, seed \(m.run.seed)")
            print("  command       \(m.run.commandLine)\n")
            print(SweepText.points(record, limit: 200), terminator: "")
            return
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: Self.jsonObject(contents), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Self.text(contents))
        }
    }

    static func jsonObject(_ c: RunFileContents) -> [String: Any] {
        func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        var attributes: [String: Any] = [:]
        for (name, value) in c.attributes {
            switch value {
            case .string(let s): attributes[name] = s
            case .strings(let s): attributes[name] = s
            case .number(let x): attributes[name] = number(x)
            case .numbers(let x): attributes[name] = x.map(number)
            case .integer(let i): attributes[name] = i
            case .integers(let i): attributes[name] = i
            case .unsigned(let u): attributes[name] = u
            }
        }
        var summary: [String: Any] = [:]
        for t in c.tables {
            var table: [String: Any] = ["entity_axis": t.entityAxis ?? NSNull(), "entities": t.entities,
                                        "metrics": t.metrics, "units": t.units]
            for (statistic, values) in t.statistics {
                let cells = values.map(number)
                table[statistic] = t.entityAxis == nil ? cells
                    : stride(from: 0, to: cells.count, by: max(1, t.metrics.count)).map { Array(cells[$0 ..< $0 + t.metrics.count]) }
            }
            summary[t.name] = table
        }
        let datasets = c.datasets.map { ["path": $0.path, "shape": $0.shape, "type": $0.type, "dimensions": $0.dimensions] as [String: Any] }
        return ["file": c.path, "attributes": attributes, "summary": summary, "datasets": datasets]
    }

    static func text(_ c: RunFileContents) -> String {
        func attr(_ name: String) -> String {
            switch c.attribute(name) {
            case .string(let s)?: return s
            case .number(let x)?: return String(format: "%g", x)
            case .integer(let i)?: return String(i)
            case .unsigned(let u)?: return String(u)
            case .strings(let s)?: return s.joined(separator: ", ")
            case .numbers(let x)?: return x.map { String(format: "%g", $0) }.joined(separator: ", ")
            case .integers(let i)?: return i.map(String.init).joined(separator: ", ")
            case nil: return "-"
            }
        }
        typealias A = ResultsSchema.Attribute
        let hours = { (name: String) -> String in
            if case .number(let s)? = c.attribute(name) { return String(format: "%g h", s / 3600) }
            return "-"
        }
        var lines = [
            "\(c.path): \(attr(A.tool)) \(attr(A.toolVersion)) \(attr(A.kind)) file, schema version \(attr(A.schemaVersion)), created \(attr(A.created))",
            "  scenario      \(attr(A.scenarioName)) (\(attr(A.scenarioPath)), sha256 \(attr(A.scenarioHash).prefix(16))…)",
            "  seed          \(attr(A.seed)), \(attr(A.replications)) replications, horizon \(hours(A.horizon)), warm-up \(hours(A.warmUp))",
            "  trace         \(attr(A.hasTrace) == "1" ? "yes (/trace)" : "no")",
            "  command       \(attr(A.commandLine))",
        ]
        let level = attr(A.confidenceLevel) == "-" ? "95%" : String(format: "%g%%", (Double(attr(A.confidenceLevel)) ?? 0.95) * 100)
        let isComparison = attr(A.kind) == "comparison"
        var crossesZero = false
        for t in c.tables {
            let entities = t.entityAxis == nil ? ["port"] : t.entities
            lines.append("")
            lines.append(isComparison ? "\(t.name) — paired difference, mean [\(level) CI] over replications"
                                      : "\(t.name) — mean [\(level) CI] across replications")
            if entities.isEmpty { lines.append("  (none)"); continue }
            let labels = t.metrics.enumerated().map { m, metric in
                metric + (m < t.units.count && t.units[m] != "1" ? " (\(t.units[m]))" : "")
            }
            let mean = t.statistics["mean"] ?? [], low = t.statistics["ci_low"] ?? [], high = t.statistics["ci_high"] ?? []
            // Cells first, then each column as wide as its widest cell or header: nothing cut, nothing runs together.
            var cells = [[String]](repeating: [], count: entities.count)
            for e in entities.indices {
                for m in t.metrics.indices {
                    let i = e * t.metrics.count + m
                    guard i < mean.count else { cells[e].append("—"); continue }
                    var cell = format(mean[i])
                    if i < low.count, low[i].isFinite, high[i].isFinite {
                        cell += " [\(format(low[i])), \(format(high[i]))]"
                        if !isComparison, low[i] < 0, mean[i] >= 0 { crossesZero = true }
                    }
                    cells[e].append(cell)
                }
            }
            let labelWidth = (labels.map(\.count).max() ?? 6) + 2
            let widths = entities.indices.map { e in max(entities[e].count, cells[e].map(\.count).max() ?? 0) + 3 }
            // Blocks of columns that fit in about 150 characters, the metric names repeated.
            var start = 0
            while start < entities.count {
                var end = start + 1, used = labelWidth + widths[start]
                while end < entities.count, used + widths[end] <= 150 { used += widths[end]; end += 1 }
                if start > 0 { lines.append("") }
                var header = "  " + "metric".padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                for e in start..<end { header += entities[e].padding(toLength: widths[e], withPad: " ", startingAt: 0) }
                lines.append(header.trimmingTrailingSpaces())
                for (m, label) in labels.enumerated() {
                    var row = "  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                    for e in start..<end { row += cells[e][m].padding(toLength: widths[e], withPad: " ", startingAt: 0) }
                    lines.append(row.trimmingTrailingSpaces())
                }
                start = end
            }
        }
        if crossesZero {
            lines.append("")
            lines.append("note: some intervals reach below 0 for quantities that cannot be negative. A Student-t interval is "
                         + "mean ± t·sd/√n and assumes the mean is roughly normal; with few replications or heavy-tailed waits it "
                         + "is unreliable (see results/README.md, \"Confidence intervals\"): run more replications, e.g. --precision 5%.")
        }
        lines.append("")
        lines.append("datasets")
        for d in c.datasets {
            let dims = d.dimensions.contains { !$0.isEmpty } ? " (" + d.dimensions.joined(separator: " × ") + ")" : ""
            lines.append("  \(d.path.padding(toLength: 36, withPad: " ", startingAt: 0)) \(d.type.padding(toLength: 8, withPad: " ", startingAt: 0)) \(d.shape)\(dims)")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "—" }
        let magnitude = abs(x)
        if magnitude >= 1000 || x == x.rounded() { return String(format: "%.0f", x) }
        if magnitude >= 10 { return String(format: "%.1f", x) }
        return String(format: "%.3g", x)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

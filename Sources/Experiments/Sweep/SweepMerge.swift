import ResultsStore

/// Joins the shard files of one sweep into the file an undivided sweep would have written.
/// Refuses, naming the files and points, shards of different plans (plan hash), of different
/// layouts (tables, metrics, entities, replications), points given twice, and points missing.
public enum SweepMerge {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public static func merge(_ shards: [(path: String, record: SweepRecord)], metadata: (SweepMetadata) -> SweepMetadata) throws -> SweepRecord {
        guard let first = shards.first else { throw Problem(description: "no shard files given") }
        let m0 = first.record.metadata
        for (path, r) in shards.dropFirst() {
            let m = r.metadata
            if m.planHash != m0.planHash {
                throw Problem(description: "\(path) comes from a different sweep than \(first.path): plan hash \(prefix(m.planHash)) ≠ \(prefix(m0.planHash)) (plan '\(m.planName)' vs '\(m0.planName)'); merge only shards of one plan, run with the same seed and replications")
            }
            if let difference = layoutDifference(first.record, r) {
                throw Problem(description: "\(path) and \(first.path) differ in layout: \(difference)")
            }
        }
        var owner: [Int: String] = [:]
        var duplicates: [(Int, String, String)] = []
        for (path, r) in shards {
            for p in r.points {
                if let other = owner[p] { duplicates.append((p, other, path)) } else { owner[p] = path }
            }
        }
        if !duplicates.isEmpty {
            // One line per pair of files, in the order found.
            var pairs: [(String, String)] = [], byPair: [String: [Int]] = [:]
            for (p, a, b) in duplicates {
                let key = a + "\u{0}" + b
                if byPair[key] == nil { pairs.append((a, b)) }
                byPair[key, default: []].append(p)
            }
            let lines = pairs.map { a, b -> String in
                let points = byPair[a + "\u{0}" + b]!
                let list = points.prefix(10).map(String.init).joined(separator: ", ") + (points.count > 10 ? ", …" : "")
                return "\(points.count) point(s) (\(list)) in both \(a) and \(b)"
            }
            throw Problem(description: "points given more than once: " + lines.joined(separator: "; ")
                          + (pairs.contains { $0.0 == $0.1 } ? " (the same file given twice)" : " (overlapping shards, or the whole sweep given with its shards?)"))
        }
        let missing = (0..<m0.pointsTotal).filter { owner[$0] == nil }
        if !missing.isEmpty {
            let counts = Set(shards.map { $0.record.metadata.shardCount })
            var hint = ""
            if counts.count == 1, let n = counts.first {
                let given = Set(shards.map { $0.record.metadata.shardIndex })
                let absent = (1...n).filter { !given.contains($0) }
                if !absent.isEmpty { hint = " — shard(s) \(absent.map { "\($0)/\(n)" }.joined(separator: ", ")) not given" }
            }
            let list = missing.prefix(20).map(String.init).joined(separator: ", ") + (missing.count > 20 ? ", …" : "")
            throw Problem(description: "\(missing.count) of \(m0.pointsTotal) points are missing: \(list)\(hint)")
        }
        if let stray = owner.keys.first(where: { $0 < 0 || $0 >= m0.pointsTotal }) {
            throw Problem(description: "\(owner[stray]!) holds point \(stray), outside the sweep's \(m0.pointsTotal) points")
        }

        // Slices of every shard by point, then stacked in point order.
        var slices: [Int: (record: SweepRecord, row: Int)] = [:]
        for (_, r) in shards { for (row, p) in r.points.enumerated() { slices[p] = (r, row) } }
        let order = (0..<m0.pointsTotal).map { slices[$0]! }
        let reps = m0.run.replications
        let tables = first.record.tables.indices.map { t -> MetricTable in
            var table = first.record.tables[t]
            let cells = table.summary.mean.count / max(1, first.record.points.count)
            func rows(_ f: (MetricTable) -> [Double], width: Int) -> [Double] {
                order.flatMap { Array(f($0.record.tables[t])[($0.row * width)..<(($0.row + 1) * width)]) }
            }
            table.values = rows(\.values, width: reps * cells)
            table.summary = MetricSummary(mean: rows(\.summary.mean, width: cells), sd: rows(\.summary.sd, width: cells),
                                          ciLow: rows(\.summary.ciLow, width: cells), ciHigh: rows(\.summary.ciHigh, width: cells),
                                          level: table.summary.level, replications: reps)
            return table
        }
        let columns = first.record.parameterValues.indices.map { j -> Axis.Labels in
            switch first.record.parameterValues[j] {
            case .reals: return .reals(order.map { if case .reals(let v) = $0.record.parameterValues[j] { return v[$0.row] }; return .nan })
            case .integers: return .integers(order.map { if case .integers(let v) = $0.record.parameterValues[j] { return v[$0.row] }; return 0 })
            case .strings: return .strings(order.map { if case .strings(let v) = $0.record.parameterValues[j] { return v[$0.row] }; return "" })
            }
        }
        var merged = m0
        merged.shardIndex = 1
        merged.shardCount = 1
        return SweepRecord(metadata: metadata(merged), points: Array(0..<m0.pointsTotal), parameterValues: columns,
                           axes: first.record.axes, tables: tables)
    }

    private static func prefix(_ hash: String) -> String { String(hash.prefix(12)) }

    /// What makes two shards' layouts differ, or nil.
    static func layoutDifference(_ a: SweepRecord, _ b: SweepRecord) -> String? {
        if a.metadata.run.replications != b.metadata.run.replications {
            return "\(a.metadata.run.replications) vs \(b.metadata.run.replications) replications per point"
        }
        if a.metadata.parameters != b.metadata.parameters { return "parameters \(a.metadata.parameters) vs \(b.metadata.parameters)" }
        if a.tables.map(\.name) != b.tables.map(\.name) { return "tables \(a.tables.map(\.name)) vs \(b.tables.map(\.name))" }
        for (x, y) in zip(a.tables, b.tables) where x.metrics.map(\.name) != y.metrics.map(\.name) || x.entityAxis != y.entityAxis {
            return "the metrics of table \(x.name)"
        }
        if a.axes != b.axes { return "the entity axes (lanes, classes, stations, violation types)" }
        for (x, y) in zip(a.parameterValues, b.parameterValues) {
            switch (x, y) {
            case (.reals, .reals), (.integers, .integers), (.strings, .strings): continue
            default: return "the type of a parameter column"
            }
        }
        return nil
    }
}

/// Reads a sweep file (or a shard of one) back into a `SweepRecord`, as `merge` needs it.
public enum SweepFileReader {
    public static func read(_ path: String) throws -> SweepRecord {
        let file = try RunFileReader.open(path)
        defer { try? file.close() }
        typealias A = ResultsSchema.Attribute
        typealias S = ResultsSchema.SweepAttribute
        let kind = (try? file.stringAttribute(A.kind).first) ?? ""
        guard kind == ResultsSchema.sweepKind else {
            throw ResultFileError(path, "a bordersim \(kind) file, expected a sweep file (written by bordersim sweep)")
        }
        do {
            func text(_ name: String) throws -> String { try file.stringAttribute(name).first ?? "" }
            func int(_ name: String) throws -> Int { Int(try file.attribute(name, as: Int64.self).first ?? 0) }
            let run = RunMetadata(
                toolVersion: try text(A.toolVersion), created: try text(A.created),
                seed: try file.attribute(A.seed, as: UInt64.self).first ?? 0, replications: try int(A.replications),
                horizonSeconds: try file.attribute(A.horizon, as: Double.self).first ?? 0,
                warmUpSeconds: try file.attribute(A.warmUp, as: Double.self).first ?? 0,
                confidenceLevel: try file.attribute(A.confidenceLevel, as: Double.self).first ?? 0.95,
                scenarioName: try text(A.scenarioName), scenarioPath: try text(A.scenarioPath),
                scenarioText: try text(A.scenarioText), commandLine: try text(A.commandLine))
            let parameters = try file.dataset(ResultsSchema.parameterAxis).readStrings()
            let metadata = SweepMetadata(
                run: run, planName: try text(S.planName), planPath: try text(S.planPath), planText: try text(S.planText),
                planHash: try text(S.planHash), design: try text(S.design), parameters: parameters,
                pointsTotal: try int(S.pointsTotal), shardIndex: try int(S.shardIndex), shardCount: try int(S.shardCount))
            let points = try file.dataset(ResultsSchema.pointAxis).read(as: Int64.self).map { Int($0) }
            let lead: Set = [ResultsSchema.pointAxis, ResultsSchema.parameterAxis, ResultsSchema.replicationAxis]
            let axes = try file.stringAttribute(S.axes).filter { !lead.contains($0) }.map { try axis($0, in: file) }
            let pointsGroup = try file.group(ResultsSchema.pointsGroup)
            let columns = try parameters.map { try labels(of: try pointsGroup.dataset($0)) }
            let summary = try file.group(ResultsSchema.summaryGroup)
            let tables = try summary.stringAttribute("tables").map { name -> MetricTable in
                let values = try file.group(ResultsSchema.replicationsGroup).dataset(name)
                let dims = try values.attachedScaleNames()
                let metricAxis = try file.dataset(name + "_metric")
                let metricNames = try metricAxis.readStrings()
                let units = try metricAxis.stringAttribute("units")
                let descriptions = try metricAxis.stringAttribute("descriptions")
                let metrics = metricNames.indices.map { Metric(metricNames[$0], units[$0], descriptions[$0]) }
                let group = try summary.group(name)
                let stats = try MetricSummary.statistics.map { try group.dataset($0).read(as: Double.self) }
                return MetricTable(name: name, entityAxis: dims.count == 4 ? dims[2] : nil, metrics: metrics,
                                   values: try values.read(as: Double.self),
                                   summary: MetricSummary(mean: stats[0], sd: stats[1], ciLow: stats[2], ciHigh: stats[3],
                                                          level: run.confidenceLevel, replications: run.replications))
            }
            let record = SweepRecord(metadata: metadata, points: points, parameterValues: columns, axes: axes, tables: tables)
            if let problem = problem(in: record) { throw ResultFileError(path, "a damaged sweep file: \(problem)") }
            return record
        } catch let error as HDF5Error {
            throw ResultFileError(path, "damaged or incomplete sweep file: \(error)")
        }
    }

    /// Every count the record is indexed with, checked against the data it describes: the file
    /// says how many points, shards and replications it holds, and a reader must not believe it.
    static func problem(in r: SweepRecord) -> String? {
        let m = r.metadata, n = r.points.count, reps = m.run.replications
        guard m.pointsTotal >= 1, m.pointsTotal <= 100_000_000 else { return "points_total is \(m.pointsTotal), expected 1 to 100000000" }
        guard m.shardCount >= 1, (1...m.shardCount).contains(m.shardIndex), m.shardCount <= m.pointsTotal else {
            return "shard \(m.shardIndex) of \(m.shardCount) is not a shard of \(m.pointsTotal) points"
        }
        guard n <= m.pointsTotal, r.points.allSatisfy({ (0..<m.pointsTotal).contains($0) }), Set(r.points).count == n else {
            return "its \(n) point numbers are not distinct points of 0..<\(m.pointsTotal)"
        }
        guard reps >= 1 else { return "replications is \(reps)" }
        guard r.parameterValues.count == m.parameters.count else {
            return "\(r.parameterValues.count) parameter columns for \(m.parameters.count) parameters"
        }
        for (name, column) in zip(m.parameters, r.parameterValues) where column.count != n {
            return "parameter \(name) has \(column.count) values for \(n) points"
        }
        for t in r.tables {
            let width = t.metrics.count, s = t.summary
            guard width > 0, s.mean.count % width == 0, s.mean.count / width % max(1, n) == 0 || n == 0 else {
                return "table \(t.name): \(s.mean.count) means do not fill \(n) points × \(width) metrics"
            }
            let rows = n == 0 ? 0 : s.mean.count / width / n
            for (statistic, values) in [("sd", s.sd), ("ci_low", s.ciLow), ("ci_high", s.ciHigh)] where values.count != s.mean.count {
                return "table \(t.name): \(statistic) holds \(values.count) values, mean \(s.mean.count)"
            }
            let (expected, overflow) = n.multipliedReportingOverflow(by: reps * rows * width)
            guard !overflow, t.values.count == expected else {
                return "table \(t.name): \(t.values.count) replication values, expected \(n) points × \(reps) replications × \(rows) rows × \(width) metrics"
            }
            // Undefined is NaN, but a table with no finite value at all is not a result (an unfinished or wiped shard).
            if !t.values.isEmpty, !t.values.contains(where: { $0.isFinite }) {
                return "table \(t.name) holds no finite value (a wiped or unfinished shard?)"
            }
        }
        return nil
    }

    private static func axis(_ name: String, in file: H5File) throws -> Axis {
        let d = try file.dataset(name)
        let along = try d.attachedScaleNames().first ?? nil
        return Axis(name, try labels(of: d), unit: d.hasAttribute("units") ? try d.stringAttribute("units").first ?? "" : "",
                    description: d.hasAttribute("description") ? try d.stringAttribute("description").first ?? "" : "",
                    along: along)
    }

    private static func labels(of d: H5Dataset) throws -> Axis.Labels {
        switch try d.kind() {
        case .string: return .strings(try d.readStrings())
        case .signed, .unsigned: return .integers(try d.read(as: Int64.self))
        default: return .reals(try d.read(as: Double.self))
        }
    }
}

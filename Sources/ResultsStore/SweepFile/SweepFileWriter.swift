/// Lays a `SweepRecord` out in an open HDF5 file: root attributes, the `point` and
/// `parameter` axes, `/points/KEY.PATH` (a parameter's value at each point), and per table
/// `/replications/TABLE` (point × replication × [entity ×] metric) and
/// `/summary/TABLE/{mean,sd,ci_low,ci_high}` (point × [entity ×] metric).
public enum SweepFileWriter {
    public static func write(_ record: SweepRecord, to file: H5File) throws {
        typealias S = ResultsSchema.SweepAttribute
        let m = record.metadata
        try RunFileWriter.writeCommonHeader(m.run, kind: ResultsSchema.sweepKind, in: file)
        try file.setAttribute(S.planName, m.planName)
        try file.setAttribute(S.planPath, m.planPath)
        try file.setAttribute(S.planText, m.planText)
        try file.setAttribute(S.planHash, m.planHash)
        try file.setAttribute(S.design, m.design)
        try file.setAttribute(S.pointsTotal, Int64(m.pointsTotal))
        try file.setAttribute(S.shardIndex, Int64(m.shardIndex))
        try file.setAttribute(S.shardCount, Int64(m.shardCount))

        let reps = m.run.replications
        let lead = [
            Axis(ResultsSchema.pointAxis, .integers(record.points.map(Int64.init)),
                 description: "design point index (global over the whole sweep, \(m.pointsTotal) points)"),
            Axis(ResultsSchema.parameterAxis, .strings(m.parameters), description: "swept parameters (scenario key paths)"),
            Axis(ResultsSchema.replicationAxis, .integers((0..<reps).map(Int64.init)),
                 description: "replication index (its random streams derive from the seed and this index; the same at every point)"),
        ]
        let axes = AxisWriter(file: file)
        try axes.write(lead + record.axes)
        try file.setAttribute(S.axes, (lead + record.axes).map(\.name))

        let points = try file.createGroup(ResultsSchema.pointsGroup)
        for (name, column) in zip(m.parameters, record.parameterValues) {
            let d: H5Dataset
            switch column {
            case .reals(let v): d = try points.createDataset(name, v)
            case .integers(let v): d = try points.createDataset(name, v)
            case .strings(let v): d = try points.createDataset(name, strings: v)
            }
            try axes.label(d, dims: [ResultsSchema.pointAxis])
        }
        try writeTables(record.tables, leading: [ResultsSchema.pointAxis], replications: reps,
                        level: m.run.confidenceLevel, axes: axes, in: file)
    }

    /// `/replications/TABLE` with `leading` axes then replication, and `/summary/TABLE/*` with
    /// `leading` axes: shared by sweep and comparison files.
    static func writeTables(_ tables: [MetricTable], leading: [String], replications: Int, level: Double,
                            axes: AxisWriter, in file: H5File) throws {
        let perReplication = try file.createGroup(ResultsSchema.replicationsGroup)
        let summary = try file.createGroup(ResultsSchema.summaryGroup)
        try summary.setAttribute("confidence_level", level)
        try summary.setAttribute("replications", Int64(replications))
        try summary.setAttribute("tables", tables.map(\.name))
        let leadShape = try leading.map { try axes.count($0) }
        for table in tables {
            try axes.writeMetricAxis(of: table)
            let entityDims = (table.entityAxis.map { [$0] } ?? []) + [table.metricAxis]
            let entityShape = try entityDims.map { try axes.count($0) }
            let values = try perReplication.createDataset(table.name, table.values,
                                                          shape: leadShape + [replications] + entityShape)
            try axes.label(values, dims: leading + [ResultsSchema.replicationAxis] + entityDims)
            try values.setAttribute("units", table.metrics.map(\.unit))
            try writeSummary(table.summary, name: table.name, in: summary, dims: leading + entityDims, axes: axes)
        }
    }

    static func writeSummary(_ s: MetricSummary, name: String, in parent: H5Group, dims: [String], axes: AxisWriter) throws {
        let group = try parent.createGroup(name)
        let shape = try dims.map { try axes.count($0) }
        for (statistic, v) in zip(MetricSummary.statistics, [s.mean, s.sd, s.ciLow, s.ciHigh]) {
            let dataset = try group.createDataset(statistic, v, shape: shape)
            try axes.label(dataset, dims: dims)
        }
    }
}

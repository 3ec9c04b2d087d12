import Foundation

/// Lays a `RunRecord` out in an open HDF5 file (layout: results/README.md). Write the header
/// first (the trace may then stream in), the record when the replications are done.
public final class RunFileWriter {
    public let file: H5File
    private let axes: AxisWriter

    public init(file: H5File) {
        self.file = file
        axes = AxisWriter(file: file)
    }

    /// Root attributes. `hasTrace` says whether a /trace group follows.
    public func writeHeader(_ m: RunMetadata, hasTrace: Bool) throws {
        try Self.writeCommonHeader(m, kind: ResultsSchema.runKind, in: file)
        try file.setAttribute(ResultsSchema.Attribute.hasTrace, UInt8(hasTrace ? 1 : 0))
    }

    /// The root attributes every kind of result file carries: tool, schema, seed, scenario.
    static func writeCommonHeader(_ m: RunMetadata, kind: String, in file: H5File) throws {
        typealias A = ResultsSchema.Attribute
        try file.setAttribute(A.tool, ResultsSchema.tool)
        try file.setAttribute(A.toolVersion, m.toolVersion)
        try file.setAttribute(A.schemaVersion, ResultsSchema.version)
        try file.setAttribute(A.kind, kind)
        try file.setAttribute(A.created, m.created)
        try file.setAttribute(A.seed, m.seed)
        try file.setAttribute(A.replications, Int64(m.replications))
        try file.setAttribute(A.horizon, m.horizonSeconds)
        try file.setAttribute(A.warmUp, m.warmUpSeconds)
        try file.setAttribute(A.confidenceLevel, m.confidenceLevel)
        try file.setAttribute(A.scenarioName, m.scenarioName)
        try file.setAttribute(A.scenarioPath, m.scenarioPath)
        try file.setAttribute(A.scenarioText, m.scenarioText)
        try file.setAttribute(A.scenarioHash, SHA256.hex(m.scenarioText))
        try file.setAttribute(A.commandLine, m.commandLine)
    }

    /// Axes, per-replication tables, summaries and series.
    public func write(_ record: RunRecord) throws {
        try axes.write(record.axes)
        let replications = record.metadata.replications
        let perReplication = try file.createGroup(ResultsSchema.replicationsGroup)
        let summary = try file.createGroup(ResultsSchema.summaryGroup)
        try summary.setAttribute("confidence_level", record.metadata.confidenceLevel)
        try summary.setAttribute("replications", Int64(replications))
        try summary.setAttribute("tables", record.tables.map(\.name))  // reading order
        for table in record.tables {
            try axes.writeMetricAxis(of: table)
            let entities = try table.entityAxis.map { try axes.count($0) }
            let rowShape = (entities.map { [$0] } ?? []) + [table.metrics.count]
            let dims = (table.entityAxis.map { [$0] } ?? []) + [table.metricAxis]
            let values = try perReplication.createDataset(table.name, table.values, shape: [replications] + rowShape)
            try axes.label(values, dims: [ResultsSchema.replicationAxis] + dims)
            try values.setAttribute("units", table.metrics.map(\.unit))
            let group = try summary.createGroup(table.name)
            let s = table.summary
            for (name, v) in zip(MetricSummary.statistics, [s.mean, s.sd, s.ciLow, s.ciHigh]) {
                let dataset = try group.createDataset(name, v, shape: rowShape)
                try axes.label(dataset, dims: dims)
            }
        }
        let seriesGroup = try file.createGroup(ResultsSchema.seriesGroup)
        for series in record.series { try write(series, in: seriesGroup, replications: replications) }
    }

    private func write(_ series: Series, in group: H5Group, replications: Int) throws {
        let times = try axes.count(series.timeAxis)
        let entities = try series.entityAxis.map { try axes.count($0) }
        let shape = [replications, times] + (entities.map { [$0] } ?? [])
        // A chunk is one replication's stretch of time for all entities: reading one replication
        // or one time window touches few chunks.
        let storage = H5Storage.chunked([1, min(times, 4096)] + (entities.map { [max(1, $0)] } ?? []), deflate: 4)
        let dataset: H5Dataset
        switch series.values {
        case .integers(let v): dataset = try group.createDataset(series.name, v, shape: shape, storage: storage)
        case .reals(let v): dataset = try group.createDataset(series.name, v, shape: shape, storage: storage)
        }
        try axes.label(dataset, dims: [ResultsSchema.replicationAxis, series.timeAxis] + (series.entityAxis.map { [$0] } ?? []))
        try dataset.setAttribute("units", series.unit)
        try dataset.setAttribute("description", series.description)
    }
}

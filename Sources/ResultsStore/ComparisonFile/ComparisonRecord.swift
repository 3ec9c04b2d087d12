/// What a comparison file holds (layout: results/README.md): the same replications of several
/// configurations (common random numbers), each metric per configuration, and the paired
/// differences of every configuration from the baseline (the first).
public struct ComparisonRecord: Sendable {
    /// The baseline's run attributes (seed, replications, its scenario).
    public var metadata: RunMetadata
    public var configurations: [String]
    /// The resolved scenario text of each configuration.
    public var scenarioTexts: [String]
    /// Entity axes holding the entities every configuration has (lane, class, station, ...).
    public var axes: [Axis]
    /// Values `[configuration][replication][entity][metric]`; summaries `[configuration][entity][metric]`.
    public var tables: [MetricTable]
    /// Per table, the paired differences (configuration k − baseline, k ≥ 1): `[k−1][entity][metric]`.
    public var differences: [MetricSummary]

    public init(metadata: RunMetadata, configurations: [String], scenarioTexts: [String], axes: [Axis],
                tables: [MetricTable], differences: [MetricSummary]) {
        self.metadata = metadata; self.configurations = configurations; self.scenarioTexts = scenarioTexts
        self.axes = axes; self.tables = tables; self.differences = differences
    }

    /// Labels of the comparison axis: "B - A" for each configuration after the baseline.
    public var comparisons: [String] { configurations.dropFirst().map { "\($0) - \(configurations[0])" } }
}

extension ResultsSchema {
    public static let comparisonKind = "comparison"
    public static let configurationAxis = "configuration"
    public static let comparisonAxis = "comparison"
    public static let differenceGroup = "difference"
}

/// Lays a `ComparisonRecord` out: root attributes (the baseline's, plus `configurations`,
/// `baseline` and `configuration_yaml`), axes, `/replications/TABLE` (configuration ×
/// replication × [entity ×] metric), `/summary/TABLE/*` (configuration × [entity ×] metric)
/// and `/difference/TABLE/{mean,sd,ci_low,ci_high}` (comparison × [entity ×] metric).
public enum ComparisonFileWriter {
    public static func write(_ record: ComparisonRecord, to file: H5File) throws {
        try RunFileWriter.writeCommonHeader(record.metadata, kind: ResultsSchema.comparisonKind, in: file)
        try file.setAttribute("configurations", record.configurations)
        try file.setAttribute("baseline", record.configurations[0])
        try file.setAttribute("configuration_yaml", record.scenarioTexts)
        let reps = record.metadata.replications
        let lead = [
            Axis(ResultsSchema.configurationAxis, .strings(record.configurations),
                 description: "compared configurations; the first is the baseline"),
            Axis(ResultsSchema.comparisonAxis, .strings(record.comparisons),
                 description: "paired differences: configuration minus baseline, replication by replication"),
            Axis(ResultsSchema.replicationAxis, .integers((0..<reps).map(Int64.init)),
                 description: "replication index: the same random streams in every configuration (common random numbers)"),
        ]
        let axes = AxisWriter(file: file)
        try axes.write(lead + record.axes)
        try SweepFileWriter.writeTables(record.tables, leading: [ResultsSchema.configurationAxis], replications: reps,
                                        level: record.metadata.confidenceLevel, axes: axes, in: file)
        let group = try file.createGroup(ResultsSchema.differenceGroup)
        try group.setAttribute("confidence_level", record.metadata.confidenceLevel)
        try group.setAttribute("description", "paired differences (configuration - baseline) across replications: mean, sd, Student-t CI")
        for (table, difference) in zip(record.tables, record.differences) {
            let dims = [ResultsSchema.comparisonAxis] + (table.entityAxis.map { [$0] } ?? []) + [table.metricAxis]
            try SweepFileWriter.writeSummary(difference, name: table.name, in: group, dims: dims, axes: axes)
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `bordersim inspect` shows of a run file: its root attributes, its axes, its summary
/// tables and the list of its datasets.
public struct RunFileContents: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case strings([String])
        case number(Double)
        case numbers([Double])
        case integer(Int64)
        case integers([Int64])
        /// Unsigned 64-bit (the master seed): kept exact.
        case unsigned(UInt64)
    }
    public struct SummaryTable: Sendable {
        public var name: String
        /// The axis naming the rows (nil for a one-row table such as the port).
        public var entityAxis: String?
        public var entities: [String]
        public var metrics: [String]
        public var units: [String]
        /// Row-major `[entity][metric]`; NaN where undefined.
        public var statistics: [String: [Double]]
    }
    public struct DatasetInfo: Sendable {
        public var path: String
        public var shape: [Int]
        public var type: String
        public var dimensions: [String]
    }
    public var path: String
    public var attributes: [(name: String, value: Value)]
    public var tables: [SummaryTable]
    public var datasets: [DatasetInfo]

    public func attribute(_ name: String) -> Value? { attributes.first { $0.name == name }?.value }
}

/// Why a file cannot be read as a bordersim result.
public struct ResultFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ path: String, _ message: String) { description = "\(path): \(message)" }
}

/// Reads run files back, checking first that the file is HDF5, complete, written by bordersim
/// and in a schema version this build understands.
public enum RunFileReader {
    public static func open(_ path: String) throws -> H5File {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ResultFileError(path, "no such file")
        }
        if isDirectory.boolValue { throw ResultFileError(path, "is a directory, expected an HDF5 result file") }
        // Opening a FIFO or a device would block or read for ever: only regular files are read.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ResultFileError(path, "is not a regular file (a FIFO, device or socket?), expected an HDF5 result file")
        }
        guard H5File.isHDF5(path) else {
            throw ResultFileError(path, "not an HDF5 file (no HDF5 signature); expected a result file written by bordersim run --out")
        }
        let file: H5File
        do { file = try H5File.open(path) } catch let error as HDF5Error {
            throw ResultFileError(path, "cannot be read as HDF5, the file may be truncated or damaged: \(error)")
        }
        typealias A = ResultsSchema.Attribute
        guard file.hasAttribute(A.tool), let tool = try? file.stringAttribute(A.tool).first else {
            if path.hasSuffix(".partial") {
                throw ResultFileError(path, "an unfinished result file (its run failed, was interrupted or is still going); it holds no results")
            }
            throw ResultFileError(path, "an HDF5 file, but not a bordersim result (no '\(A.tool)' attribute at the root)")
        }
        guard tool == ResultsSchema.tool else {
            throw ResultFileError(path, "written by '\(tool)', not by bordersim")
        }
        guard let (kind, shape) = try? file.attributeInfo(A.schemaVersion), shape.isEmpty || shape == [1],
              let version = try? file.attribute(A.schemaVersion, as: Int64.self).first else {
            throw ResultFileError(path, "a bordersim file without a readable '\(A.schemaVersion)' attribute")
        }
        switch kind {
        case .signed, .unsigned: break
        default:
            let shown = (try? file.attribute(A.schemaVersion, as: Double.self).first).map { "\($0)" } ?? "\(kind)"
            throw ResultFileError(path, "'\(A.schemaVersion)' is \(shown), expected a whole number (a schema version this bordersim knows: 1 to \(ResultsSchema.version))")
        }
        guard version >= 1 else {
            throw ResultFileError(path, "schema version \(version) is not a valid bordersim results schema version")
        }
        guard version <= ResultsSchema.version else {
            throw ResultFileError(path, "written with results schema version \(version); this bordersim reads versions up to \(ResultsSchema.version)")
        }
        // A file that merely claims to be ours: the layout every result file has must be there.
        let fileKind = (try? file.stringAttribute(A.kind).first) ?? ResultsSchema.runKind
        let needed = fileKind == ResultsSchema.comparisonKind ? [ResultsSchema.differenceGroup] : [ResultsSchema.summaryGroup]
        let missing = [A.toolVersion, A.created, A.replications].filter { !file.hasAttribute($0) }
            + needed.filter { !file.contains($0) }
        guard missing.isEmpty else {
            try? file.close()
            throw ResultFileError(path, "claims to be a bordersim \(fileKind) file but lacks \(missing.joined(separator: ", ")); not a result file bordersim wrote")
        }
        if let r = try? file.attribute(A.replications, as: Int64.self).first, r < 1 || r > 100_000_000 {
            try? file.close()
            throw ResultFileError(path, "'\(A.replications)' is \(r), expected a count from 1 to 100000000 (a damaged file?)")
        }
        return file
    }

    public static func contents(of path: String) throws -> RunFileContents {
        let file = try open(path)
        do {
            var attributes: [(String, RunFileContents.Value)] = []
            for name in try file.attributeNames() { attributes.append((name, try value(of: name, in: file))) }
            var tables: [RunFileContents.SummaryTable] = []
            // Run files: summary tables are [entity ×] metric. Sweeps and comparisons stack them
            // along a leading axis; their own readers (and inspect) show those.
            let kind = (try? file.stringAttribute(ResultsSchema.Attribute.kind).first) ?? ResultsSchema.runKind
            if kind == ResultsSchema.runKind || kind == ResultsSchema.sweepKind, file.contains(ResultsSchema.summaryGroup) {
                let summary = try file.group(ResultsSchema.summaryGroup)
                let names = summary.hasAttribute("tables") ? try summary.stringAttribute("tables") : try summary.memberNames()
                for name in names {
                    tables += try self.tables(name, in: try summary.group(name), file: file)
                }
            } else if kind == ResultsSchema.comparisonKind, file.contains(ResultsSchema.differenceGroup) {
                // Comparisons: the paired differences, one table per configuration against the baseline.
                let difference = try file.group(ResultsSchema.differenceGroup)
                for name in try difference.memberNames() {
                    tables += try self.tables(name, in: try difference.group(name), file: file)
                }
            }
            var datasets: [RunFileContents.DatasetInfo] = []
            for datasetPath in try file.datasetPaths() {
                let d = try file.dataset(String(datasetPath.dropFirst()))
                datasets.append(.init(path: datasetPath, shape: try d.shape(), type: try d.kind().description,
                                      dimensions: try d.attachedScaleNames().map { $0 ?? "" }))
            }
            try file.close()
            return RunFileContents(path: path, attributes: attributes, tables: tables, datasets: datasets)
        } catch let error as HDF5Error {
            throw ResultFileError(path, "damaged or incomplete result file: \(error)")
        }
    }

    /// A summary table `[entity ×] metric`; with a leading axis (`comparison`, `point`), one
    /// table per label of it, named `NAME: LABEL`.
    private static func tables(_ name: String, in group: H5Group, file: H5File) throws -> [RunFileContents.SummaryTable] {
        let mean = try group.dataset("mean")
        let dims = try mean.attachedScaleNames(), shape = try mean.shape()
        guard let metricAxis = dims.last ?? nil else {
            throw HDF5Error(operation: "\(mean.path) has no metric axis attached", stack: [])
        }
        let first: String? = dims.first ?? nil
        let hasLeading = shape.count == 3 || (shape.count == 2 && first.map(isLeadingAxis) == true)
        let leading: String? = hasLeading ? first : nil
        let entityAxis: String? = shape.count == 3 ? dims[1] : (shape.count == 2 && !hasLeading ? first : nil)
        let metricScale = try file.dataset(metricAxis)
        var statistics: [String: [Double]] = [:]
        for statistic in MetricSummary.statistics {
            statistics[statistic] = try group.dataset(statistic).read(as: Double.self)
        }
        let entities = try entityAxis.map { try file.dataset($0).readStrings() } ?? []
        let metrics = try metricScale.readStrings()
        let units = metricScale.hasAttribute("units") ? try metricScale.stringAttribute("units") : []
        // Every size the tables are indexed with must be the data's own.
        func damaged(_ why: String) -> HDF5Error { HDF5Error(operation: "\(mean.path): \(why)", stack: []) }
        let cells = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        for (statistic, values) in statistics where values.count != cells {
            throw damaged("\(statistic) holds \(values.count) values, expected \(cells) (shape \(shape))")
        }
        guard shape.last == metrics.count else { throw damaged("\(metrics.count) metric labels for \(shape.last ?? 0) columns") }
        if units.count != 0 && units.count != metrics.count { throw damaged("\(units.count) units for \(metrics.count) metrics") }
        if let entityAxis, shape.count >= 2, shape[shape.count - 2] != entities.count {
            throw damaged("\(entities.count) labels on \(entityAxis) for \(shape[shape.count - 2]) rows")
        }
        guard let leading else {
            return [.init(name: name, entityAxis: entityAxis, entities: entities, metrics: metrics, units: units, statistics: statistics)]
        }
        var labels = (try? file.dataset(leading).readStrings()) ?? (0..<shape[0]).map(String.init)
        if labels.count != shape[0] {
            // Integer labels (sweep points) are read as numbers.
            guard let numbers = try? file.dataset(leading).read(as: Int64.self), numbers.count == shape[0] else {
                throw damaged("\(labels.count) labels on \(leading) for \(shape[0]) rows")
            }
            labels = numbers.map(String.init)
        }
        let block = max(1, entities.count) * metrics.count
        return labels.enumerated().map { k, label in
            .init(name: "\(name): \(label)", entityAxis: entityAxis, entities: entities, metrics: metrics, units: units,
                  statistics: statistics.mapValues { Array($0[(k * block)..<min($0.count, (k + 1) * block)]) })
        }
    }

    private static func isLeadingAxis(_ axis: String) -> Bool {
        axis == ResultsSchema.comparisonAxis || axis == ResultsSchema.configurationAxis || axis == ResultsSchema.pointAxis
    }

    private static func value(of name: String, in object: H5Object) throws -> RunFileContents.Value {
        let (kind, shape) = try object.attributeInfo(name)
        switch kind {
        case .string:
            let s = try object.stringAttribute(name)
            return shape.isEmpty ? .string(s.first ?? "") : .strings(s)
        case .float:
            let v = try object.attribute(name, as: Double.self)
            return shape.isEmpty ? .number(v[0]) : .numbers(v)
        case .unsigned(let bytes) where bytes == 8:
            // Seeds are unsigned 64-bit: read them exactly, not through Int64.
            let v = try object.attribute(name, as: UInt64.self)
            return .unsigned(v.first ?? 0)
        case .signed, .unsigned:
            let v = try object.attribute(name, as: Int64.self)
            return shape.isEmpty ? .integer(v[0]) : .integers(v)
        case .other:
            return .string("(unsupported type)")
        }
    }
}

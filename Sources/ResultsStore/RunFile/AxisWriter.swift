/// Writes labelled axes (dimension scales) at the root of a result file and attaches them to
/// datasets by name. Shared by run, sweep and comparison files.
final class AxisWriter {
    let file: H5File
    private var scales: [String: H5Dataset] = [:]

    init(file: H5File) { self.file = file }

    /// Writes the axes, scales first and then the auxiliary coordinates that hang on them.
    func write(_ axes: [Axis]) throws {
        for axis in axes where axis.along == nil { try write(axis) }
        for axis in axes where axis.along != nil { try write(axis) }
    }

    func write(_ axis: Axis) throws {
        let dataset: H5Dataset
        switch axis.labels {
        case .strings(let s): dataset = try file.createDataset(axis.name, strings: s)
        case .integers(let i): dataset = try file.createDataset(axis.name, i)
        case .reals(let r): dataset = try file.createDataset(axis.name, r)
        }
        if !axis.unit.isEmpty { try dataset.setAttribute("units", axis.unit) }
        try dataset.setAttribute("description", axis.description)
        if let along = axis.along {
            try label(dataset, dims: [along])
        } else {
            try dataset.makeScale(axis.name)
            scales[axis.name] = dataset
        }
    }

    /// The `TABLE_metric` axis of a table, with the metrics' units and descriptions.
    func writeMetricAxis(of table: MetricTable) throws {
        try write(Axis(table.metricAxis, .strings(table.metrics.map(\.name)),
                       description: "metrics of /\(ResultsSchema.replicationsGroup)/\(table.name)"))
        try scales[table.metricAxis]!.setAttribute("units", table.metrics.map(\.unit))
        try scales[table.metricAxis]!.setAttribute("descriptions", table.metrics.map(\.description))
    }

    /// Number of labels on a written axis.
    func count(_ axis: String) throws -> Int {
        guard let scale = scales[axis] else {
            throw HDF5Error(operation: "write results: axis '\(axis)' is used before it is written", stack: [])
        }
        return try scale.shape()[0]
    }

    /// Attaches the named axes to the dimensions of `dataset`, in order.
    func label(_ dataset: H5Dataset, dims: [String]) throws {
        for (d, name) in dims.enumerated() {
            guard let scale = scales[name] else {
                throw HDF5Error(operation: "write results: axis '\(name)' of \(dataset.path) is not written", stack: [])
            }
            try dataset.attach(scale, to: d, label: name)
        }
    }
}

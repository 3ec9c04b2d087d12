import BorderModel
import ResultsStore

/// A run whose results go to a result file: the replications run inside the file's safe write
/// (partial file, renamed when complete), the trace streams in while they run, and the header,
/// tables and series are written once they are done (the header then names the final count).
public enum RecordedRun {
    public static func run(_ config: PortConfiguration, metadata: RunMetadata, output: ResultFileOutput, trace: Bool,
                           threads: Int? = nil, traceChunkRows: Int = 65_536) throws -> [ReplicationResult] {
        try run(config, metadata: metadata, output: output, trace: trace, traceChunkRows: traceChunkRows) { observer in
            try ReplicationRunner.run(config, seed: metadata.seed, replications: metadata.replications,
                                      threads: threads, observer: observer)
        }
    }

    /// The same with any way of running the replications (e.g. sequential, to a precision):
    /// `replications` runs them, telling `observer` (the trace recorder, if any) about each.
    public static func run(_ config: PortConfiguration, metadata: RunMetadata, output: ResultFileOutput, trace: Bool,
                           traceChunkRows: Int = 65_536,
                           replications: (ReplicationObserver?) throws -> [ReplicationResult]) throws -> [ReplicationResult] {
        var results: [ReplicationResult] = []
        try output.write { file in
            let writer = RunFileWriter(file: file)
            let recorder = try trace ? TraceRecorder(writer: TraceTableWriter(file: file, chunkRows: traceChunkRows)) : nil
            results = try replications(recorder)
            if let error = recorder?.error { throw error }
            var final = metadata
            final.replications = results.count
            try writer.writeHeader(final, hasTrace: trace)
            try writer.write(RunRecordBuilder.record(metadata: final, config: config, results: results))
        }
        return results
    }
}

import BorderModel
import ResultsStore

/// A run whose results go to a result file: the replications run inside the file's safe write
/// (partial file, renamed when complete), the trace streams in while they run, and the tables
/// and series are written once they are done.
public enum RecordedRun {
    public static func run(_ config: PortConfiguration, metadata: RunMetadata, output: ResultFileOutput, trace: Bool,
                           threads: Int? = nil, traceChunkRows: Int = 65_536) throws -> [ReplicationResult] {
        var results: [ReplicationResult] = []
        try output.write { file in
            let writer = RunFileWriter(file: file)
            try writer.writeHeader(metadata, hasTrace: trace)
            let recorder = try trace ? TraceRecorder(writer: TraceTableWriter(file: file, chunkRows: traceChunkRows)) : nil
            results = try ReplicationRunner.run(config, seed: metadata.seed, replications: metadata.replications,
                                                threads: threads, observer: recorder)
            if let error = recorder?.error { throw error }
            try writer.write(RunRecordBuilder.record(metadata: metadata, config: config, results: results))
        }
        return results
    }
}

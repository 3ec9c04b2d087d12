import Foundation
import ResultsStore

/// What a run file keeps to reproduce its run: the resolved scenario text (overrides applied,
/// CSV columns as values), the seed, the replications and whether it has the trace.
struct StoredRun {
    var scenarioText: String
    var scenarioPath: String
    var seed: UInt64
    var replications: Int
    var trace: Bool
    /// Where references left in the text resolve: the original scenario's folder.
    var directory: URL

    init(file: String) throws {
        let contents: RunFileContents
        do {
            try ResultFileProbe.check(file)
            contents = try RunFileReader.contents(of: file)
        } catch let error as ResultFileError { throw CLIError(error.description) }
        typealias A = ResultsSchema.Attribute
        if case .string(let kind)? = contents.attribute(A.kind), kind != ResultsSchema.runKind {
            throw CLIError("\(file) is a \(kind) file; --from takes a run file (from `bordersim run --out`)")
        }
        guard case .string(let text)? = contents.attribute(A.scenarioText) else {
            throw CLIError("\(file) holds no scenario text (\(A.scenarioText)) to re-run")
        }
        scenarioText = text
        if case .string(let p)? = contents.attribute(A.scenarioPath) { scenarioPath = p } else { scenarioPath = file }
        switch contents.attribute(A.seed) {
        case .unsigned(let u)?: seed = u
        case .integer(let i)?: seed = UInt64(max(0, i))
        default: throw CLIError("\(file) holds no seed to re-run")
        }
        guard case .integer(let r)? = contents.attribute(A.replications) else { throw CLIError("\(file) holds no replication count") }
        replications = Int(r)
        if case .integer(let t)? = contents.attribute(A.hasTrace) { trace = t != 0 } else { trace = false }
        directory = URL(fileURLWithPath: scenarioPath).absoluteURL.deletingLastPathComponent()
    }
}

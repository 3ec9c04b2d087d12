import Foundation
import ResultsStore

/// What an unfinished sweep has done so far, beside its result file: `OUT.progress/`, holding
/// the plan hash and one file per finished point (every table's per-replication values, as
/// little-endian Float64, tables in order). Each file is written whole under a temporary name
/// and renamed, so an interrupted sweep leaves only complete points, which `--resume` reuses.
public struct SweepCheckpoint {
    public let directory: String
    let hash: String

    public init(resultFile: String, hash: String) {
        directory = resultFile + ".progress"
        self.hash = hash
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: directory) }

    /// Starts a new checkpoint, or with `resume` opens the one left by an interrupted run of
    /// the same sweep (or starts a new one if there is none: a first run may say --resume).
    public func prepare(resume: Bool) throws {
        let fm = FileManager.default
        let hashFile = directory + "/plan.sha256"
        if exists {
            guard resume else {
                throw CheckpointError("\(directory) holds the points of an interrupted sweep; add --resume to continue it, or remove that folder to start again")
            }
            let stored = (try? String(contentsOfFile: hashFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard stored == hash else {
                throw CheckpointError("\(directory) belongs to a different sweep (another plan, scenario, seed or replication count: hash \(stored ?? "missing") ≠ \(hash)); remove it to start again")
            }
            return
        }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try Data((hash + "\n").utf8).write(to: URL(fileURLWithPath: hashFile), options: .atomic)
        } catch {
            throw CheckpointError("could not create \(directory): \(error.localizedDescription)")
        }
    }

    private func file(_ point: Int) -> URL { URL(fileURLWithPath: directory + String(format: "/point-%07d.f64", point)) }

    public func save(point: Int, tables: [MetricTable]) throws {
        var data = Data()
        for t in tables { t.values.withUnsafeBytes { data.append(contentsOf: $0) } }
        do { try data.write(to: file(point), options: .atomic) } catch {
            throw CheckpointError("could not save point \(point) in \(directory): \(error.localizedDescription)")
        }
    }

    /// The saved values of `point`, split like `template`'s tables, or nil if not saved (or not
    /// of the expected size).
    public func load(point: Int, template: [MetricTable], replications: Int) -> [[Double]]? {
        guard let data = try? Data(contentsOf: file(point)) else { return nil }
        let sizes = template.map { replications * $0.cellsPerReplication }
        guard data.count == sizes.reduce(0, +) * 8 else { return nil }
        var all = [Double](repeating: 0, count: data.count / 8)
        _ = all.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        // Counts are always finite: a point with no finite value is damaged (wiped, zero-filled by a
        // crash), not a result. It is run again rather than merged.
        guard all.isEmpty || all.contains(where: { $0.isFinite }) else { return nil }
        var out: [[Double]] = [], start = 0
        for n in sizes { out.append(Array(all[start..<start + n])); start += n }
        return out
    }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

public struct CheckpointError: Error, CustomStringConvertible {
    public var description: String
    init(_ message: String) { description = message }
}

extension MetricTable {
    /// Values per replication: entities × metrics.
    var cellsPerReplication: Int { summary.mean.count }
}

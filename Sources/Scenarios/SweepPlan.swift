/// A sweep plan, read and checked: which scenario, which parameters over which values, which
/// design, how many replications per point. The points themselves are made by Experiments.
public struct SweepPlan: Sendable {
    public var name: String
    public var description: String
    /// The plan file and its text (stored in the result file: a sweep file reproduces itself).
    public var path: String
    public var text: String
    /// The base scenario, resolved against the plan's folder.
    public var scenarioPath: String
    /// Per point; nil: the scenario's.
    public var replications: Int?
    /// nil: the scenario's.
    public var seed: UInt64?
    /// `key.path=value` overrides applied at every point (the plan's `set:`).
    public var fixed: [String]
    public var design: SweepDesign
    public var parameters: [SweepParameter]
}

extension SweepDesign {
    /// Rows per base row of a Saltelli design over `parameters` parameters: 2k + 2 with second-order indices, else k + 2.
    public static func saltelliRowsPerBase(parameters k: Int, secondOrder: Bool) -> Int {
        secondOrder ? 2 * k + 2 : k + 2
    }
}

public enum SweepDesign: Sendable, Equatable, CustomStringConvertible {
    /// Every combination of every parameter's values (the first parameter varies slowest).
    case grid
    /// `points` points, each parameter's range cut in `points` equal strata, one point per stratum.
    case latinHypercube(points: Int, seed: UInt64)
    /// The first `points` points of the Sobol sequence (after `skip`), GSL's generator.
    case sobol(points: Int, skip: Int)
    /// Saltelli's design for variance-based (Sobol) indices, in SALib's order: for each of the
    /// `base` rows of a 2k-dimensional Sobol sequence (after `skip`), A, A with column j from B
    /// (j = 1…k), then (second order) B with column j from A, then B: 2k + 2 rows per base row (k + 2 without second order).
    /// The rows of one base row are consecutive, so SALib's `sobol.analyze` reads the outputs as they are.
    case saltelli(base: Int, secondOrder: Bool, skip: Int)

    public var description: String {
        switch self {
        case .grid: return "grid"
        case let .latinHypercube(n, seed): return "latin-hypercube (points \(n), seed \(seed))"
        case let .sobol(n, skip): return "sobol (points \(n), skip \(skip))"
        case let .saltelli(n, second, skip): return "saltelli (base \(n), second-order \(second), skip \(skip))"
        }
    }
}

/// One swept scenario value, addressed by its key path (as `--set` addresses it).
public struct SweepParameter: Sendable, Equatable {
    public enum Domain: Sendable, Equatable {
        /// Listed values (scenario text: numbers, or anything the key accepts such as `8 min`).
        case values([String])
        /// A continuous range (Latin hypercube, Sobol), optionally rounded to whole numbers.
        case range(min: Double, max: Double, integer: Bool)
    }
    public var path: String
    public var domain: Domain
    /// Where the parameter is written in the plan, for messages about its values.
    public var line: Int
    public var column: Int
}

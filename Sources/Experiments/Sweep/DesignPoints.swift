import ResultsStore
import Scenarios
import SimKernel

/// The points of a sweep design: for each point, the `key.path=value` overrides that make its
/// scenario, and for each parameter the column of its values (what `/points` stores).
public struct DesignPoints: Sendable {
    /// `[point][parameter]`, as scenario text.
    public var settings: [[String]]
    /// One column per parameter: numbers when every value is a number, else text.
    public var columns: [Axis.Labels]
    public var count: Int { settings.count }

    /// Makes the points of `plan`'s design.
    ///
    /// - Grid: every combination, the first parameter varying slowest. O(points × parameters).
    /// - Latin hypercube: for each parameter an independent random permutation of the n strata
    ///   (GSL shuffle, MT19937 seeded from the design seed and the parameter's position), a uniform
    ///   draw within the stratum. Every parameter's n values fall one in each stratum.
    /// - Sobol: GSL's `gsl_qrng_sobol` in as many dimensions as parameters, after `skip` points.
    /// - Saltelli: `base` points of GSL's Sobol sequence in 2k dimensions (after `skip`), split into
    ///   A (first k) and B (last k), laid out row by row as SALib's `sobol.sample` does, so that
    ///   `SALib.analyze.sobol.analyze(problem, Y)` takes the outputs in point order.
    /// A unit coordinate u maps to `min + u (max − min)` for a range, to ⌊min + u (max − min + 1)⌋
    /// for a whole-number range (each integer equally likely), and to value ⌊u·k⌋ of a list of k values.
    public init(_ plan: SweepPlan) {
        let parameters = plan.parameters
        var units: [[Double]] = []  // [point][parameter] in [0, 1), only for LHS / Sobol
        switch plan.design {
        case .grid:
            var rows: [[String]] = [[]]
            for p in parameters {
                guard case .values(let values) = p.domain else { continue }  // the loader refuses ranges in a grid
                rows = rows.flatMap { row in values.map { row + [$0] } }
            }
            settings = rows
            columns = Self.columns(rows, parameters.count)
            return
        case let .latinHypercube(n, seed):
            units = Array(repeating: Array(repeating: 0, count: parameters.count), count: n)
            for j in parameters.indices {
                let stream = RandomStream(masterSeed: seed, replication: 0, name: "latin-hypercube/\(j)")
                var strata = Array(0..<n)
                stream.shuffle(&strata)
                for i in 0..<n { units[i][j] = (Double(strata[i]) + stream.uniform()) / Double(n) }
            }
        case let .sobol(n, skip):
            units = Self.sobol(points: n, dimensions: parameters.count, skip: skip)
        case let .saltelli(n, secondOrder, skip):
            units = Self.saltelli(Self.sobol(points: n, dimensions: 2 * parameters.count, skip: skip),
                                  parameters: parameters.count, secondOrder: secondOrder)
        }
        var rows: [[String]] = []
        var numbers: [[Double]] = Array(repeating: [], count: parameters.count)
        for u in units {
            rows.append(parameters.indices.map { j in
                switch parameters[j].domain {
                case let .range(lo, hi, integer):
                    // Whole numbers: the k = hi − lo + 1 integers get equal shares of [0, 1).
                    let v = integer ? Swift.min(hi, (lo + u[j] * (hi - lo + 1)).rounded(.down)) : lo + u[j] * (hi - lo)
                    numbers[j].append(v)
                    return SweepPlanLoader.format(v)
                case .values(let values):
                    return values[min(values.count - 1, Int(u[j] * Double(values.count)))]
                }
            })
        }
        settings = rows
        columns = Self.columns(rows, parameters.count)
        // Continuous values keep full precision in /points (the text form is exact too).
        for j in parameters.indices where !numbers[j].isEmpty { columns[j] = .reals(numbers[j]) }
    }

    /// `points` points of GSL's Sobol sequence in `dimensions` dimensions, after `skip` points.
    static func sobol(points n: Int, dimensions: Int, skip: Int) -> [[Double]] {
        let sobol = SobolSequence(dimensions: max(1, dimensions))!   // the loader caps the dimension
        for _ in 0..<skip { _ = sobol.next() }
        return (0..<n).map { _ in Array(sobol.next().prefix(dimensions)) }
    }

    /// Saltelli's cross-sampled rows from base rows [A | B] of 2k coordinates, in SALib's order:
    /// A, then A with column j from B for each j, then (second order) B with column j from A, then B.
    static func saltelli(_ base: [[Double]], parameters k: Int, secondOrder: Bool) -> [[Double]] {
        var rows: [[Double]] = []
        rows.reserveCapacity(base.count * SweepDesign.saltelliRowsPerBase(parameters: k, secondOrder: secondOrder))
        for row in base {
            let a = Array(row[0..<k]), b = Array(row[k..<(2 * k)])
            rows.append(a)
            for j in 0..<k { var ab = a; ab[j] = b[j]; rows.append(ab) }
            if secondOrder { for j in 0..<k { var ba = b; ba[j] = a[j]; rows.append(ba) } }
            rows.append(b)
        }
        return rows
    }

    private static func columns(_ rows: [[String]], _ count: Int) -> [Axis.Labels] {
        (0..<count).map { j in
            let texts = rows.map { $0[j] }
            let values = texts.map { Double($0.trimmingCharacters(in: .whitespaces)) }
            return values.allSatisfy({ $0 != nil }) ? .reals(values.map { $0! }) : .strings(texts)
        }
    }
}

import Foundation
import SimKernel

/// Agreement between predicted and observed hourly values, over the hours where both are
/// defined. Undefined results (no hours; a constant series has no correlation) are NaN.
public struct Score: Sendable, Equatable {
    public var hours: Int
    public var mae: Double, rmse: Double, bias: Double
    public var pearson: Double, spearman: Double

    public init(observed: [Double], predicted: [Double]) {
        var o: [Double] = [], p: [Double] = []
        for (a, b) in zip(observed, predicted) where a.isFinite && b.isFinite { o.append(a); p.append(b) }
        hours = o.count
        guard !o.isEmpty else { mae = .nan; rmse = .nan; bias = .nan; pearson = .nan; spearman = .nan; return }
        let n = Double(o.count)
        mae = zip(p, o).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        rmse = (zip(p, o).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n).squareRoot()
        bias = zip(p, o).reduce(0) { $0 + ($1.0 - $1.1) } / n
        let varies = { (x: [Double]) in x.contains { $0 != x[0] } }
        if o.count > 2, varies(o), varies(p) {
            pearson = Correlation.pearson(o, p)
            spearman = Correlation.spearman(o, p)
        } else { pearson = .nan; spearman = .nan }
    }

    /// Scores by hour of day (0…23) of the grid index.
    public static func byHourOfDay(observed: [Double], predicted: [Double]) -> [Score] {
        (0..<24).map { h in
            let idx = stride(from: h, to: observed.count, by: 24)
            return Score(observed: idx.map { observed[$0] }, predicted: idx.map { predicted[$0] })
        }
    }

    public var json: [String: Any] {
        ["hours": hours, "mae": JSONNumber.of(mae), "rmse": JSONNumber.of(rmse), "bias": JSONNumber.of(bias),
         "pearson": JSONNumber.of(pearson), "spearman": JSONNumber.of(spearman)]
    }
}

enum JSONNumber {
    /// NaN and infinities are null in JSON (undefined is not zero).
    static func of(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
}

/// Text cell: "—" for undefined.
func cell(_ x: Double, _ digits: Int = 2) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "—" }

import Foundation
import Scenarios
import SimKernel

/// One parameter to fit: a scenario key path and its range, e.g. `lanes.booths.service.passenger.lognormal.mean=40s..80s`.
/// The unit written after the numbers (s, min, %, none) is kept when the value is set.
public struct FitParameter: Sendable, Equatable {
    public var keyPath: String
    public var low: Double, high: Double
    public var unit: String

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        let range = parts.count == 2 ? parts[1].components(separatedBy: "..") : []
        func split(_ s: String) -> (Double, String)? {
            let t = s.trimmingCharacters(in: .whitespaces)
            let end = t.firstIndex { !("0123456789.+-eE".contains($0)) } ?? t.endIndex
            guard let v = Double(t[..<end]), v.isFinite else { return nil }
            return (v, t[end...].trimmingCharacters(in: .whitespaces))
        }
        guard parts.count == 2, !parts[0].isEmpty, range.count == 2, let lo = split(range[0]), let hi = split(range[1]) else {
            throw Failure(description: "--fit expects key.path=LOW..HIGH (e.g. lanes.booths.service.passenger.lognormal.mean=40s..80s), found '\(text)'")
        }
        guard lo.1 == hi.1 || lo.1.isEmpty || hi.1.isEmpty else {
            throw Failure(description: "--fit \(parts[0]): LOW and HIGH must have the same unit, found '\(lo.1)' and '\(hi.1)'")
        }
        guard lo.0 < hi.0 else { throw Failure(description: "--fit \(parts[0]): expected LOW < HIGH, found \(range[0])..\(range[1])") }
        keyPath = parts[0]; low = lo.0; high = hi.0; unit = lo.1.isEmpty ? hi.1 : lo.1
    }

    /// The `--set` text for a value.
    public func setting(_ v: Double) -> String { "\(keyPath)=\(String(format: "%.6g", v))\(unit)" }
}

public enum CalibrationObjective: String, Sendable, CaseIterable {
    case mae, rmse, buckets

    /// Lower is better. buckets: mean over scored hours of the squared distance between the
    /// predicted and observed bucket shares.
    func value(_ report: ReplayReport) -> Double {
        switch self {
        case .mae: return report.simulationScore.mae
        case .rmse: return report.simulationScore.rmse
        case .buckets:
            let k = report.prediction.bucketCount
            var total = 0.0, n = 0
            for (i, h) in report.period.hours.enumerated() {
                guard let b = h?.buckets, k > 0 else { continue }
                let sum = b.reduce(0, +)
                guard sum > 0, report.prediction.buckets[i * k].isFinite else { continue }
                total += (0..<k).reduce(0.0) { let d = report.prediction.buckets[i * k + $1] - b[$1] / sum; return $0 + d * d }
                n += 1
            }
            return n > 0 ? total / Double(n) : .nan
        }
    }
}

/// Simulation-based calibration: GSL's Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`)
/// on the replay objective. Each parameter is searched on [0, 1] ↦ [LOW, HIGH]; points outside
/// are evaluated at the nearest bound plus a quadratic penalty, so the simplex stays in range.
/// Every evaluation replays the same replications (same seed): common random numbers, so the
/// objective changes with the parameters, not with the noise.
public struct Calibration {
    public var parameters: [FitParameter]
    public var objective: CalibrationObjective
    public var budget: Int
    public var tolerance = 1e-3
    /// The objective at a parameter vector, or an error (bad value for the scenario).
    public var evaluate: ([Double]) throws -> ReplayReport

    public struct Step: Sendable { public var evaluation: Int; public var values: [Double]; public var objective: Double; public var best: Double }
    public struct Result: Sendable {
        public var values: [Double]
        public var objective: Double
        public var evaluations: Int
        public var converged: Bool
        public var history: [Step]
    }

    public init(parameters: [FitParameter], objective: CalibrationObjective, budget: Int,
                evaluate: @escaping ([Double]) throws -> ReplayReport) {
        self.parameters = parameters; self.objective = objective; self.budget = budget; self.evaluate = evaluate
    }

    final class State {
        let run: Calibration
        var history: [Calibration.Step] = []
        var best = (value: Double.infinity, x: [Double]())
        var error: Error?
        let onStep: (Calibration.Step) -> Void
        init(_ run: Calibration, onStep: @escaping (Calibration.Step) -> Void) { self.run = run; self.onStep = onStep }

        func f(_ u: [Double]) -> Double {
            if error != nil || history.count >= run.budget { return best.value.isFinite ? best.value + 1 : 1e300 }
            let clamped = u.map { min(1, max(0, $0)) }
            let penalty = zip(u, clamped).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } * 1e3
            let x = zip(clamped, run.parameters).map { $1.low + $0 * ($1.high - $1.low) }
            var v = Double.nan
            do { v = run.objective.value(try run.evaluate(x)) } catch { self.error = error; return 1e300 }
            if !v.isFinite { v = 1e12 }            // nothing scored at this point: treat as very bad
            if v < best.value { best = (v, x) }
            let step = Calibration.Step(evaluation: history.count + 1, values: x, objective: v, best: best.value)
            history.append(step)
            onStep(step)
            return v + penalty
        }
    }

    /// Runs Nelder–Mead from the middle of each range (initial steps a quarter of the range)
    /// until the simplex is smaller than `tolerance` (in range units) or the budget is spent.
    public func run(start: [Double]? = nil, onStep: @escaping (Step) -> Void = { _ in }) throws -> Result {
        let k = parameters.count
        let state = State(self, onStep: onStep)
        let x0 = (0..<k).map { i in
            min(1, max(0, start.map { ($0[i] - parameters[i].low) / (parameters[i].high - parameters[i].low) } ?? 0.5))
        }
        let converged = NelderMead.minimize(start: x0, step: Array(repeating: 0.25, count: k), tolerance: tolerance,
                                            proceed: { state.history.count < budget && state.error == nil }) { state.f($0) }
        if let e = state.error { throw e }
        return Result(values: state.best.x, objective: state.best.value, evaluations: state.history.count,
                      converged: converged, history: state.history)
    }
}

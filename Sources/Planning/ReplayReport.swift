import Foundation
import ResultsStore
import Scenarios

/// A replay set beside the observations: the per-hour table, the scores of the simulation and
/// of the baselines on the same hours, and the scores by hour of day.
public struct ReplayReport: Sendable {
    public var scenario: String
    public var period: ObservedPeriod
    public var spec: ObservedSpec
    public var prediction: ReplayPrediction
    public var observed: [Double]
    public var baselines: Baselines
    /// "fit data" the baselines were fitted on (file names), or "the observed period itself".
    public var baselineFit: String
    public var predictors: [(name: String, values: [Double])]

    public init(scenario: String, period: ObservedPeriod, spec: ObservedSpec, prediction: ReplayPrediction,
                baselines: Baselines, baselineFit: String) {
        self.scenario = scenario; self.period = period; self.spec = spec; self.prediction = prediction
        self.baselines = baselines; self.baselineFit = baselineFit
        observed = period.hours.map { $0?.meanWait ?? .nan }
        let x = Baselines.Inputs(period)
        predictors = [("simulation", prediction.mean),
                      ("constant (fit median)", baselines.predictConstant(x)),
                      ("least squares on pax/booth-hour", baselines.predictLeastSquares(x)),
                      ("Erlang C, pointwise stationary", baselines.predictErlang(x))]
    }

    public var scores: [(name: String, score: Score)] {
        predictors.map { ($0.name, Score(observed: observed, predicted: $0.values)) }
    }
    public var simulationScore: Score { Score(observed: observed, predicted: prediction.mean) }
    public var byHour: [Score] { Score.byHourOfDay(observed: observed, predicted: prediction.mean) }

    /// Observed rows only (the hours present in the files), in time order.
    var rows: [Int] { period.hours.indices.filter { period.hours[$0] != nil } }

    public var bucketNames: [String] { spec.buckets.map { "predicted_share_" + $0.column } }

    // MARK: text

    public func text() -> String {
        var out = "replay of \(scenario) over \(period.firstDate) … \(period.lastDate): \(rows.count) observed hours"
        out += " (\(period.count - rows.count) absent: no arrivals, scheduled booths, not scored), \(prediction.replications) replications\n"
        out += "baselines fitted on \(baselineFit)\n\n"
        out += "predictor                          hours    MAE   RMSE   bias  Pearson Spearman\n"
        for (name, s) in scores {
            out += name.padding(toLength: 33, withPad: " ", startingAt: 0)
            out += String(format: " %6d", s.hours) + [s.mae, s.rmse, s.bias].map { " " + cell($0).leftPad(6) }.joined()
            out += " " + cell(s.pearson, 3).leftPad(8) + " " + cell(s.spearman, 3).leftPad(8) + "\n"
        }
        out += "\nby hour of day (simulation):\nhour  hours  observed  predicted    MAE   bias  Pearson\n"
        for (h, s) in byHour.enumerated() {
            let idx = stride(from: h, to: observed.count, by: 24)
            let o = mean(idx.map { observed[$0] }), p = mean(idx.map { observed[$0].isFinite ? prediction.mean[$0] : .nan })
            out += String(format: "%02d:00 %6d", h, s.hours) + " " + cell(o).leftPad(9) + " " + cell(p).leftPad(10)
            out += " " + cell(s.mae).leftPad(6) + " " + cell(s.bias).leftPad(6) + " " + cell(s.pearson, 3).leftPad(8) + "\n"
        }
        return out
    }

    // MARK: JSON

    public func json() -> [String: Any] {
        var byHourJSON: [[String: Any]] = []
        for (h, s) in byHour.enumerated() { var j = s.json; j["hour_of_day"] = h; byHourJSON.append(j) }
        return [
            "scenario": scenario, "period": ["first": period.firstDate, "last": period.lastDate,
                                             "hours": period.count, "observed_hours": rows.count],
            "files": period.files.map { ["name": $0.name, "sha256": $0.sha256] },
            "replications": prediction.replications,
            "baselines": ["fitted_on": baselineFit, "constant_min": baselines.constant,
                          "least_squares": ["intercept_min": baselines.intercept, "slope_min_per_pax_per_booth_hour": baselines.slope],
                          "erlang_c": ["service_s": baselines.erlangService, "offset_min": baselines.erlangOffset]],
            "scores": scores.map { var j = $0.score.json; j["predictor"] = $0.name; return j },
            "by_hour_of_day": byHourJSON,
        ]
    }

    // MARK: files

    static let columns = ["observed_mean_wait_min", "predicted_mean_wait_min", "predicted_ci_low", "predicted_ci_high"]

    public func csv() -> String {
        var out = ([spec.date, spec.hour] + Self.columns + bucketNames).joined(separator: ",") + "\n"
        for i in rows {
            let h = period.hours[i]!
            var cells = [quoteCSV(h.dateText), quoteCSV(h.hourText)]
            cells += [observed[i], prediction.mean[i], prediction.ciLow[i], prediction.ciHigh[i]].map { $0.isFinite ? String(format: "%.4f", $0) : "" }
            for b in 0..<prediction.bucketCount {
                let v = prediction.buckets[i * prediction.bucketCount + b]
                cells.append(v.isFinite ? String(format: "%.5f", v) : "")
            }
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The same table in HDF5 (`/replay/COLUMN`, NaN for missing), with the run's attributes.
    public func writeHDF5(into file: H5File, attributes: [(String, String)]) throws {
        let g = try file.createGroup("replay")
        let r = rows
        try g.createDataset(spec.date, strings: r.map { period.hours[$0]!.dateText })
        try g.createDataset(spec.hour, strings: r.map { period.hours[$0]!.hourText })
        let values = [observed, prediction.mean, prediction.ciLow, prediction.ciHigh]
        for (name, v) in zip(Self.columns, values) { try g.createDataset(name, r.map { v[$0] }) }
        for (b, name) in bucketNames.enumerated() {
            try g.createDataset(name, r.map { prediction.buckets[$0 * prediction.bucketCount + b] })
        }
        for (k, v) in attributes { try file.setAttribute(k, v) }
        try file.setAttribute("scores_json", String(decoding: try JSONSerialization.data(withJSONObject: json(), options: [.sortedKeys]), as: UTF8.self))
    }
}

func mean(_ x: [Double]) -> Double {
    let f = x.filter(\.isFinite)
    return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count)
}

func quoteCSV(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

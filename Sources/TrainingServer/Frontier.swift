import BorderModel
import Experiments
import Foundation

/// The security-vs-delay frontier: the scenario under the current settings with the referral
/// threshold swept over a grid (and "inspect everyone"), each point the mean of the scenario's
/// replications with common random numbers. Delay is the mean wait at the referral station.
struct FrontierResponse: Encodable {
    struct Point: Encodable {
        var label: String
        var threshold: Double?
        var referralRate: RunSummary.Estimate
        var detected: RunSummary.Estimate
        var missed: RunSummary.Estimate
        var falseReferrals: RunSummary.Estimate
        var secondaryWaitMinutes: RunSummary.Estimate?
        var primaryWaitMinutes: RunSummary.Estimate
        enum CodingKeys: String, CodingKey {
            case label, threshold, referralRate = "referral_rate", detected, missed, falseReferrals = "false_referrals"
            case secondaryWaitMinutes = "secondary_wait_min", primaryWaitMinutes = "primary_wait_min"
        }
    }
    var station: String?
    var points: [Point]
    var elapsedMilliseconds: Double
    enum CodingKeys: String, CodingKey { case station, points, elapsedMilliseconds = "elapsed_ms" }

    /// Thresholds of the sweep (score units: innocent travellers score N(0, 1)).
    static let thresholds: [Double] = stride(from: -0.5, through: 3.0, by: 0.25).map { $0 }
}

extension Lab {
    func frontier(_ settings: RunSettings, token: CancelToken) async throws -> FrontierResponse {
        let start = Date()
        var variants: [(String, Double?, RunSettings)] = FrontierResponse.thresholds.map { t in
            var s = settings
            s.inspectAll = nil
            s.threshold = t
            return (String(format: "threshold %.2f", t), t, s)
        }
        var all = settings
        all.inspectAll = true
        all.threshold = nil
        variants.append(("inspect everyone", nil, all))
        let scenarios = try variants.map { try scenario($0.2).0 }
        let reps = scenarios[0].replications
        let configs = scenarios.map(\.config), seed = scenarios[0].seed
        let results = try await pool.run(count: configs.count * reps, token: token) { i in
            // swiftlint:disable:next force_try
            try! PortSimulation(config: configs[i / reps], seed: seed, replication: i % reps).run()
        }
        let station = configs[0].referralStation
        let points = variants.indices.map { v -> FrontierResponse.Point in
            let slice = Array(results[(v * reps)..<((v + 1) * reps)])
            let s = RunSummary(scenario: scenarios[v].name, config: configs[v], seed: seed, results: slice)
            // The primary wait of all travellers: the lanes' waits weighted by their arrivals.
            let primary = RunSummary.Estimate(slice.map { r in
                let total = r.lanes.reduce(0) { $0 + Double($1.wait.count) }
                return total > 0 ? r.lanes.filter { $0.wait.count > 0 }.reduce(0) { $0 + $1.wait.mean * Double($1.wait.count) } / total / 60 : .nan
            }, level: 0.95)
            return .init(label: variants[v].0, threshold: variants[v].1, referralRate: s.security.referralRate,
                         detected: s.security.detected, missed: s.security.missed, falseReferrals: s.security.falseReferrals,
                         secondaryWaitMinutes: station.map { s.stations[$0].meanWaitMinutes }, primaryWaitMinutes: primary)
        }
        return FrontierResponse(station: station.map { configs[0].stations[$0].name }, points: points,
                                elapsedMilliseconds: Date().timeIntervalSince(start) * 1000)
    }
}

import BorderModel
import Foundation

/// `--budget`: a fixed number of booth-hours (today's, or a given number) spread over the hours
/// and lanes so that the mean primary wait over all parties is least — the question Yu, Ding,
/// Lindsey & Shi (Transportation Research Part A, 2016) answered for Peace Arch by re-timing
/// booths with the same work hours.
///
/// Search (simulation with common random numbers decides every move):
/// 1. Start from the scenario's booths; if the budget differs, add (remove) booth-hours one at
///    a time where the stationary M/M/c wait (Erlang C) says one helps most (costs least).
/// 2. Exchange: simulate; rank receivers by the waiting measured in each lane-hour (parties ×
///    mean wait) and donors by the Erlang-C cost of one booth less (hours that would become
///    overloaded are never donors); simulate the best `candidates` moves of one booth-hour and
///    keep the move that lowers the mean wait most.
/// 3. Stop when no candidate move lowers the mean wait on the search replications, or after
///    `maxSimulations` simulations.
/// Every lane keeps at least one booth in every hour with arrivals, and at most its maximum.
public final class BudgetMode {
    public struct Outcome: Sendable {
        public var plan: HourlyPlan
        public var budget: Double
        public var simulations: Int
        public var converged: Bool
        /// Mean wait over all parties on the search replications: start and final, seconds.
        public var startMeanWait: Double
        public var finalMeanWait: Double
        public var moves: Int
    }

    let config: PortConfiguration
    let grid: HourGrid
    let budget: Double?
    let maximum: [Position: Int]
    let settings: IterativeStaffing.Settings
    let candidates: Int
    let progress: (@Sendable (String) -> Void)?
    public private(set) var simulations = 0

    /// `budget`: booth-hours over the measured window; nil: the scenario's own.
    public init(config: PortConfiguration, grid: HourGrid, budget: Double?, maximum: [Position: Int],
                settings: IterativeStaffing.Settings, candidates: Int = 6, progress: (@Sendable (String) -> Void)? = nil) {
        self.config = config; self.grid = grid; self.budget = budget; self.maximum = maximum
        self.settings = settings; self.candidates = candidates; self.progress = progress
    }

    func objective(_ plan: HourlyPlan) throws -> (Double, Measurement) {
        simulations += 1
        let m = try Measurement.run(plan.applied(to: config, grid: grid), targets: [], positions: plan.positions, grid: grid,
                                    seed: settings.seed, replications: settings.replications, threads: settings.threads)
        return (Measurement.mean(m.meanWaitAll), m)
    }

    public func run() throws -> Outcome {
        let positions = config.lanes.indices.map { Position.lane($0) }
        var plan = HourlyPlan(current: config, positions: positions, grid: grid)
        let hours = (0..<grid.count).filter(grid.isMeasured)
        // Only hours measured equally often can trade booth-hours one for one.
        let weight = grid.bins[hours.first ?? 0].count
        guard hours.allSatisfy({ grid.bins[$0].count == weight }) else {
            throw StaffingProblem("--budget needs every hour of the day measured equally often (a horizon of whole days after the warm-up)")
        }
        var (j, m) = try objective(plan)
        let service = positions.map { p -> Double in
            guard case .lane(let l) = p else { return 60 }
            let means = config.lanes[l].service.compactMap { $0?.mean }
            return means.isEmpty ? 60 : means.reduce(0, +) / Double(means.count)
        }
        func floor(_ i: Int, _ h: Int) -> Int { (m.arrivals[i][h].isNaN || m.arrivals[i][h] > 0) ? 1 : 0 }
        func load(_ i: Int, _ h: Int) -> Double { (m.arrivals[i][h].isNaN ? 0 : m.arrivals[i][h]) * service[i] / 3600 }
        /// Erlang-C total wait in a lane-hour with c booths (parties × mean wait), seconds.
        func erlangWait(_ i: Int, _ h: Int, _ c: Int) -> Double {
            let a = load(i, h)
            return a > 0 ? (m.arrivals[i][h]) * ErlangC.meanWait(servers: c, load: a, meanService: service[i]) : 0
        }
        func gain(_ i: Int, _ h: Int) -> Double { erlangWait(i, h, plan.values[i][h]) - erlangWait(i, h, plan.values[i][h] + 1) }
        func cost(_ i: Int, _ h: Int) -> Double { erlangWait(i, h, plan.values[i][h] - 1) - erlangWait(i, h, plan.values[i][h]) }
        // Booth-hours as the plan counts them (whole booths per hour) and as today's schedule has
        // them (a schedule by quarter hours has fewer than its hourly maxima): the budget is today's.
        let current = hours.reduce(0) { t, h in t + plan.values.reduce(0) { $0 + $1[h] } } * weight
        let todays = config.lanes.reduce(0) { $0 + grid.positionHours($1.booths) }
        let target = Int(((budget ?? todays) / Double(weight) + 1e-9).rounded(.down)) * weight
        let minimum = hours.reduce(0) { t, h in t + positions.indices.reduce(0) { $0 + floor($1, h) } } * weight
        let most = hours.reduce(0) { t, _ in t + positions.reduce(0) { $0 + maximum[$1]! } } * weight
        guard target >= minimum else {
            throw StaffingProblem("--budget \(target) booth-hours is below the \(minimum) needed for one booth per lane in every hour with arrivals")
        }
        guard target <= most else {
            throw StaffingProblem("--budget \(target) booth-hours is more than all booths open all day (\(most)); allow more with --max-positions")
        }
        var total = current
        let cells = positions.indices.flatMap { i in hours.map { (i, $0) } }
        while total < target, let best = cells.filter({ plan.values[$0.0][$0.1] < maximum[positions[$0.0]]! })
            .max(by: { gain($0.0, $0.1) < gain($1.0, $1.1) }) {
            plan.values[best.0][best.1] += 1; total += weight
        }
        while total > target, let best = cells.filter({ plan.values[$0.0][$0.1] > floor($0.0, $0.1) })
            .min(by: { cost($0.0, $0.1) < cost($1.0, $1.1) }) {
            plan.values[best.0][best.1] -= 1; total -= weight
        }
        if total != current { (j, m) = try objective(plan) }
        let start = j
        var moves = 0, converged = false
        while simulations < settings.maxSimulations {
            let receivers = cells.filter { plan.values[$0.0][$0.1] < maximum[positions[$0.0]]! }
                .sorted { m.pressure[$0.0][$0.1] > m.pressure[$1.0][$1.1] || (m.pressure[$0.0][$0.1] == m.pressure[$1.0][$1.1] && ($0.0, $0.1) < ($1.0, $1.1)) }
            let donors = cells.filter { plan.values[$0.0][$0.1] > floor($0.0, $0.1) && cost($0.0, $0.1).isFinite }
                .sorted { cost($0.0, $0.1) < cost($1.0, $1.1) || (cost($0.0, $0.1) == cost($1.0, $1.1) && ($0.0, $0.1) < ($1.0, $1.1)) }
            var tried: [(HourlyPlan, Double, Measurement)] = []
            outer: for r in receivers.prefix(candidates) {
                for d in donors.prefix(3) where !(d.0 == r.0 && d.1 == r.1) {
                    guard simulations < settings.maxSimulations, tried.count < candidates else { break outer }
                    var next = plan
                    next.values[r.0][r.1] += 1
                    next.values[d.0][d.1] -= 1
                    let (jn, mn) = try objective(next)
                    tried.append((next, jn, mn))
                    break
                }
            }
            guard let best = tried.min(by: { $0.1 < $1.1 }), best.1 < j * (1 - 1e-6) else { converged = tried.isEmpty || simulations < settings.maxSimulations; break }
            (plan, j, m) = best
            moves += 1
            progress?(String(format: "budget: %d moves, mean wait %.2f min, simulation %d", moves, j / 60, simulations))
        }
        return Outcome(plan: plan, budget: Double(target), simulations: simulations, converged: converged,
                       startMeanWait: start, finalMeanWait: j, moves: moves)
    }
}

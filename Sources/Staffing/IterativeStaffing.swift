import BorderModel
import Foundation
import SimKernel

/// The iterative staffing algorithm (Feldman, Mandelbaum, Massey & Whitt, Management Science
/// 54(2), 2008) for the targets of a scenario: simulate the plan, measure each hour's service
/// level, raise or lower that hour's positions, and repeat until stable. Simulation, not
/// stationary formulas, judges every plan, so time-varying arrivals, queues carried from one
/// hour into the next, abandonment and non-exponential service are all accounted for. Every
/// simulation uses the same seed and replications (common random numbers; a party's work
/// content is keyed by the party), so two plans are compared on the same parties.
///
/// Search, for the lanes first and then for the stations (station waits depend on the lanes,
/// lanes do not depend on the stations):
/// 1. Start in each hour from the stationary M/M/c requirement (Erlang C) for the measured
///    arrivals — a starting point only.
/// 2. Raise: simulate; every hour that misses an every-hour target gets one more position; a
///    missed daily target gives one more position in the hour where waiting is worst. Repeat
///    until every target is met.
/// 3. Lower: try hours one position lower, several hours of a lane in one simulation (`stride`
///    hours apart; lanes in parallel). When every target holds, all the trials are kept and tried
///    again; when one breaks, none is kept: the trial acting latest on the first hour missed (a
///    change acts on its own hour, on later hours through the queue, and on the hour before
///    through parties still waiting) is refused and that hour is final, the others are tried
///    again. The plan is therefore always one that was simulated and met every target.
///    Positions with daily targets try groups of hours, halving the group when it breaks the target.
/// 4. Stopping rule: when every hour of every position has been refused one lower, the plan is
///    simulated once more; if it meets every target it is the answer (minimal: removing one
///    position-hour anywhere breaks a target on the search replications, judged as the search
///    judges: mean + `margin` standard errors within the bound; runs go `lookahead` + 1 hours
///    past the horizon so the last hours' parties are counted). A miss then undoes
///    the latest kept trial at or before the missed hour (trials judged together can miss an
///    interaction) and the plan is checked again; with nothing left to undo, step 2 resumes. At most `maxSimulations` simulations; past that the best plan so far is returned
///    with `converged` false.
public final class IterativeStaffing {
    public struct Settings: Sendable {
        public var seed: UInt64
        public var replications: Int
        public var threads: Int?
        public var stride: Int
        public var maxSimulations: Int
        /// A target counts as met when its mean plus this many standard errors is within the bound
        /// (a plan sits on its bounds by construction; the margin keeps it from fitting the noise
        /// of the search replications).
        public var margin: Double
        public init(seed: UInt64, replications: Int, threads: Int? = nil, stride: Int = 6, maxSimulations: Int = 300,
                    margin: Double = 1) {
            self.seed = seed; self.replications = replications; self.threads = threads
            self.stride = max(1, stride); self.maxSimulations = maxSimulations; self.margin = margin
        }
    }

    public struct Outcome: Sendable {
        public var plan: HourlyPlan
        public var simulations: Int
        public var converged: Bool
        /// The last measurement of `plan` on the search replications.
        public var measurement: Measurement
    }

    let config: PortConfiguration
    let grid: HourGrid
    let targets: [ResolvedTarget]
    let settings: Settings
    let maximum: [Position: Int]
    let progress: (@Sendable (String) -> Void)?
    public private(set) var simulations = 0

    /// `maximum`: the most positions each lane or station can open (booths that exist).
    public init(config: PortConfiguration, grid: HourGrid, targets: [ResolvedTarget], maximum: [Position: Int],
                settings: Settings, progress: (@Sendable (String) -> Void)? = nil) {
        self.config = config; self.grid = grid; self.targets = targets; self.maximum = maximum
        self.settings = settings; self.progress = progress
    }

    /// The planned positions: those with a target, lanes first.
    public var positions: [Position] {
        var seen: [Position] = []
        for t in targets where !seen.contains(t.position) { seen.append(t.position) }
        return seen.filter { if case .lane = $0 { return true } else { return false } }
            + seen.filter { if case .station = $0 { return true } else { return false } }
    }

    private var lastMeasured: (HourlyPlan, Measurement)?

    func measure(_ plan: HourlyPlan) throws -> Measurement {
        if let (p, m) = lastMeasured, p == plan { return m }
        simulations += 1
        let m = try Measurement.run(grid.draining(plan.applied(to: config, grid: grid), hours: lookahead + 1),
                                    targets: targets, positions: plan.positions,
                                   grid: grid, seed: settings.seed, replications: settings.replications,
                                   threads: settings.threads)
        lastMeasured = (plan, m)
        return m
    }

    public func run() throws -> Outcome {
        let positions = self.positions
        var plan = HourlyPlan(current: config, positions: positions, grid: grid)
        let floors = try self.floors(positions)
        let current = try measure(plan)
        plan = try start(plan, floors: floors, measured: current)
        var converged = true
        for phase in [positions.filter { if case .lane = $0 { true } else { false } },
                      positions.filter { if case .station = $0 { true } else { false } }] where !phase.isEmpty {
            let ok = try search(&plan, phase: phase, floors: floors)
            converged = converged && ok
        }
        let last = try measure(plan)
        return Outcome(plan: plan, simulations: simulations, converged: converged && failures(last, in: positions).isEmpty,
                       measurement: last)
    }

    // MARK: start

    /// The fewest positions each hour may have: capacity targets (servers × service rate).
    func floors(_ positions: [Position]) throws -> [[Int]] {
        try positions.map { p in
            var floor = Array(repeating: 0, count: grid.count)
            for t in targets where t.position == p && t.target.metric == .capacity {
                let need = Int((t.target.bound * t.meanService - 1e-9).rounded(.up))
                if need > maximum[p]! {
                    throw StaffingProblem("target '\(t.target.text)': \(HourlyPlan.name(of: p, in: config)) needs \(need) servers "
                        + "in every hour for that capacity (mean service \(ServiceTarget.show(t.meanService, .meanWait))), "
                        + "but only \(maximum[p]!) exist (allow more with --max-positions)")
                }
                floor = floor.map { max($0, need) }
            }
            return floor
        }
    }

    /// Erlang-C requirements for the measured arrivals; an hour whose work alone exceeds every
    /// booth is refused before any search.
    func start(_ plan: HourlyPlan, floors: [[Int]], measured m: Measurement) throws -> HourlyPlan {
        var plan = plan
        for (i, p) in plan.positions.enumerated() {
            let service = meanService(p)
            for h in 0..<grid.count {
                let arrivals = m.arrivals[i][h]
                let load = arrivals.isNaN ? m.load[i][h] : arrivals * service / 3600
                var need = floors[i][h]
                for t in targets where t.position == p && t.target.metric != .capacity {
                    // More work than every booth can do: the queue alone grows by (a − c)/c hours of waiting per
                    // hour; refused outright when half of that is past a wait bound (the search judges the rest).
                    let top = Double(maximum[p]!), growth = (load - top) / top * 3600
                    let hopeless: Bool
                    switch t.target.metric {
                    case .p95Wait, .meanWait, .meanCrossing: hopeless = growth / 2 > t.target.bound
                    default: hopeless = false
                    }
                    if t.scope == .everyHour, grid.isMeasured(h), load > top, hopeless, !arrivals.isNaN {
                        throw StaffingProblem("target '\(t.target.text)': \(HourlyPlan.name(of: p, in: config)) at \(grid.label(h)): "
                            + String(format: "%.0f parties arrive, bringing %.1f booths of work (mean service %.0f s), ", arrivals, load, service)
                            + "more than the \(maximum[p]!) booths that exist: no plan meets it (allow more with --max-positions)")
                    }
                    let c = load.isNaN ? plan.values[i][h]
                        : ErlangC.requirement(t.target.metric, bound: t.target.bound, load: load, meanService: service,
                                              limit: maximum[p]!) ?? maximum[p]!
                    need = max(need, c)
                }
                plan.values[i][h] = min(maximum[p]!, need)
            }
        }
        return plan
    }

    /// Mean service time of a position: its classes' (a lane) or its default (a station), seconds.
    func meanService(_ p: Position) -> Double {
        switch p {
        case .lane(let l):
            let means = config.lanes[l].service.compactMap { $0?.mean }
            return means.isEmpty ? 60 : means.reduce(0, +) / Double(means.count)
        case .station(let s): return config.stations[s].service.mean
        }
    }

    // MARK: failures

    struct Failure { var target: Int; var hour: Int?; var value: Double }

    /// What the search compares with a bound: the mean over the replications where the value is
    /// defined, plus `margin` standard errors (NaN: nobody measured, so nothing to miss).
    public static func judged(_ values: [Double], margin: Double) -> Double {
        let s = SampleSummary(values)
        guard s.count > 0 else { return .nan }
        return s.mean + (s.count > 1 ? margin * s.standardDeviation / Double(s.count).squareRoot() : 0)
    }

    /// Targets of `positions` missed on the search replications (point estimates).
    func failures(_ m: Measurement, in positions: [Position]) -> [Failure] {
        var out: [Failure] = []
        for (k, t) in targets.enumerated() where positions.contains(t.position) && t.target.metric != .capacity {
            if t.scope == .daily {
                let v = Self.judged(m.daily[k], margin: settings.margin)
                if v > t.target.bound + 1e-9 { out.append(Failure(target: k, hour: nil, value: v)) }
            } else {
                for h in 0..<grid.count {
                    let v = Self.judged(m.hourly[k][h], margin: settings.margin)
                    if v > t.target.bound + 1e-9 { out.append(Failure(target: k, hour: h, value: v)) }
                }
            }
        }
        return out
    }

    // MARK: search

    /// Groups of positions whose targets one another's staffing moves: lanes sharing a class;
    /// all stations together (routes and referrals tie them).
    func components(_ phase: [Position]) -> [[Position]] {
        var groups: [[Position]] = []
        for p in phase {
            guard case .lane(let l) = p else {
                if let i = groups.firstIndex(where: { if case .station = $0[0] { true } else { false } }) { groups[i].append(p) }
                else { groups.append([p]) }
                continue
            }
            let classes = Set(config.lanes[l].serves)
            let joined = groups.indices.filter { g in
                groups[g].contains { q in
                    if case .lane(let m) = q { return !classes.isDisjoint(with: config.lanes[m].serves) }
                    return false
                }
            }
            if joined.isEmpty { groups.append([p]); continue }
            var merged = [p]
            for g in joined.reversed() { merged += groups.remove(at: g) }
            groups.append(merged)
        }
        return groups
    }

    /// One component's lowering pass: its positions in turn; each tries hours by residue class
    /// of `stride` (every-hour targets only) or in groups ordered by pressure (daily targets).
    struct Sweep {
        var members: [Int]            // plan indices
        var active = 0
        var pending: [Int] = []       // hours to try one lower
        var residue = -1
        var group = 8
        var daily: Bool
        var done: Bool { active >= members.count }
    }

    /// Hours after its own that a party's wait may reach, and so the booths it depends on: the
    /// longest wait a target names, in whole hours.
    public var lookahead: Int {
        targets.map { t -> Int in
            let seconds: Double
            switch t.target.metric {
            case .shareOver(let x): seconds = x
            case .capacity: seconds = 0
            default: seconds = t.target.bound
            }
            return Int((seconds / 3600).rounded(.up))
        }.max() ?? 1
    }

    func search(_ plan: inout HourlyPlan, phase: [Position], floors: [[Int]]) throws -> Bool {
        let lookahead = self.lookahead
        // Capacity floors alone need no simulation: the floors are the answer.
        if !targets.contains(where: { phase.contains($0.position) && $0.target.metric != .capacity }) {
            for p in phase { let i = plan.index(of: p)!; plan.values[i] = floors[i] }
            return true
        }
        let name = phase.first.map { if case .lane = $0 { "lanes" } else { "stations" } } ?? ""
        // 2. raise until every target is met
        func raise() throws {
            while true {
                guard simulations < settings.maxSimulations else { return }
                let m = try measure(plan)
                let missed = failures(m, in: phase)
                progress?("\(name): raising, simulation \(simulations), \(missed.count) target-hours missed")
                if missed.isEmpty { return }
                var raised = Set<[Int]>()
                for f in missed {
                    let t = targets[f.target]
                    let i = plan.index(of: t.position)!, top = maximum[t.position]!
                    if let h = f.hour {
                        var hour = h
                        if plan.values[i][h] >= top {
                            // A queue carried in: the hour before may still have room.
                            let before = grid.order[max(0, grid.rank[h] - 1)]
                            guard grid.rank[h] > 0, plan.values[i][before] < top else {
                                throw StaffingProblem("target '\(t.target.text)': \(HourlyPlan.name(of: t.position, in: config)) at "
                                    + "\(grid.label(h)): \(ServiceTarget.show(f.value, t.target.metric)) with all \(top) positions open "
                                    + "(more than \(t.target.boundText)): no plan meets it (allow more with --max-positions)")
                            }
                            hour = before
                        }
                        if raised.insert([i, hour]).inserted { plan.values[i][hour] += 1 }
                    } else {
                        let open = (0..<grid.count).filter { plan.values[i][$0] < top && grid.isMeasured($0) }
                        guard let h = open.max(by: { m.pressure[i][$0] < m.pressure[i][$1] || (m.pressure[i][$0] == m.pressure[i][$1] && $0 > $1) }) else {
                            throw StaffingProblem("target '\(t.target.text)': \(HourlyPlan.name(of: t.position, in: config)): "
                                + "\(ServiceTarget.show(f.value, t.target.metric)) over the day with every hour at its \(top) positions "
                                + "(more than \(t.target.boundText)): no plan meets it (allow more with --max-positions)")
                        }
                        if raised.insert([i, h]).inserted { plan.values[i][h] += 1 }
                    }
                }
            }
        }
        while simulations < settings.maxSimulations {
            try raise()
            guard simulations < settings.maxSimulations else { break }
            // 3. lower, one pass over every position
            var sweeps = components(phase).map { comp in
                Sweep(members: comp.map { plan.index(of: $0)! },
                      daily: targets.contains { comp.contains($0.position) && $0.scope == .daily && $0.target.metric != .capacity })
            }
            var lastPressure: [[Double]]?
            var accepted: [(i: Int, hour: Int)] = []     // this pass's kept trials, in order
            while simulations < settings.maxSimulations {
                var trials: [(sweep: Int, i: Int, hours: [Int])] = []
                for s in sweeps.indices {
                    while !sweeps[s].done {
                        let i = sweeps[s].members[sweeps[s].active]
                        sweeps[s].pending.removeAll { plan.values[i][$0] <= floors[i][$0] }
                        if !sweeps[s].pending.isEmpty { break }
                        if sweeps[s].daily {
                            if sweeps[s].residue == 0 { sweeps[s].active += 1; sweeps[s].residue = -1; continue }
                            sweeps[s].residue = 0
                            let p = lastPressure?[i]
                            sweeps[s].pending = grid.order.filter { plan.values[i][$0] > floors[i][$0] }
                                .sorted { (p?[$0] ?? 0, grid.rank[$0]) < (p?[$1] ?? 0, grid.rank[$1]) }
                        } else {
                            sweeps[s].residue += 1
                            if sweeps[s].residue >= settings.stride { sweeps[s].active += 1; sweeps[s].residue = -1; continue }
                            sweeps[s].pending = grid.order.enumerated()
                                .filter { $0.offset % settings.stride == sweeps[s].residue }.map(\.element)
                        }
                    }
                    guard !sweeps[s].done else { continue }
                    let i = sweeps[s].members[sweeps[s].active]
                    let hours = sweeps[s].daily ? Array(sweeps[s].pending.prefix(sweeps[s].group)) : sweeps[s].pending
                    trials.append((s, i, hours))
                }
                if trials.isEmpty { break }
                var trial = plan
                for t in trials { for h in t.hours { trial.values[t.i][h] -= 1 } }
                let m = try measure(trial)
                lastPressure = m.pressure
                let missed = failures(m, in: phase)
                var kept = 0
                for t in trials {
                    let comp = Set(sweeps[t.sweep].members.map { plan.positions[$0] })
                    let mine = missed.filter { comp.contains(targets[$0.target].position) }
                    let dailyMiss = mine.contains { $0.hour == nil }
                    // An hour's miss is charged to the trial that acts latest on its parties: while they
                    // wait (up to `lookahead` hours on), or before (a daily plan's 00:00 also runs in the
                    // warm-up, so before 02:00).
                    func charged(_ h: Int) -> Int? {
                        t.hours.compactMap { x in grid.reach(x, before: h, lookahead: lookahead).map { ($0, x) } }.max { $0 < $1 }?.1
                    }
                    let early = mine.contains { $0.hour.map { charged($0) == nil } ?? false }
                    let blamed = Set(mine.compactMap { $0.hour.flatMap(charged) })
                    if sweeps[t.sweep].daily {
                        if dailyMiss || early || !blamed.isEmpty {
                            if t.hours.count > 1 { sweeps[t.sweep].group = max(1, t.hours.count / 2) }
                            else { sweeps[t.sweep].pending.removeFirst() }
                        } else {
                            for h in t.hours { plan.values[t.i][h] -= 1; accepted.append((t.i, h)) }
                            kept += t.hours.count
                            sweeps[t.sweep].group = min(8, sweeps[t.sweep].group * 2)
                        }
                    } else if mine.isEmpty {
                        // Every target holds with all of this group's trials: keep them all (the plan is
                        // then exactly one that was simulated).
                        for h in t.hours { plan.values[t.i][h] -= 1; accepted.append((t.i, h)) }
                        kept += t.hours.count
                    } else {
                        // A queue can carry a missing booth's effect for hours: keep none, refuse the
                        // trial that acts latest on the first hour missed, try the others again.
                        let first = mine.compactMap(\.hour).min { (grid.bins[$0].last ?? .max, $0) < (grid.bins[$1].last ?? .max, $1) }
                        if let f = first, let culprit = charged(f) {
                            sweeps[t.sweep].pending.removeAll { $0 == culprit }
                        } else {
                            sweeps[t.sweep].pending.removeAll()
                        }
                        _ = (dailyMiss, early, blamed)
                    }
                }
                let shown = missed.prefix(4).map { $0.hour.map(grid.label) ?? "day" }.joined(separator: " ")
                progress?("\(name): lowering, simulation \(simulations), \(kept) of \(trials.reduce(0) { $0 + $1.hours.count }) trial hours kept"
                          + (missed.isEmpty ? "" : " (missed \(shown)\(missed.count > 4 ? " …" : ""))"))
            }
            // 4. stable when the plan, every hour refused one lower, still meets every target
            guard simulations < settings.maxSimulations else { break }
            // Trials judged together can miss an interaction (a queue carried past the next trial's
            // hour): a miss now undoes the latest kept trial at or before it, in the same group.
            while simulations < settings.maxSimulations {
                let missed = failures(try measure(plan), in: phase)
                if missed.isEmpty { return true }
                var undone = false
                for f in missed {
                    let t = targets[f.target]
                    let group = components(phase).first { $0.contains(t.position) }!.map { plan.index(of: $0)! }
                    func reach(_ k: Int) -> Int? {
                        f.hour.map { grid.reach(accepted[k].hour, before: $0, lookahead: lookahead) } ?? grid.occurrences[accepted[k].hour].last
                    }
                    let candidates = accepted.indices.filter { group.contains(accepted[$0].i) && reach($0) != nil }
                    guard let k = candidates.max(by: { (reach($0)!, $0) < (reach($1)!, $1) }) else { continue }
                    plan.values[accepted[k].i][accepted[k].hour] += 1
                    accepted.remove(at: k)
                    undone = true
                }
                progress?("\(name): checking, simulation \(simulations), \(missed.count) target-hours missed")
                if !undone { break }      // nothing left to undo: raise again
            }
        }
        return false
    }
}

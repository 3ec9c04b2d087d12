import ArgumentParser
import BorderModel
import Foundation
import Scenarios
import Staffing

extension ServiceTarget: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    public static var defaultCompletionKind: CompletionKind { .default }
}

/// `--budget same-hours` or a number of booth-hours.
struct Budget: ExpressibleByArgument, Equatable {
    var hours: Double?
    init?(argument: String) {
        if argument == "same-hours" { hours = nil; return }
        guard let v = Double(argument.replacingOccurrences(of: "h", with: "")), v > 0, v.isFinite else { return nil }
        hours = v
    }
}

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Find the booth and server schedule (and a shift roster) that meets service targets with the fewest officer-hours.",
        discussion: """
        Targets: --target "lane.NAME: p95-wait <= 30 min", "lane.NAME: mean-wait <= 10 min", \
        "lane.NAME: share-over 30 min <= 5%", "lane.NAME: mean-crossing <= 15 min", \
        "station.NAME: mean-wait <= 20 min daily", "station.NAME: capacity >= 8/h" (a minimum \
        referral capacity: servers × service rate in every hour). A target holds in every hour \
        (--every-hour, the default) or over the day (--daily, or the word daily after it); \
        station waits are judged over the day.

        Hourly requirements come from the iterative staffing algorithm (Feldman, Mandelbaum, Massey \
        & Whitt 2008): simulate, measure each hour, raise or lower that hour's positions, repeat \
        until every hour has been refused one position lower and the plan meets every target on \
        the search replications (common random numbers across iterations), or --max-simulations. \
        Lanes are planned first, then stations. Each lane or station opens at most as many \
        positions as its current schedule ever does (--max-positions lane.NAME=N to allow more).

        --shifts SHIFTS.yaml: officers in shifts covering the hourly requirement at the fewest \
        paid officer-hours (an integer programme solved by GLPK). --budget same-hours|N: instead \
        of targets, spread today's (or N) booth-hours over hours and lanes to minimise the mean wait.

        The plan is verified on fresh replications (numbered after the search's) beside the \
        current plan on the same replications, and written to -o PLAN.yaml: the scenario with \
        the new schedules, runnable with `bordersim run`/`compare`. Results are identical for any --threads.
        """
    )

    enum Scope: String, EnumerableFlag { case everyHour, daily }

    @Argument(help: "Scenario file (YAML).", completion: yamlFiles) var file: String
    @Option(name: .customLong("target"), help: ArgumentHelp("A service target, e.g. \"lane.general: p95-wait <= 30 min\"; repeatable.", valueName: "target"))
    var targets: [ServiceTarget] = []
    @Flag(help: "Whether targets hold in every hour or over the day (a target may say 'daily' itself).") var scope: Scope = .everyHour
    @Option(help: ArgumentHelp("Roster officers in these shifts (lengths, start times, breaks).", valueName: "SHIFTS.yaml"), completion: yamlFiles)
    var shifts: String?
    @Option(help: ArgumentHelp("Instead of targets: keep this many booth-hours (same-hours: today's) and minimise the mean wait.",
                               valueName: "same-hours|OFFICER-HOURS"))
    var budget: Budget?
    @OptionGroup var counts: ReplicationOptions
    @OptionGroup var settings: OverrideOptions
    @Option(help: "Fresh replications for the verification (default: as many as the search).") var verifyReplications: Int?
    @Option(name: .customLong("max-positions"), help: ArgumentHelp("Most booths (servers) a lane (station) may open: lane.NAME=N; repeatable.", valueName: "lane.NAME=N"))
    var maxPositions: [String] = []
    @Option(help: "Hours of a lane tried one lower in the same simulation are this far apart.") var stride = 6
    @Option(help: "Stop the search after this many simulations.") var maxSimulations = 300
    @Option(help: "The search counts a target met when mean + this many standard errors is within the bound.") var margin = 1.0
    @Option(name: [.customShort("o"), .customLong("out")], help: ArgumentHelp("Write the plan (a scenario) here.", valueName: "PLAN.yaml"),
            completion: yamlFiles)
    var out: String?
    @Flag(help: "Replace the -o file if it exists.") var force = false
    @Flag(help: "Print the report as JSON on stdout.") var json = false
    @Flag(help: "No progress line or warnings on stderr.") var quiet = false

    func validate() throws {
        if targets.isEmpty && budget == nil { throw ValidationError("give at least one --target, or --budget") }
        if !targets.isEmpty && budget != nil { throw ValidationError("give --target or --budget, not both") }
        if let v = verifyReplications, v < 2 { throw ValidationError("--verify-replications must be at least 2 (a CI needs two)") }
        if stride < 1 { throw ValidationError("--stride must be at least 1") }
        if maxSimulations < 1 { throw ValidationError("--max-simulations must be at least 1") }
    }

    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("bordersim staff: \(message)\n".utf8))
        return ExitCode(2)
    }

    func run() throws {
        let started = Date()
        let scenario: Scenario
        do { scenario = try ScenarioLoader.load(path: file, overrides: settings.overrides) } catch let error as ScenarioError {
            Tool.report(error)
            throw ExitCode(2)
        }
        if !quiet { for w in scenario.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) } }
        do {
            if let out { try PlanWriter.check(out, inputs: [file] + (shifts.map { [$0] } ?? []), force: force) }
            guard scenario.config.staffing == nil else {
                throw StaffingProblem("\(file): staffing: (officers on duty) caps the booths; bordersim staff plans booths and servers "
                                      + "directly: remove the staffing: block and plan again")
            }
            let (config, resolved) = try TargetResolution.resolve(targets, in: scenario.config,
                                                                  defaultScope: scope == .daily ? .daily : .everyHour)
            let grid = HourGrid(config: config)
            let maximum = try self.maximum(config, grid: grid)
            let patterns = try shifts.map { try ShiftPattern.load(path: $0, hours: grid.count) }
            let reps = Tool.capped(counts.replications ?? scenario.replications, minimum: 2)
            let seed = counts.seed ?? scenario.seed
            let search = IterativeStaffing.Settings(seed: seed, replications: reps, threads: counts.threads, stride: stride,
                                                    maxSimulations: maxSimulations, margin: margin)
            InterruptNote.arm("bordersim staff: interrupted; nothing was written" + (out.map { " (\($0) is untouched)" } ?? ""))
            defer { InterruptNote.disarm() }
            let line = StaffProgress(enabled: !quiet && isatty(STDERR_FILENO) == 1)
            let report: (@Sendable (String) -> Void) = { line.show($0) }

            var plan: HourlyPlan, simulations: Int, converged: Bool, how: String
            var budgetOutcome: BudgetMode.Outcome?
            if let budget {
                let mode = BudgetMode(config: config, grid: grid, budget: budget.hours, maximum: maximum, settings: search, progress: report)
                let o = try mode.run()
                (plan, simulations, converged, budgetOutcome) = (o.plan, o.simulations, o.converged, o)
                how = "budget mode (\(Int(o.budget)) booth-hours; exchanges of one booth-hour judged by simulation with common random numbers)"
            } else {
                let search = IterativeStaffing(config: config, grid: grid, targets: resolved, maximum: maximum, settings: search, progress: report)
                let o = try search.run()
                (plan, simulations, converged) = (o.plan, o.simulations, o.converged)
                how = "iterative staffing (Feldman, Mandelbaum, Massey & Whitt 2008) with common random numbers"
            }
            let searchSeconds = Date().timeIntervalSince(started)
            line.show("verifying on \(verifyReplications ?? reps) fresh replications")
            let drain = budget == nil ? IterativeStaffing(config: config, grid: grid, targets: resolved, maximum: maximum,
                                                          settings: search).lookahead + 1 : 0
            let verification = try Verification(config: config, current: config, plan: plan, targets: resolved, grid: grid, seed: seed,
                                                replications: Tool.capped(verifyReplications ?? reps, minimum: 2), first: reps,
                                                threads: counts.threads, drain: drain)
            let planned = plan.applied(to: config, grid: grid)
            let requirement = (0..<grid.count).map { h in
                planned.lanes.reduce(0) { $0 + grid.hourly($1.booths)[h] } + planned.stations.reduce(0) { $0 + grid.hourly($1.servers)[h] }
            }
            let roster = try patterns.map { try ShiftRoster.solve(requirement: requirement, shifts: $0, wraps: grid.periodic) }
            // The same shifts for today's schedule: paid hours against paid hours.
            let todays = (0..<grid.count).map { h in
                config.lanes.reduce(0) { $0 + grid.hourly($1.booths)[h] } + config.stations.reduce(0) { $0 + grid.hourly($1.servers)[h] }
            }
            let currentRoster = try patterns.map { try ShiftRoster.solve(requirement: todays, shifts: $0, wraps: grid.periodic) }
            line.clear()
            let seconds = Date().timeIntervalSince(started)
            let text = StaffReport(scenario: scenario, config: config, grid: grid, plan: plan, verification: verification,
                                   roster: roster, currentRoster: currentRoster, requirement: requirement, budget: budgetOutcome, how: how, replications: reps,
                                   simulations: simulations, converged: converged, seconds: seconds, searchSeconds: searchSeconds, seed: seed)
            if json { print(try text.json()) } else { print(text.render(), terminator: "") }
            if !converged && !quiet {
                FileHandle.standardError.write(Data("warning: the search stopped at --max-simulations \(maxSimulations) before it was stable\n".utf8))
            }
            if !verification.allAcceptable && !quiet {
                FileHandle.standardError.write(Data("warning: on the fresh replications some targets are missed beyond their 95% CI (see above)\n".utf8))
            }
            if let out {
                let header = text.header(command: CommandLine.arguments.map(shellQuoted).joined(separator: " "))
                try PlanWriter.write(try PlanWriter.text(scenario: scenario, plan: plan, config: config, header: header),
                                     to: out, inputs: [file] + (shifts.map { [$0] } ?? []), force: force)
                let note = "plan written to \(out); run it with `\(Tool.invocation) run \(shellQuoted(out))`\n"
                if json { FileHandle.standardError.write(Data(note.utf8)) } else { print(note, terminator: "") }
            }
        } catch let problem as StaffingProblem {
            throw fail(problem.description + (out.map { "; nothing was written (\($0) is untouched)" } ?? "; nothing was written"))
        }
    }

    /// The most positions of each planned lane and station: its current schedule's maximum, or --max-positions.
    func maximum(_ config: PortConfiguration, grid: HourGrid) throws -> [Position: Int] {
        var out: [Position: Int] = [:]
        for l in config.lanes.indices { out[.lane(l)] = max(1, grid.hourly(config.lanes[l].booths).max() ?? 1) }
        for s in config.stations.indices { out[.station(s)] = max(1, grid.hourly(config.stations[s].servers).max() ?? 1) }
        for item in maxPositions {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let n = Int(parts[1]), n >= 1 else {
                throw StaffingProblem("--max-positions \(item): expected lane.NAME=N or station.NAME=N with N ≥ 1")
            }
            if parts[0].hasPrefix("lane."), let l = config.lanes.firstIndex(where: { $0.name == parts[0].dropFirst(5) }) {
                out[.lane(l)] = n
            } else if parts[0].hasPrefix("station."), let s = config.stations.firstIndex(where: { $0.name == parts[0].dropFirst(8) }) {
                out[.station(s)] = n
            } else {
                throw StaffingProblem("--max-positions \(item): no such lane or station (lanes: \(config.lanes.map(\.name).joined(separator: ", ")); "
                                      + "stations: \(config.stations.map(\.name).joined(separator: ", ")))")
            }
        }
        return out
    }
}

/// One line on a terminal's stderr, rewritten in place with how far the search is.
final class StaffProgress: @unchecked Sendable {
    private let enabled: Bool
    private let start = Date()
    private var shown = false
    init(enabled: Bool) { self.enabled = enabled }
    func show(_ text: String) {
        guard enabled else { return }
        let line = String(format: "\r\u{1b}[Kstaff: %@ (%.0f s)", text, Date().timeIntervalSince(start))
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }
    func clear() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1b}[K".utf8))
    }
}

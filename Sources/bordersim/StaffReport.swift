import BorderModel
import Foundation
import Scenarios
import Staffing

/// What `bordersim staff` found, as text, JSON and the plan file's header.
struct StaffReport {
    var scenario: Scenario
    var config: PortConfiguration
    var grid: HourGrid
    var plan: HourlyPlan
    var verification: Verification
    var roster: ShiftRoster?
    /// The same shifts covering the scenario's current schedule.
    var currentRoster: ShiftRoster?
    var requirement: [Int]
    var budget: BudgetMode.Outcome?
    var how: String
    var replications: Int
    var simulations: Int
    var converged: Bool
    var seconds: Double
    var searchSeconds: Double
    var seed: UInt64

    var current: HourlyPlan { HourlyPlan(current: config, positions: plan.positions, grid: grid) }
    var saved: Double { verification.currentOfficerHours - verification.planOfficerHours }

    func value(_ v: Double, bound: Double, target: String) -> String {
        guard v.isFinite else { return "—" }
        if target.contains("share-over") { return String(format: "%.1f%%", v * 100) }
        if target.contains("capacity") { return String(format: "%.1f/h", v * 3600) }
        return String(format: "%.1f", v / 60)
    }

    func render() -> String {
        var s = "\(scenario.name) — staffing plan by \(how)\n"
        s += "search: \(simulations) simulations of \(replications) replications (seed \(seed))\(converged ? ", stable" : ", NOT stable (stopped at the limit)"), "
        s += String(format: "%.1f s; verification on %d fresh replications (from replication %d), total %.1f s\n\n",
                    searchSeconds, verification.replications, verification.firstReplication, seconds)
        // Positions by hour: plan (current).
        let names = plan.positions.map { HourlyPlan.name(of: $0, in: config) }
        s += "positions by hour, plan (current):\n" + "hour   " + names.map { $0.padding(toLength: max(12, $0.count + 2), withPad: " ", startingAt: 0) }.joined() + "\n"
        for h in grid.display {
            s += grid.label(h).padding(toLength: 7, withPad: " ", startingAt: 0)
            for (i, n) in names.enumerated() {
                s += "\(plan.values[i][h]) (\(current.values[i][h]))".padding(toLength: max(12, n.count + 2), withPad: " ", startingAt: 0)
            }
            s += "\n"
        }
        if !verification.targets.isEmpty {
            s += "\ntargets on the fresh replications (waits in minutes; mean [95% CI]):\n"
            for t in verification.targets {
                let counts = Dictionary(grouping: t.checks, by: \.status).mapValues(\.count)
                s += "  \(t.target) (\(t.scope)): " + (t.checks.count == 1 ? "" : "\(t.checks.count) hours: ")
                s += [Verification.Status.met, .metWithinCI, .missedWithinCI, .missed, .noTraffic].compactMap { st in
                    counts[st].map { "\(st.rawValue) \($0)" }
                }.joined(separator: ", ")
                let currentMet = t.current.filter { $0.status == .met || $0.status == .metWithinCI || $0.status == .noTraffic }.count
                s += "; current plan: mean within the bound in \(currentMet) of \(t.current.count)\n"
                for c in t.checks where t.checks.count == 1 || c.status != .met {
                    s += "    \(c.hour.map(grid.label) ?? "day")  \(value(c.mean, bound: t.bound, target: t.target)) "
                    s += "[\(value(c.low, bound: t.bound, target: t.target)), \(value(c.high, bound: t.bound, target: t.target))]  \(c.status.rawValue)\n"
                }
            }
        }
        let cur = verification.currentOfficerHours, new = verification.planOfficerHours
        s += String(format: "\nofficer-hours at booths and stations over the measured day: plan %.0f, current %.0f", new, cur)
        s += saved >= 0 ? String(format: " (%.0f saved, %.1f%%)\n", saved, 100 * saved / cur) : String(format: " (%.0f more)\n", -saved)
        let w = verification.meanWait
        s += String(format: "mean primary wait over all lanes (paired, same %d replications): current %.2f min, plan %.2f min; "
                    + "reduction %.2f min [%.2f, %.2f], %.1f%% [%.1f%%, %.1f%%]\n",
                    verification.replications, w.current / 60, w.plan / 60, w.reduction / 60, w.reductionLow / 60, w.reductionHigh / 60,
                    100 * w.relative, 100 * w.relativeLow, 100 * w.relativeHigh)
        if let b = budget {
            s += String(format: "budget: %.0f booth-hours, %d moves; mean wait on the search replications %.2f → %.2f min\n",
                        b.budget, b.moves, b.startMeanWait / 60, b.finalMeanWait / 60)
        }
        if let r = roster {
            s += "\nroster (GLPK MILP, optimal): \(r.assignments.reduce(0) { $0 + $1.officers }) officers, \(r.paidHours) paid officer-hours "
            s += "for \(requirement.reduce(0, +)) position-hours"
            if let c = currentRoster { s += "; today's schedule in the same shifts: \(c.paidHours) paid officer-hours (\(c.paidHours - r.paidHours) saved)" }
            s += "\n"
            for a in r.assignments { s += "  \(a.shift) from \(grid.label(a.start)): \(a.officers)\n" }
            s += "  on post by hour (needed): " + grid.display.map { "\(r.onPost[$0])(\(requirement[$0]))" }.joined(separator: " ") + "\n"
        }
        return s
    }

    /// Comment lines for PLAN.yaml.
    func header(command: String) -> [String] {
        var h = ["Staffing plan written by bordersim \(BorderSim.version) `staff` on \(ISO8601DateFormatter().string(from: Date()))",
                 "from \(scenario.path); command: \(command)",
                 "method: \(how);",
                 "\(simulations) simulations of \(replications) replications, seed \(seed)\(converged ? ", stable" : ", not stable (limit reached)");",
                 "verified on \(verification.replications) fresh replications (from replication \(verification.firstReplication)).",
                 "Planned: " + plan.positions.map { HourlyPlan.name(of: $0, in: config) }.joined(separator: ", ")
                     + "; every other lane and station keeps its schedule.",
                 String(format: "Officer-hours over the measured day: plan %.0f, current %.0f.", verification.planOfficerHours,
                        verification.currentOfficerHours)]
        for t in verification.targets { h.append("target \(t.target) (\(t.scope)): \(t.status.rawValue) on the fresh replications") }
        if let r = roster {
            h.append("Roster (GLPK): " + r.assignments.map { "\($0.officers) × \($0.shift) from \(grid.label($0.start))" }.joined(separator: ", ")
                     + "; \(r.paidHours) paid officer-hours.")
        }
        return h + [""]
    }

    func json() throws -> String {
        func num(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
        func minutes(_ v: Double, _ target: String) -> Any {
            target.contains("share-over") ? num(v) : target.contains("capacity") ? num(v * 3600) : num(v / 60)
        }
        func check(_ c: Verification.Check, _ target: String) -> [String: Any] {
            ["hour": c.hour.map(grid.label) ?? NSNull(), "mean": minutes(c.mean, target), "low": minutes(c.low, target),
             "high": minutes(c.high, target), "status": c.status.rawValue]
        }
        let cur = current
        var o: [String: Any] = [
            "scenario": scenario.name, "method": how, "seed": seed, "replications": replications, "simulations": simulations,
            "stable": converged, "search_seconds": searchSeconds, "seconds": seconds,
            "hours": grid.display.map(grid.label), "periodic": grid.periodic,
            "positions": plan.positions.indices.map { i in
                ["name": HourlyPlan.name(of: plan.positions[i], in: config),
                 "plan": grid.display.map { plan.values[i][$0] }, "current": grid.display.map { cur.values[i][$0] }] as [String: Any]
            },
            "requirement": grid.display.map { requirement[$0] },
            "officer_hours": ["plan": verification.planOfficerHours, "current": verification.currentOfficerHours, "saved": saved],
            "verification": [
                "replications": verification.replications, "first_replication": verification.firstReplication,
                "targets": verification.targets.map { t in
                    ["target": t.target, "scope": t.scope, "status": t.status.rawValue, "bound": minutes(t.bound, t.target),
                     "units": t.target.contains("share-over") ? "share" : t.target.contains("capacity") ? "per hour" : "minutes",
                     "checks": t.checks.map { check($0, t.target) }, "current": t.current.map { check($0, t.target) }] as [String: Any]
                },
                "mean_wait_min": ["current": num(verification.meanWait.current / 60), "plan": num(verification.meanWait.plan / 60),
                                  "reduction": num(verification.meanWait.reduction / 60),
                                  "reduction_low": num(verification.meanWait.reductionLow / 60),
                                  "reduction_high": num(verification.meanWait.reductionHigh / 60),
                                  "relative": num(verification.meanWait.relative), "relative_low": num(verification.meanWait.relativeLow),
                                  "relative_high": num(verification.meanWait.relativeHigh)],
            ],
        ]
        if let r = roster {
            o["roster"] = ["paid_hours": r.paidHours, "current_paid_hours": currentRoster.map { $0.paidHours as Any } ?? NSNull(), "on_post": grid.display.map { r.onPost[$0] },
                           "assignments": r.assignments.map { ["shift": $0.shift, "start": grid.label($0.start), "officers": $0.officers] }]
        }
        if let b = budget {
            o["budget"] = ["booth_hours": b.budget, "moves": b.moves, "search_start_mean_wait_min": b.startMeanWait / 60,
                           "search_final_mean_wait_min": b.finalMeanWait / 60]
        }
        let data = try JSONSerialization.data(withJSONObject: o, options: [.prettyPrinted, .sortedKeys])
        return String(data: data, encoding: .utf8)!
    }
}

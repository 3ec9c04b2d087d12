import CGLPK
import Foundation

/// Officers by shift and start hour covering an hourly requirement at the fewest paid
/// officer-hours: the integer programme
///
///     minimise   Σ_j,s  length_j · x_js
///     subject to Σ_j,s  onPost_j(h − s) · x_js ≥ requirement_h     for every hour h
///                Σ_s    x_js ≤ maxOfficers_j                       where given
///                x_js ∈ {0, 1, 2, ...}
///
/// solved by GLPK's branch-and-cut (`glp_intopt`, Debian's libglpk-dev) through its C API: a
/// maintained, exact MILP solver that Debian packages, so CI installs it with apt like GSL.
public struct ShiftRoster: Sendable, Equatable {
    public struct Assignment: Sendable, Equatable {
        public var shift: String
        public var start: Int
        public var officers: Int
    }
    public var assignments: [Assignment]
    /// Officers on post in each hour.
    public var onPost: [Int]
    /// Paid officer-hours (shift lengths, breaks included).
    public var paidHours: Int
    public var requirement: [Int]

    /// Solves the roster. `wraps`: the day repeats, so a shift starting at 22:00 covers 00:00
    /// and 01:00 too; otherwise hours past the last are not covered.
    public static func solve(requirement: [Int], shifts: [ShiftPattern], wraps: Bool,
                             timeLimit: Double = 30) throws -> ShiftRoster {
        let hours = requirement.count
        var columns: [(shift: Int, start: Int)] = []
        for (j, s) in shifts.enumerated() { for start in s.starts { columns.append((j, start)) } }
        func covers(_ c: (shift: Int, start: Int), _ h: Int) -> Bool {
            let offset = wraps ? ((h - c.start) % hours + hours) % hours : h - c.start
            return shifts[c.shift].onPost(offset: offset)
        }
        for h in 0..<hours where requirement[h] > 0 && !columns.contains(where: { covers($0, h) }) {
            throw StaffingProblem("the shifts cover nobody at \(h < 10 ? "0" : "")\(h):00, where \(requirement[h]) positions are open: "
                                  + "add a shift start that reaches that hour")
        }
        glp_term_out(GLP_OFF)
        let lp = glp_create_prob()!
        defer { glp_delete_prob(lp) }
        glp_set_obj_dir(lp, GLP_MIN)
        let capped = shifts.enumerated().filter { $0.element.maxOfficers != nil }
        glp_add_rows(lp, Int32(hours + capped.count))
        for h in 0..<hours { glp_set_row_bnds(lp, Int32(h + 1), GLP_LO, Double(requirement[h]), 0) }
        for (k, c) in capped.enumerated() { glp_set_row_bnds(lp, Int32(hours + k + 1), GLP_UP, 0, Double(c.element.maxOfficers!)) }
        glp_add_cols(lp, Int32(columns.count))
        // Sparse matrix, 1-based as GLPK wants it (index 0 unused).
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (j, c) in columns.enumerated() {
            let col = Int32(j + 1)
            glp_set_col_kind(lp, col, GLP_IV)
            glp_set_col_bnds(lp, col, GLP_LO, 0, 0)
            glp_set_obj_coef(lp, col, Double(shifts[c.shift].length))
            for h in 0..<hours where covers(c, h) { ia.append(Int32(h + 1)); ja.append(col); ar.append(1) }
            if let k = capped.firstIndex(where: { $0.offset == c.shift }) {
                ia.append(Int32(hours + k + 1)); ja.append(col); ar.append(1)
            }
        }
        glp_load_matrix(lp, Int32(ia.count - 1), &ia, &ja, &ar)
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.presolve = GLP_ON
        parm.msg_lev = GLP_MSG_OFF
        parm.tm_lim = Int32(timeLimit * 1000)
        let rc = glp_intopt(lp, &parm)
        let status = glp_mip_status(lp)
        guard rc == 0, status == GLP_OPT else {
            if status == GLP_NOFEAS || rc == GLP_ENOPFS {
                throw StaffingProblem("no roster of these shifts covers the requirement (the max-officers limits are too low)")
            }
            throw StaffingProblem("GLPK found no optimal roster (glp_intopt returned \(rc), status \(status))")
        }
        var assignments: [Assignment] = []
        var onPost = Array(repeating: 0, count: hours)
        var paid = 0
        for (j, c) in columns.enumerated() {
            let x = Int(glp_mip_col_val(lp, Int32(j + 1)).rounded())
            guard x > 0 else { continue }
            assignments.append(Assignment(shift: shifts[c.shift].name, start: c.start, officers: x))
            paid += x * shifts[c.shift].length
            for h in 0..<hours where covers(c, h) { onPost[h] += x }
        }
        return ShiftRoster(assignments: assignments, onPost: onPost, paidHours: paid, requirement: requirement)
    }
}

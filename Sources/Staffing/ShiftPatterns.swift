import Foundation
import Scenarios
import Yams

/// The shifts officers may work (SHIFTS.yaml):
///
///     shifts:
///       early: {length: 8h, starts: ["05:00", "06:00", "07:00"], break: {after: 4h, length: 1h}}
///       late:  {length: 8h, starts: any}
///       night: {length: 10h, starts: ["21:00", "22:00"], max-officers: 12}
///
/// Hours are whole hours of the day (the plan's hours); a shift may run past midnight into the
/// next day. An officer on break is paid but not on post.
public struct ShiftPattern: Sendable, Equatable {
    public var name: String
    /// Hours long, paid.
    public var length: Int
    /// Allowed start hours (of the plan's hours).
    public var starts: [Int]
    /// Break: `breakLength` hours off post starting `breakAfter` hours into the shift.
    public var breakAfter: Int
    public var breakLength: Int
    public var maxOfficers: Int?

    public init(name: String, length: Int, starts: [Int], breakAfter: Int = 0, breakLength: Int = 0, maxOfficers: Int? = nil) {
        self.name = name; self.length = length; self.starts = starts
        self.breakAfter = breakAfter; self.breakLength = breakLength; self.maxOfficers = maxOfficers
    }

    /// Whether an officer starting at `start` is on post `offset` hours later.
    public func onPost(offset: Int) -> Bool {
        offset >= 0 && offset < length && !(breakLength > 0 && offset >= breakAfter && offset < breakAfter + breakLength)
    }

    public static func load(path: String, hours: Int) throws -> [ShiftPattern] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw StaffingProblem("\(path): no readable shifts file at this path")
        }
        return try parse(text, file: path, hours: hours)
    }

    public static func parse(_ text: String, file: String, hours: Int) throws -> [ShiftPattern] {
        func fail(_ node: Node?, _ path: String, _ message: String) -> StaffingProblem {
            let line = node?.mark?.line ?? 1, column = node?.mark?.column ?? 1
            return StaffingProblem("\(file):\(line):\(column): \(path): \(message)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw fail(nil, "", "expected a mapping with 'shifts', found an empty file") }
            root = node
        } catch let e as StaffingProblem { throw e } catch {
            throw StaffingProblem("\(file): YAML syntax error: \(error)")
        }
        guard case .mapping(let top) = root, let shiftsNode = top["shifts"] else {
            throw fail(root, "", "expected a mapping with a 'shifts' key")
        }
        if let extra = top.keys.compactMap(\.string).first(where: { $0 != "shifts" }) {
            throw fail(top.keys.first { $0.string == extra }, extra, "unknown key (expected only 'shifts')")
        }
        guard case .mapping(let shifts) = shiftsNode, !shifts.isEmpty else {
            throw fail(shiftsNode, "shifts", "expected a mapping of shift names to {length, starts, break, max-officers}")
        }
        func wholeHours(_ node: Node, _ path: String, minimum: Int) throws -> Int {
            guard let s = node.string, let seconds = QuantityText.duration(s), seconds.isFinite,
                  (seconds / 3600).rounded() == seconds / 3600, Int(seconds / 3600) >= minimum else {
                throw fail(node, path, "expected a whole number of hours (at least \(minimum)h), such as 8h, found '\(node.string ?? "a collection")'")
            }
            return Int(seconds / 3600)
        }
        var out: [ShiftPattern] = []
        for (key, value) in shifts {
            let name = key.string ?? "?"
            let path = "shifts.\(name)"
            guard case .mapping(let f) = value else { throw fail(value, path, "expected {length, starts, ...}") }
            for k in f.keys.compactMap(\.string) where !["length", "starts", "break", "max-officers"].contains(k) {
                throw fail(f.keys.first { $0.string == k }, "\(path).\(k)", "unknown key (expected length, starts, break, max-officers)")
            }
            guard let lengthNode = f["length"] else { throw fail(value, path, "missing 'length' (e.g. 8h)") }
            let length = try wholeHours(lengthNode, "\(path).length", minimum: 1)
            guard length <= 24 else { throw fail(lengthNode, "\(path).length", "expected at most 24h, found \(length)h") }
            var starts: [Int] = []
            switch f["starts"] {
            case nil: throw fail(value, path, "missing 'starts' (a list of \"HH:00\" times, or any)")
            case .some(let n) where n.string == "any": starts = Array(0..<hours)
            case .some(.sequence(let seq)):
                for (i, item) in seq.enumerated() {
                    guard let s = item.string, let t = QuantityText.clockTime(s), t < 86_400, t.truncatingRemainder(dividingBy: 3600) == 0 else {
                        throw fail(item, "\(path).starts[\(i)]", "expected a whole hour such as \"06:00\", found '\(item.string ?? "a collection")'")
                    }
                    let h = Int(t / 3600)
                    guard h < hours else { throw fail(item, "\(path).starts[\(i)]", "the plan has \(hours) hours; \(s) is outside them") }
                    if !starts.contains(h) { starts.append(h) }
                }
            case .some(let n): throw fail(n, "\(path).starts", "expected a list of \"HH:00\" times, or any")
            }
            guard !starts.isEmpty else { throw fail(f["starts"], "\(path).starts", "expected at least one start time") }
            var after = 0, breakLength = 0
            if let b = f["break"] {
                guard case .mapping(let bf) = b, let a = bf["after"], let l = bf["length"] else {
                    throw fail(b, "\(path).break", "expected {after: 4h, length: 1h}")
                }
                after = try wholeHours(a, "\(path).break.after", minimum: 1)
                breakLength = try wholeHours(l, "\(path).break.length", minimum: 1)
                guard after + breakLength < length else {
                    throw fail(b, "\(path).break", "the break must end before the shift does (\(after)h + \(breakLength)h ≥ \(length)h)")
                }
            }
            var maxOfficers: Int?
            if let m = f["max-officers"] {
                guard let s = m.string, let v = Int(s), v >= 0 else { throw fail(m, "\(path).max-officers", "expected a whole number ≥ 0") }
                maxOfficers = v
            }
            out.append(ShiftPattern(name: name, length: length, starts: starts.sorted(), breakAfter: after,
                                    breakLength: breakLength, maxOfficers: maxOfficers))
        }
        return out
    }
}

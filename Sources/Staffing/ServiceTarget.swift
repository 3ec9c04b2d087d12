import BorderModel
import Foundation
import Scenarios

/// A service level a plan must reach, as planners say it:
/// `lane.general: p95-wait <= 30 min`, `lane.ready: mean-wait <= 10 min daily`,
/// `lane.general: share-over 30 min <= 5% every hour`, `station.scanner: mean-wait <= 20 min`,
/// `lane.sentri: mean-crossing <= 10 min`, `station.exam: capacity >= 8/h`.
public struct ServiceTarget: Sendable, Equatable, CustomStringConvertible {
    public enum Subject: Sendable, Equatable {
        case lane(String), station(String)
        public var name: String { switch self { case .lane(let n), .station(let n): return n } }
        public var label: String { switch self { case .lane(let n): return "lane \(n)"; case .station(let n): return "station \(n)" } }
    }
    public enum Metric: Sendable, Equatable {
        /// 95th percentile of the primary (or station) wait, seconds.
        case p95Wait
        case meanWait
        /// Share of parties waiting longer than this many seconds.
        case shareOver(Double)
        /// Mean time from arrival to leaving the port (wait + primary + any secondary), seconds.
        case meanCrossing
        /// A station's service capacity, parties per second: servers × 1 / mean service time.
        case capacity
    }
    /// In every hour (time-stable service) or over the measured day as a whole.
    public enum Scope: String, Sendable, Equatable { case everyHour = "every hour", daily }

    public var subject: Subject
    public var metric: Metric
    /// Seconds (waits, times), a share (share-over), or parties per second (capacity).
    public var bound: Double
    /// nil: the command's default (`--every-hour`, or `--daily`).
    public var scope: Scope?
    /// As written, for messages and the plan's header.
    public var text: String

    /// Capacity is a floor (`>=`); every other target a ceiling (`<=`).
    public var isFloor: Bool { metric == .capacity }

    public var description: String { text }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing raw: String) throws {
        func fail(_ why: String) -> ParseError {
            ParseError(description: "target '\(raw)': \(why); expected e.g. 'lane.general: p95-wait <= 30 min' "
                       + "(metrics: p95-wait, mean-wait, share-over DURATION, mean-crossing; station.NAME: capacity >= 8/h)")
        }
        text = raw.trimmingCharacters(in: .whitespaces)
        guard let colon = text.firstIndex(of: ":") else { throw fail("no ':' after the lane or station") }
        let who = text[..<colon].trimmingCharacters(in: .whitespaces)
        var rest = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
        if who.hasPrefix("lane."), who.count > 5 { subject = .lane(String(who.dropFirst(5))) }
        else if who.hasPrefix("station."), who.count > 8 { subject = .station(String(who.dropFirst(8))) }
        else { throw fail("'\(who)' is not lane.NAME or station.NAME") }

        scope = nil
        for (words, s) in [("every hour", Scope.everyHour), ("hourly", .everyHour), ("over the day", .daily), ("daily", .daily)]
        where rest.hasSuffix(" " + words) {
            scope = s
            rest = String(rest.dropLast(words.count + 1)).trimmingCharacters(in: .whitespaces)
            break
        }
        let op = rest.contains("<=") ? "<=" : rest.contains(">=") ? ">=" : nil
        guard let op, let opRange = rest.range(of: op) else { throw fail("no '<=' or '>='") }
        let lhs = rest[..<opRange.lowerBound].trimmingCharacters(in: .whitespaces)
        let rhs = rest[opRange.upperBound...].trimmingCharacters(in: .whitespaces)
        switch lhs {
        case "p95-wait": metric = .p95Wait
        case "mean-wait": metric = .meanWait
        case "mean-crossing": metric = .meanCrossing
        case "capacity": metric = .capacity
        default:
            guard lhs.hasPrefix("share-over") else { throw fail("unknown metric '\(lhs)'") }
            let d = lhs.dropFirst("share-over".count).trimmingCharacters(in: .whitespaces)
            guard let seconds = QuantityText.duration(d), seconds > 0, seconds.isFinite else {
                throw fail("share-over needs a duration > 0 such as 'share-over 30 min', found '\(d)'")
            }
            metric = .shareOver(seconds)
        }
        guard (op == ">=") == (metric == .capacity) else {
            throw fail(metric == .capacity ? "capacity is a floor: write 'capacity >= 8/h'" : "a wait is a ceiling: write '<='")
        }
        switch metric {
        case .shareOver:
            guard let p = QuantityText.probability(rhs), (0..<1).contains(p) else {
                throw fail("expected a share in [0, 100%) after '<=', found '\(rhs)'")
            }
            bound = p
        case .capacity:
            guard case .station = subject else { throw fail("capacity applies to a station") }
            guard let r = QuantityText.rate(rhs), r > 0, r.isFinite else { throw fail("expected a rate > 0 such as 8/h, found '\(rhs)'") }
            bound = r
        default:
            guard let s = QuantityText.duration(rhs), s.isFinite else { throw fail("expected a duration such as 30 min, found '\(rhs)'") }
            guard s > 0 else { throw fail("a wait of \(rhs) or less cannot be promised to a share of parties: give a bound > 0") }
            bound = s
        }
    }

    /// The target's scope given the command's default.
    public func scope(default d: Scope) -> Scope { metric == .capacity ? .everyHour : (scope ?? d) }

    /// The bound in the units people read: minutes, percent or parties per hour.
    public var boundText: String { ServiceTarget.show(bound, metric) }

    static func show(_ value: Double, _ metric: Metric) -> String {
        guard value.isFinite else { return "—" }
        switch metric {
        case .shareOver: return String(format: "%.1f%%", value * 100)
        case .capacity: return String(format: "%.1f/h", value * 3600)
        default: return String(format: "%.1f min", value / 60)
        }
    }
}

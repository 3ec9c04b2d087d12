import BorderModel
import Foundation
import SimKernel

/// Model values in the words and units a scenario file uses (`4 min`, `0.2/h`, "score above
/// 2.33"), for summaries and messages: never Swift's own rendering of an enum.
public enum Describe {
    /// Seconds in the largest unit that reads naturally: 45 s, 4 min, 1.5 h, 2 d.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds > 0 ? "∞" : "-∞" }
        let a = abs(seconds)
        if a == 0 { return "0" }
        if a < 120 { return g(seconds) + " s" }
        if a < 7200 { return g(seconds / 60) + " min" }
        if a >= 172_800, seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return g(seconds / 86_400) + " d" }
        return g(seconds / 3600) + " h"
    }

    /// Parties per second as a rate per hour with three significant digits: 0.2/h, 1,210/h.
    public static func rate(_ perSecond: Double) -> String { g(perSecond * 3600, digits: 3) + "/h" }

    public static func percent(_ share: Double) -> String { g(share * 100, digits: 3) + "%" }

    /// A targeting rule as the scenario file says it.
    public static func rule(_ r: SelectionRule) -> String {
        func random(_ rate: Double) -> String { rate > 0 ? ", plus \(percent(rate)) at random" : "" }
        switch r {
        case .none: return "nobody referred"
        case .all: return "everybody referred"
        case .random(let rate): return "\(percent(rate)) at random"
        case .threshold(let t, let rate): return "risk score above \(g(t))" + random(rate)
        case .targetFraction(let f, let rate): return "the riskiest \(percent(f)) (threshold from the score mix)" + random(rate)
        case let .congestionAware(t, slope, free, rate):
            return "risk score above \(g(t)), rising by \(g(slope)) per party queued beyond \(free) at secondary" + random(rate)
        }
    }

    /// A distribution of durations with its parameters in time units:
    /// `lognormal(mean 4 min, sd 1.5 min)` rather than `lognormal(mean 240, sd 90)`.
    public static func durations(_ d: Distribution) -> String {
        var text = d.description.replacingOccurrences(of: "truncatedNormal", with: "truncated-normal")
            .replacingOccurrences(of: "empiricalContinuous", with: "empirical").replacingOccurrences(of: "empiricalDiscrete", with: "empirical")
        let number = #"(-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?)"#
        for pattern in [#"\b(mean|sd|min|max|mode|scale|lower|upper) "# + number, #"(deterministic\()"# + number,
                        #"(\[)"# + number, #"(, )"# + number + #"(?=\])"#] {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let ns = text as NSString
            var out = "", last = 0
            for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let value = Double(ns.substring(with: m.range(at: 2))) ?? .nan
                out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
                out += ns.substring(with: m.range(at: 1)) + (pattern.hasPrefix(#"\b"#) ? " " : "") + duration(value)
                last = m.range.location + m.range.length
            }
            text = out + ns.substring(from: last)
        }
        return text
    }

    /// `%g` with `digits` significant digits, without a trailing exponent for everyday values.
    static func g(_ x: Double, digits: Int = 4) -> String {
        let text = String(format: "%.\(digits)g", x)
        guard text.contains("e"), abs(x) >= 1, abs(x) < 1e9 else { return text }
        return String(format: "%.0f", x)
    }
}

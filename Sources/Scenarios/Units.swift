import Foundation

/// Quantities as people write them: `45s`, `8 min`, `2h`, `120/h`, `2.5%`, `"06:30"`.
enum Units {
    private static let number = #"([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"#

    static let durationUnits: [String: Double] = [
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
        "min": 60, "mins": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
        "d": 86_400, "day": 86_400, "days": 86_400,
    ]

    /// Splits `"12.5 min"` into (12.5, "min"); nil if it does not start with a number.
    static func split(_ text: String) -> (Double, String)? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let range = t.range(of: "^" + number, options: .regularExpression),
              let value = Double(t[range]) else { return nil }
        return (value, t[range.upperBound...].trimmingCharacters(in: .whitespaces))
    }

    /// Seconds. A bare number is seconds.
    static func duration(_ text: String) -> Double? {
        guard let (value, unit) = split(text) else { return nil }
        if unit.isEmpty { return value }
        return durationUnits[unit.lowercased()].map { value * $0 }
    }

    /// Per second. A bare number is per hour.
    static func rate(_ text: String) -> Double? {
        guard let (value, unit) = split(text) else { return nil }
        if unit.isEmpty { return value / 3600 }
        guard unit.hasPrefix("/") else { return nil }
        let per = unit.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
        return durationUnits[per].map { value / $0 }
    }

    /// A probability: `0.025` or `2.5%`.
    static func probability(_ text: String) -> Double? {
        guard let (value, unit) = split(text) else { return nil }
        if unit.isEmpty { return value }
        return unit == "%" ? value / 100 : nil
    }

    /// Seconds since midnight from `"HH:MM"` (or `"HH:MM:SS"`); `"24:00"` is allowed.
    static func clockTime(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2 || parts.count == 3,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m)
        else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0..<60).contains(s) else { return nil }
        let total = Double(h * 3600 + m * 60 + s)
        return total <= 86_400 ? total : nil
    }
}

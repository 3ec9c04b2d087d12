/// The valid values of a model parameter, declared once next to the parameter: the scenario
/// grammar states it in its messages and its JSON Schema, and `ModelCheck` enforces it for
/// configurations built in Swift.
public struct ValueRange: Sendable, Equatable {
    public var lower: Double?
    public var lowerOpen: Bool
    public var upper: Double?
    public var upperOpen: Bool
    public var wholeNumbers: Bool

    public init(lower: Double?, lowerOpen: Bool = false, upper: Double?, upperOpen: Bool = false, wholeNumbers: Bool = false) {
        self.lower = lower; self.lowerOpen = lowerOpen; self.upper = upper; self.upperOpen = upperOpen
        self.wholeNumbers = wholeNumbers
    }

    /// lower ≤ x ≤ upper.
    public static func closed(_ lower: Double, _ upper: Double) -> ValueRange { ValueRange(lower: lower, upper: upper) }
    /// lower < x < upper.
    public static func open(_ lower: Double, _ upper: Double) -> ValueRange {
        ValueRange(lower: lower, lowerOpen: true, upper: upper, upperOpen: true)
    }
    /// Whole numbers from lower to upper.
    public static func whole(_ lower: Int, _ upper: Int) -> ValueRange {
        ValueRange(lower: Double(lower), upper: Double(upper), wholeNumbers: true)
    }
    /// x ≥ lower (or x > lower when `open`).
    public static func atLeast(_ lower: Double, open: Bool = false) -> ValueRange {
        ValueRange(lower: lower, lowerOpen: open, upper: nil)
    }
    /// Any finite number.
    public static let finite = ValueRange(lower: nil, upper: nil)

    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if wholeNumbers && x != x.rounded() { return false }
        if let l = lower, lowerOpen ? !(x > l) : !(x >= l) { return false }
        if let u = upper, upperOpen ? !(x < u) : !(x <= u) { return false }
        return true
    }

    /// "strictly between 0.5 and 1", "from 0 to 10000", "≥ 0", "> 0", "any number".
    public var phrase: String {
        func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        switch (lower, upper) {
        case let (l?, u?) where lowerOpen && upperOpen: return "strictly between \(n(l)) and \(n(u))"
        case let (l?, u?) where !lowerOpen && !upperOpen: return "from \(n(l)) to \(n(u))"
        case let (l?, u?): return "\(lowerOpen ? ">" : "≥") \(n(l)) and \(upperOpen ? "<" : "≤") \(n(u))"
        case let (l?, nil): return "\(lowerOpen ? ">" : "≥") \(n(l))"
        case let (nil, u?): return "\(upperOpen ? "<" : "≤") \(n(u))"
        case (nil, nil): return "any number"
        }
    }
}

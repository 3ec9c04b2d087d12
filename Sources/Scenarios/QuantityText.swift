/// The scenario's unit grammar (`45s`, `8 min`, `120/h`, `2.5%`, `"06:30"`) for other layers
/// that read quantities from the command line or their own files (staffing targets, shifts).
public enum QuantityText {
    /// Seconds; a bare number is seconds.
    public static func duration(_ text: String) -> Double? { Units.duration(text) }
    /// Per second; a bare number is per hour.
    public static func rate(_ text: String) -> Double? { Units.rate(text) }
    /// A probability: `0.025` or `2.5%`.
    public static func probability(_ text: String) -> Double? { Units.probability(text) }
    /// Seconds since midnight from `"HH:MM"`.
    public static func clockTime(_ text: String) -> Double? { Units.clockTime(text) }
}

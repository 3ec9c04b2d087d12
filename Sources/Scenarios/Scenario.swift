import BorderModel

/// A scenario file, read and checked: the model configuration plus how to run it.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var config: PortConfiguration
    public var replications: Int
    public var seed: UInt64
    /// Whether the per-party trace is written with the results.
    public var trace: Bool
    /// The file as read, and as resolved after `--set` overrides (what reproduces the run).
    public var sourceText: String
    public var resolvedText: String
    public var path: String
    public var warnings: [ScenarioProblem]
    /// How an observed hourly file drives the scenario (`observed:`), for replay and calibrate.
    public var observed: ObservedSpec? = nil
    /// Every file the scenario was read from (itself, its CSV files): an output must be none of them.
    public var inputFiles: [String] = []
}

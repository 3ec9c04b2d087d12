/// The result-file schema: its version and the fixed names readers rely on. Any change to the
/// layout changes `version` (and results/README.md).
public enum ResultsSchema {
    public static let version: Int64 = 4
    public static let tool = "bordersim"
    /// What a file holds: a run (this file), a sweep or a comparison (their own files). Version 2
    /// added the sweep and comparison kinds; version 3 the queueing metrics (P(wait > 0), shares
    /// over thresholds, L and Lq, blocking and abandonment, the station_class table, hourly busy
    /// and in-system series) and NaN for undefined values; version 4 the attribution of
    /// referrals (the attribution and attribution_class tables, their referral_cause axes).
    public static let runKind = "run"

    public static let replicationsGroup = "replications"
    public static let summaryGroup = "summary"
    public static let seriesGroup = "series"
    public static let traceGroup = "trace"
    public static let replicationAxis = "replication"

    /// Attribute names at the root.
    public enum Attribute {
        public static let tool = "tool"
        public static let toolVersion = "tool_version"
        public static let schemaVersion = "schema_version"
        public static let kind = "file_kind"
        public static let created = "created"
        public static let seed = "seed"
        public static let replications = "replications"
        public static let horizon = "horizon_s"
        public static let warmUp = "warm_up_s"
        public static let confidenceLevel = "confidence_level"
        public static let scenarioName = "scenario_name"
        public static let scenarioPath = "scenario_path"
        public static let scenarioText = "scenario_yaml"
        public static let scenarioHash = "scenario_sha256"
        public static let commandLine = "command_line"
        public static let hasTrace = "has_trace"
    }
}

/// Everything that defines a border-crossing model: plain values, filled by the scenario
/// loader or written directly in Swift.
public struct PortConfiguration: Sendable {
    public var name: String
    /// Length of a replication, in seconds.
    public var horizon: Double
    /// Statistics are reset at this time while parties keep flowing.
    public var warmUp: Double
    public var violationTypes: [String]
    public var classes: [TrafficClass]
    public var lanes: [Lane]
    public var targeting: TargetingPolicy
    public var stations: [SecondaryStation]
    /// The station referred parties go to first; nil when there is no secondary inspection.
    public var referralStation: Int?
    public var staffing: Staffing?
    public var metrics: MetricOptions
    /// Intelligence sources beyond each class's own risk score (empty: the class scores only).
    public var intelligence: [IntelligenceSource] = []

    public init(name: String, horizon: Double, warmUp: Double = 0, violationTypes: [String] = [],
                classes: [TrafficClass], lanes: [Lane], targeting: TargetingPolicy = TargetingPolicy(),
                stations: [SecondaryStation] = [], referralStation: Int? = nil,
                staffing: Staffing? = nil, metrics: MetricOptions = MetricOptions()) {
        self.name = name; self.horizon = horizon; self.warmUp = warmUp
        self.violationTypes = violationTypes; self.classes = classes; self.lanes = lanes
        self.targeting = targeting; self.stations = stations
        self.referralStation = referralStation ?? (stations.isEmpty ? nil : 0)
        self.staffing = staffing; self.metrics = metrics
    }
}

public struct MetricOptions: Sendable, Equatable {
    /// Interval between samples of queue lengths, in seconds.
    public var queueSampleInterval: Double
    /// Width of a bin of the hourly series, in seconds.
    public var seriesBin: Double
    /// Waits longer than these (seconds, ascending) are counted: the shares waiting over each.
    /// Default: the buckets of CBP's published wait data, 15, 30, 45, 60, 90 and 120 minutes.
    public var waitThresholds: [Double]
    public static let cbpWaitThresholds: [Double] = [15, 30, 45, 60, 90, 120].map { $0 * 60 }
    public init(queueSampleInterval: Double = 300, seriesBin: Double = 3600,
                waitThresholds: [Double] = MetricOptions.cbpWaitThresholds) {
        self.queueSampleInterval = queueSampleInterval; self.seriesBin = seriesBin
        self.waitThresholds = waitThresholds
    }
}

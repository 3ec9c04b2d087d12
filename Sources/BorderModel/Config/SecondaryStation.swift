import SimKernel

/// A secondary-inspection station: a scanner, a document check, a physical examination.
public struct SecondaryStation: Sendable {
    public enum Discipline: String, Sendable { case fifo, highestRiskFirst = "highest-risk-first" }

    public var name: String
    /// Servers (staffed positions) over time.
    public var servers: PiecewiseConstant
    public var service: Distribution
    /// Service time by class index, where it differs from `service`.
    public var serviceByClass: [Int: Distribution]
    public var discipline: Discipline
    /// Probability of an alarm on a violator, by violation type.
    public var sensitivity: [Double]
    /// Probability of an alarm on a party without a violation.
    public var falseAlarmRate: Double
    public var onAlarm: Route
    public var onClear: Route
    public var downtime: Downtime?

    public init(name: String, servers: PiecewiseConstant, service: Distribution,
                serviceByClass: [Int: Distribution] = [:], discipline: Discipline = .fifo,
                sensitivity: [Double], falseAlarmRate: Double = 0, onAlarm: Route = .release,
                onClear: Route = .release, downtime: Downtime? = nil) {
        self.name = name; self.servers = servers; self.service = service
        self.serviceByClass = serviceByClass; self.discipline = discipline
        self.sensitivity = sensitivity; self.falseAlarmRate = falseAlarmRate
        self.onAlarm = onAlarm; self.onClear = onClear; self.downtime = downtime
    }
}

/// Where a party goes after a station. An alarm routed to `.release` ends the inspection: a
/// violator is then interdicted (detected); a clear routed to `.release` lets the party go.
public enum Route: Sendable, Equatable {
    case station(Int)
    case release
}

/// Breakdowns of a whole station (a scanner): it fails after a time drawn from
/// `timeBetweenFailures`, is repaired after `repairTime`; parties in service finish.
public struct Downtime: Sendable {
    public enum WhileDown: Sendable, Equatable {
        /// Parties queue until the repair.
        case queueWaits
        /// Parties (queued and arriving) go to another station instead.
        case divert(to: Int)
        /// Parties (queued and arriving) are released without this inspection.
        case releaseUnscreened
    }
    public var timeBetweenFailures: Distribution
    public var repairTime: Distribution
    public var whileDown: WhileDown
    public init(timeBetweenFailures: Distribution, repairTime: Distribution, whileDown: WhileDown = .queueWaits) {
        self.timeBetweenFailures = timeBetweenFailures; self.repairTime = repairTime; self.whileDown = whileDown
    }
}

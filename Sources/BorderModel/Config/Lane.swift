import SimKernel

/// A primary-inspection lane: a queue in front of a row of booths.
public struct Lane: Sendable {
    public var name: String
    /// Indices of the traffic classes this lane serves.
    public var serves: [Int]
    /// Serves only parties enrolled in a trusted programme (SENTRI, NEXUS, FAST lanes).
    public var trustedOnly: Bool
    /// Booths open over time. A closing booth finishes its current party first.
    public var booths: PiecewiseConstant
    /// Primary service time by class index (nil where the lane does not serve the class).
    public var service: [Distribution?]
    /// Service time for trusted parties by class index; nil: the same as `service`.
    public var trustedService: [Distribution?]
    /// Parties that fit in the queue (physical storage), not counting those at booths; nil:
    /// unlimited. Arrivals that find every eligible queue full balk. (An M/M/c/K system has
    /// capacity K − c.)
    public var capacity: Int?
    /// Probability, by violation type, that the primary officer spots the violation directly
    /// (the party is then referred to secondary as detected).
    public var primaryDetection: [Double]
    /// Extra booths opened by supervisors as the queue grows; nil: the schedule only.
    public var dynamicOpening: DynamicOpening?
    /// Faster service under load; nil: service times as drawn.
    public var speedUp: LoadDependentService?

    public init(name: String, serves: [Int], trustedOnly: Bool = false, booths: PiecewiseConstant,
                service: [Distribution?], trustedService: [Distribution?]? = nil,
                capacity: Int? = nil, primaryDetection: [Double] = [],
                dynamicOpening: DynamicOpening? = nil, speedUp: LoadDependentService? = nil) {
        self.name = name; self.serves = serves; self.trustedOnly = trustedOnly; self.booths = booths
        self.service = service
        self.trustedService = trustedService ?? Array(repeating: nil, count: service.count)
        self.capacity = capacity; self.primaryDetection = primaryDetection
        self.dynamicOpening = dynamicOpening; self.speedUp = speedUp
    }
}

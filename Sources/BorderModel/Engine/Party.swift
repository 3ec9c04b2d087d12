import SimKernel

/// One party in the port (a vehicle and its occupants, a pedestrian, a truck, an air
/// passenger). Its attributes are fixed at arrival from its class's streams.
struct Party {
    var classID: ClassID
    var lane = LaneID(-1)
    var booth: Int32 = -1
    /// Station being visited (queued or in service), or -1.
    var station = StationID(-1)
    var violation = ViolationID.none
    /// Index of its class's priority level (0: served first).
    var priorityLevel: Int32 = 0
    /// The series bin it reached primary in (its hourly waits and time in system count there).
    var bin: Int32 = 0
    var trusted = false
    var advanceInfo = false
    var referred = false
    /// Spotted by the primary officer or alarmed at a station that ends the inspection.
    var detected = false
    /// Left its queue (reneged) while still listed there: skipped when reached.
    var gone = false
    /// Stations visited so far (guards against routing that never ends).
    var visits: Int16 = 0
    /// Identity of the party's draws (see `DrawPurpose`).
    var key: UInt64
    var arrival: Double
    var queueEntry: Double = 0
    var serviceStart: Double = 0
    var serviceEnd: Double = 0
    var stationEntry: Double = 0
    var score: Double = 0
    /// The score with late intelligence too: it orders highest-risk-first stations.
    var secondaryScore: Double = 0
    var renege: EventHandle? = nil
    /// Attribution (`ReferralCause`): what a referral by the score is due to, a watchlist hit
    /// that refers (or none), the biometric check it passes through (or none), and why it was
    /// referred (none: not referred).
    var lead = ReferralCause.profile
    var watchlistCause = ReferralCause.none
    var biometricCause = ReferralCause.none
    var cause = ReferralCause.none

    init(classID: ClassID, key: UInt64, arrival: Double) {
        self.classID = classID
        self.key = key
        self.arrival = arrival
    }
}

/// A visit to a secondary station, for the per-party trace.
public struct StationVisit: Sendable, Equatable {
    public var station: Int
    public var entered: Double
    public var started: Double
    public var ended: Double
    public var alarm: Bool
}

/// The purposes of a party's keyed draws. Each is an independent uniform stream for the
/// party; a number here must never be reused for another purpose.
enum DrawPurpose: UInt64 {
    case trusted = 1, advanceInfo, violation, riskScore, selection, primaryWork, primaryDetection
    case patience, balking
    /// Station `s` uses `stationWork + 2·s` and `stationDetection + 2·s`.
    case stationWork = 1000, stationDetection = 1001
}

import SimKernel

/// One party in the port (a vehicle and its occupants, a pedestrian, a truck, an air
/// passenger). Its attributes are fixed at arrival from its class's streams.
struct Party {
    var classIndex: Int32
    var lane: Int32 = -1
    var booth: Int32 = -1
    /// Station being visited (queued or in service), or -1.
    var station: Int32 = -1
    /// Violation type carried, or -1.
    var violation: Int32 = -1
    var trusted = false
    var advanceInfo = false
    var referred = false
    /// Spotted by the primary officer or alarmed at a station that ends the inspection.
    var detected = false
    /// Left its queue (reneged) while still listed there: skipped when reached.
    var gone = false
    /// Stations visited so far (guards against routing that never ends).
    var visits: Int16 = 0
    /// Identity of the party's draws (see `PartyDraws`).
    var key: UInt64
    var arrival: Double
    var queueEntry: Double = 0
    var serviceStart: Double = 0
    var serviceEnd: Double = 0
    var stationEntry: Double = 0
    var score: Double = 0
    var renege: EventHandle? = nil

    init(classIndex: Int32, key: UInt64, arrival: Double) {
        self.classIndex = classIndex
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

/// The parties in the port, in a slab whose slots are reused: no allocation per party once
/// the slab has grown to the peak number present.
struct PartyPool {
    private(set) var parties: [Party] = []
    private var free: [Int32] = []
    private(set) var present = 0
    private(set) var peak = 0

    init(capacity: Int) {
        parties.reserveCapacity(capacity)
        free.reserveCapacity(capacity)
    }

    mutating func add(_ party: Party) -> Int32 {
        present += 1
        peak = max(peak, present)
        if let slot = free.popLast() {
            parties[Int(slot)] = party
            return slot
        }
        parties.append(party)
        return Int32(parties.count - 1)
    }

    mutating func remove(_ id: Int32) {
        present -= 1
        free.append(id)
    }

    subscript(id: Int32) -> Party {
        get { parties[Int(id)] }
        _modify { yield &parties[Int(id)] }
    }
}

/// The purposes of a party's keyed draws. Each is an independent uniform stream for the
/// party; a number here must never be reused for another purpose.
enum DrawPurpose: UInt64 {
    case trusted = 1, advanceInfo, violation, riskScore, selection, primaryWork, primaryDetection
    case patience, balking
    /// Station `s` uses `stationWork + 2·s` and `stationDetection + 2·s`.
    case stationWork = 1000, stationDetection = 1001
}

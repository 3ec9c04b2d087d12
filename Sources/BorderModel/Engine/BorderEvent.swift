/// Everything that can happen in the port. Small and trivially copyable: the kernel stores it
/// inline in its event records, and the engine switches over it.
enum BorderEvent {
    /// The next arrival epoch of a class (a party, or a batch).
    case classArrival(ClassID)
    /// A batch member reaches primary after its spread delay.
    case memberArrives(PartyID)
    /// A booth finishes primary inspection of its party.
    case boothDone(LaneID, booth: Int32)
    /// A party's patience runs out in a primary queue.
    case renege(PartyID)
    /// A station server finishes its party.
    case stationDone(StationID, server: Int32)
    /// A schedule breakpoint: booths, servers or officers on duty change.
    case planChange
    case stationFails(StationID)
    case stationRepaired(StationID)
    /// Queue lengths are sampled for the time series.
    case sampleQueues
    /// Statistics are reset; parties keep flowing.
    case warmUpEnds
}

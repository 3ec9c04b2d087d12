/// Everything that can happen in the port. Small and trivially copyable: the kernel stores it
/// inline in its event records, and the engine switches over it.
enum BorderEvent {
    /// The next arrival epoch of a class (a party, or a batch).
    case classArrival(classIndex: Int32)
    /// A batch member reaches primary after its spread delay.
    case memberArrives(party: Int32)
    /// A booth finishes primary inspection of its party.
    case boothDone(lane: Int32, booth: Int32)
    /// A party's patience runs out in a primary queue.
    case renege(party: Int32)
    /// A station server finishes its party.
    case stationDone(station: Int32, server: Int32)
    /// A schedule breakpoint: booths, servers or officers on duty change.
    case planChange
    case stationFails(station: Int32)
    case stationRepaired(station: Int32)
    /// Queue lengths are sampled for the time series.
    case sampleQueues
    /// Statistics are reset; parties keep flowing.
    case warmUpEnds
}

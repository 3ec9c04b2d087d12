import SimKernel

/// The configuration, flattened for the hot path: plain arrays indexed by class, lane×class,
/// station×class, so that handling an event never copies a `TrafficClass` or a `Lane` (whose
/// arrays would be retained and released on every copy).
struct EngineTables {
    let classCount: Int
    let trustedShare: [Double]
    let advanceShare: [Double]
    let patience: [Distribution?]
    let balking: [BalkingRule?]
    /// `laneService[l * classCount + c]`, and the trusted variant (falls back to the former).
    let laneService: [Distribution?]
    let laneTrustedService: [Distribution?]
    let laneCapacity: [Int?]
    /// `primaryDetection[l * types + v]`.
    let primaryDetection: [Double]
    let types: Int
    /// `stationService[s * classCount + c]`.
    let stationService: [Distribution]
    let stationFIFO: [Bool]
    /// `sensitivity[s * types + v]`.
    let sensitivity: [Double]
    let falseAlarm: [Double]
    let onAlarm: [Route]
    let onClear: [Route]
    let whileDown: [Downtime.WhileDown?]

    init(_ c: PortConfiguration) {
        let n = c.classes.count
        classCount = n
        types = c.violationTypes.count
        trustedShare = c.classes.map(\.trustedShare)
        advanceShare = c.classes.map(\.advanceInfoShare)
        patience = c.classes.map(\.patience)
        balking = c.classes.map(\.balking)
        laneService = c.lanes.flatMap { $0.service }
        laneTrustedService = c.lanes.flatMap { lane in lane.service.indices.map { lane.trustedService[$0] ?? lane.service[$0] } }
        laneCapacity = c.lanes.map(\.capacity)
        let t = types
        primaryDetection = c.lanes.flatMap { lane in (0..<t).map { $0 < lane.primaryDetection.count ? lane.primaryDetection[$0] : 0 } }
        stationService = c.stations.flatMap { st in (0..<n).map { st.serviceByClass[$0] ?? st.service } }
        stationFIFO = c.stations.map { $0.discipline == .fifo }
        sensitivity = c.stations.flatMap { st in (0..<t).map { $0 < st.sensitivity.count ? st.sensitivity[$0] : 0 } }
        falseAlarm = c.stations.map(\.falseAlarmRate)
        onAlarm = c.stations.map(\.onAlarm)
        onClear = c.stations.map(\.onClear)
        whileDown = c.stations.map { $0.downtime?.whileDown }
    }
}

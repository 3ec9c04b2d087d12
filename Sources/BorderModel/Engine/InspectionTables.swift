import SimKernel

/// The configuration of primary and secondary inspection, flattened for the hot path into
/// plain tables by (lane, class), (station, class) and (station, violation type), so that
/// handling an event never copies a `TrafficClass`, a `Lane` or a `SecondaryStation` (whose
/// arrays would be retained and released on every copy).
struct InspectionTables {
    let patience: [Distribution?]
    let balking: [BalkingRule?]
    /// Primary service by (lane, class), and its trusted variant (falls back to the former).
    let laneService: ByClass<LaneID, Distribution?>
    let laneTrustedService: ByClass<LaneID, Distribution?>
    /// Chance the primary officer spots a violation, `primaryDetection[lane.index * types + v]`.
    let primaryDetection: [Double]
    let types: Int
    let stationService: ByClass<StationID, Distribution>
    /// Station alarm chance on a violator, `sensitivity[station.index * types + v]`.
    let sensitivity: [Double]
    let falseAlarm: [Double]
    let onAlarm: [Route]
    let onClear: [Route]
    let whileDown: [Downtime.WhileDown?]
    let downtime: [Downtime?]

    init(_ c: PortConfiguration) {
        let n = c.classes.count
        types = c.violationTypes.count
        patience = c.classes.map(\.patience)
        balking = c.classes.map(\.balking)
        laneService = ByClass(rows: c.lanes.count, classes: n) { l, k in c.lanes[l.index].service[k.index] }
        laneTrustedService = ByClass(rows: c.lanes.count, classes: n) { l, k in
            c.lanes[l.index].trustedService[k.index] ?? c.lanes[l.index].service[k.index]
        }
        let t = types
        primaryDetection = c.lanes.flatMap { lane in (0..<t).map { $0 < lane.primaryDetection.count ? lane.primaryDetection[$0] : 0 } }
        stationService = ByClass(rows: c.stations.count, classes: n) { s, k in
            c.stations[s.index].serviceByClass[k.index] ?? c.stations[s.index].service
        }
        sensitivity = c.stations.flatMap { st in (0..<t).map { $0 < st.sensitivity.count ? st.sensitivity[$0] : 0 } }
        falseAlarm = c.stations.map(\.falseAlarmRate)
        onAlarm = c.stations.map(\.onAlarm)
        onClear = c.stations.map(\.onClear)
        whileDown = c.stations.map { $0.downtime?.whileDown }
        downtime = c.stations.map(\.downtime)
    }

    @inline(__always) func spotsAtPrimary(lane l: LaneID, _ v: ViolationID) -> Double {
        primaryDetection[l.index &* types &+ v.index]
    }
    @inline(__always) func alarmChance(station s: StationID, _ v: ViolationID) -> Double {
        v.exists ? sensitivity[s.index &* types &+ v.index] : falseAlarm[s.index]
    }
}

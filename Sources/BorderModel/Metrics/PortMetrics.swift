/// The metrics of one replication while it runs: counters, bounded-memory histograms and
/// time averages, reset at the warm-up. `result(...)` turns them into a `ReplicationResult`.
struct PortMetrics {
    struct Flow {
        var arrived = 0, balked = 0, reneged = 0, served = 0, departed = 0
        /// Live count of parties of this lane and class in the port.
        var inSystem = 0
        var inSystemAtStart = 0
        var wait: LogHistogram
        var timeInSystem: LogHistogram
    }
    struct Station {
        var arrived = 0, served = 0, alarms = 0, diverted = 0, releasedUnscreened = 0
        var wait: LogHistogram
    }

    let classCount: Int, laneCount: Int, stationCount: Int
    var flow: [Flow]
    var laneBusy: [TimeAverage], laneOpen: [TimeAverage], laneQueue: [TimeAverage]
    var station: [Station]
    var stationBusy: [TimeAverage], stationOpen: [TimeAverage], stationQueue: [TimeAverage]
    var stationDown: [TimeAverage]
    var security: SecurityResult
    /// Live count of violators in the port, by type.
    var violatorsInSystem: [Int]
    var staffed: TimeAverage
    var onDuty: TimeAverage

    // Series over the whole horizon (never reset).
    let binSeconds: Double
    var binArrivals: [Int], binServed: [Int]
    var binWait: [LogHistogram]
    var laneOpenSeries: BinnedIntegral
    var stationBusySeries: BinnedIntegral, stationOpenSeries: BinnedIntegral
    var onDutySeries: BinnedIntegral
    var sampleTimes: [Double] = []
    var queueSamples: [Int] = []
    var statsStart = 0.0

    init(config: PortConfiguration) {
        classCount = config.classes.count
        laneCount = config.lanes.count
        stationCount = config.stations.count
        let fine = LogHistogram(relativePrecision: 0.01, minResolution: 0.1, maxValue: 30 * 86_400)
        let coarse = LogHistogram(relativePrecision: 0.05, minResolution: 1, maxValue: 30 * 86_400)
        flow = Array(repeating: Flow(wait: fine, timeInSystem: fine), count: laneCount * classCount)
        laneBusy = Array(repeating: TimeAverage(start: 0), count: laneCount)
        laneOpen = laneBusy
        laneQueue = laneBusy
        station = Array(repeating: Station(wait: fine), count: stationCount)
        stationBusy = Array(repeating: TimeAverage(start: 0), count: stationCount)
        stationOpen = stationBusy
        stationQueue = stationBusy
        stationDown = stationBusy
        security = SecurityResult(byType: Array(repeating: .init(), count: config.violationTypes.count))
        violatorsInSystem = Array(repeating: 0, count: config.violationTypes.count)
        staffed = TimeAverage(start: 0)
        onDuty = TimeAverage(start: 0)
        binSeconds = config.metrics.seriesBin
        let bins = max(1, Int((config.horizon / binSeconds).rounded(.up)))
        binArrivals = Array(repeating: 0, count: bins * laneCount)
        binServed = binArrivals
        binWait = Array(repeating: coarse, count: bins * laneCount)
        laneOpenSeries = BinnedIntegral(quantities: laneCount, binSeconds: binSeconds, horizon: config.horizon)
        stationBusySeries = BinnedIntegral(quantities: stationCount, binSeconds: binSeconds, horizon: config.horizon)
        stationOpenSeries = stationBusySeries
        onDutySeries = BinnedIntegral(quantities: 1, binSeconds: binSeconds, horizon: config.horizon)
    }

    @inline(__always) func bin(_ t: Double) -> Int {
        min(Int(t / binSeconds), binArrivals.count / max(laneCount, 1) - 1)
    }

    /// The warm-up ends: summary statistics restart, parties and series carry on.
    mutating func reset(at t: Double) {
        statsStart = t
        for i in flow.indices {
            let live = flow[i].inSystem
            var w = flow[i].wait, s = flow[i].timeInSystem
            w.reset(); s.reset()
            flow[i] = Flow(inSystem: live, inSystemAtStart: live, wait: w, timeInSystem: s)
        }
        for i in station.indices {
            var w = station[i].wait
            w.reset()
            station[i] = Station(wait: w)
        }
        for i in 0..<laneCount { laneBusy[i].reset(at: t); laneOpen[i].reset(at: t); laneQueue[i].reset(at: t) }
        for i in 0..<stationCount {
            stationBusy[i].reset(at: t); stationOpen[i].reset(at: t)
            stationQueue[i].reset(at: t); stationDown[i].reset(at: t)
        }
        var fresh = SecurityResult(byType: Array(repeating: .init(), count: security.byType.count))
        for v in fresh.byType.indices { fresh.byType[v].inSystemAtStart = violatorsInSystem[v] }
        security = fresh
        staffed.reset(at: t)
        onDuty.reset(at: t)
    }

    /// A lane's waits over all classes: the merge of its lane×class histograms (one record per
    /// party on the hot path, not two).
    func laneWaits(_ l: Int) -> LogHistogram {
        var h = flow[l * classCount].wait
        for c in 1..<max(classCount, 1) { h.merge(flow[l * classCount + c].wait) }
        return h
    }

    func result(replication: Int, config: PortConfiguration, end t: Double,
                parties: Int, events: Int) -> ReplicationResult {
        var series = self
        series.laneOpenSeries.close(at: t)
        series.stationBusySeries.close(at: t)
        series.stationOpenSeries.close(at: t)
        series.onDutySeries.close(at: t)
        let bins = binArrivals.count / max(laneCount, 1)

        let flows = flow.map { f -> FlowResult in
            FlowResult(arrived: f.arrived, balked: f.balked, reneged: f.reneged, served: f.served,
                       departed: f.departed, inSystemAtStart: f.inSystemAtStart, inSystemAtEnd: f.inSystem,
                       wait: WaitSummary(f.wait), timeInSystem: WaitSummary(f.timeInSystem))
        }
        let lanes = (0..<laneCount).map { l -> LaneResult in
            let open = laneOpen[l].integral(at: t)
            return LaneResult(utilisation: open > 0 ? laneBusy[l].integral(at: t) / open : 0,
                              meanOpenBooths: laneOpen[l].mean(at: t), meanQueue: laneQueue[l].mean(at: t),
                              maxQueue: laneQueue[l].maximum, wait: WaitSummary(laneWaits(l)))
        }
        let stations = (0..<stationCount).map { s -> StationResult in
            let open = stationOpen[s].integral(at: t)
            return StationResult(arrived: station[s].arrived, served: station[s].served, alarms: station[s].alarms,
                                 utilisation: open > 0 ? stationBusy[s].integral(at: t) / open : 0,
                                 meanOpenServers: stationOpen[s].mean(at: t),
                                 meanQueue: stationQueue[s].mean(at: t), maxQueue: stationQueue[s].maximum,
                                 downFraction: stationDown[s].mean(at: t), diverted: station[s].diverted,
                                 releasedUnscreened: station[s].releasedUnscreened, wait: WaitSummary(station[s].wait))
        }
        var sec = security
        for v in sec.byType.indices { sec.byType[v].inSystemAtEnd = violatorsInSystem[v] }

        var meanWait = [Double](repeating: 0, count: binWait.count)
        var p95 = meanWait
        for i in binWait.indices where binWait[i].count > 0 {
            meanWait[i] = binWait[i].mean
            p95[i] = binWait[i].percentile(95)
        }
        var open = [Double](repeating: 0, count: bins * laneCount)
        for b in 0..<bins { for l in 0..<laneCount { open[b * laneCount + l] = series.laneOpenSeries.average(bin: b, l) } }
        var util = [Double](repeating: 0, count: bins * stationCount)
        for b in 0..<bins {
            for s in 0..<stationCount {
                let o = series.stationOpenSeries.average(bin: b, s)
                util[b * stationCount + s] = o > 0 ? series.stationBusySeries.average(bin: b, s) / o : 0
            }
        }
        let duty = (0..<bins).map { series.onDutySeries.average(bin: $0, 0) }
        return ReplicationResult(
            replication: replication, laneNames: config.lanes.map(\.name), classNames: config.classes.map(\.name),
            stationNames: config.stations.map(\.name), violationTypes: config.violationTypes,
            laneClass: flows, lanes: lanes, stations: stations, security: sec,
            series: SeriesResult(binSeconds: binSeconds, bins: bins, arrivals: binArrivals, served: binServed,
                                 meanWait: meanWait, p95Wait: p95, openBooths: open, stationUtilisation: util,
                                 officersOnDuty: duty, sampleInterval: config.metrics.queueSampleInterval,
                                 sampleTimes: sampleTimes, queueSamples: queueSamples),
            staffedOfficerHours: staffed.integral(at: t) / 3600, onDutyOfficerHours: onDuty.integral(at: t) / 3600,
            partiesArrived: parties, eventsFired: events)
    }
}

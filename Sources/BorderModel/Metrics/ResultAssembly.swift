/// Reading a finished replication's statistics off the runtime concepts that kept them.
extension ReplicationResult {
    init(assembling sim: PortSimulation, events: Int) {
        let config = sim.config, t = config.horizon
        let classes = config.classes.count
        let thresholds = config.metrics.waitThresholds

        var flows: [FlowResult] = []
        var lanes: [LaneResult] = []
        for l in sim.lanes.ids {
            let point = sim.lanes[l].point
            var arrived = 0, balked = 0, reneged = 0
            for c in 0..<classes {
                let f = sim.pool.flows[l, ClassID(c)]
                flows.append(FlowResult(arrived: f.arrived, balked: f.balked, reneged: f.reneged, served: f.served,
                                        departed: f.departed, inSystemAtStart: f.presentAtStart,
                                        inSystemAtEnd: f.present, wait: point.waits[c].summary,
                                        timeInSystem: WaitTally(histogram: f.timeInSystem, thresholds: []).summary))
                arrived += f.arrived; balked += f.balked; reneged += f.reneged
            }
            lanes.append(LaneResult(utilisation: point.utilisation(at: t), meanOpenBooths: point.openLevel.mean(at: t),
                                    meanQueue: point.queue.mean(at: t), maxQueue: Double(point.queue.maximum),
                                    meanBusy: point.busyLevel.mean(at: t), wait: point.allWaits.summary,
                                    arrived: arrived, balked: balked, reneged: reneged))
        }

        var stations: [StationResult] = []
        var stationClass: [StationClassResult] = []
        for s in sim.stations.ids {
            let st = sim.stations[s], point = st.point
            stations.append(StationResult(arrived: st.counts.arrived, served: st.counts.served, alarms: st.counts.alarms,
                                          utilisation: point.utilisation(at: t),
                                          meanOpenServers: point.openLevel.mean(at: t),
                                          meanQueue: point.queue.mean(at: t), maxQueue: Double(point.queue.maximum),
                                          meanBusy: point.busyLevel.mean(at: t), downFraction: st.downLevel.mean(at: t),
                                          diverted: st.counts.diverted, releasedUnscreened: st.counts.releasedUnscreened,
                                          wait: point.allWaits.summary))
            for c in 0..<classes {
                stationClass.append(StationClassResult(arrived: st.arrivedByClass[c], served: st.servedByClass[c],
                                                       wait: point.waits[c].summary))
            }
        }

        self.init(replication: sim.replication, laneNames: config.lanes.map(\.name),
                  classNames: config.classes.map(\.name), stationNames: config.stations.map(\.name),
                  violationTypes: config.violationTypes, waitThresholds: thresholds, laneClass: flows,
                  lanes: lanes, stations: stations, stationClass: stationClass,
                  security: sim.pool.securityResult(), series: SeriesResult(assembling: sim),
                  staffedOfficerHours: sim.plan.staffed.integral(at: t) / 3600,
                  onDutyOfficerHours: sim.plan.onDuty.integral(at: t) / 3600,
                  partiesArrived: sim.pool.created, eventsFired: events)
        referralCauses = config.referralCauses
    }
}

extension SeriesResult {
    init(assembling sim: PortSimulation) {
        let t = sim.config.horizon, bins = sim.bins.count
        let thresholds = sim.config.metrics.waitThresholds.count
        /// Interleaves per-entity columns into the bin-major layout.
        func binMajor<T>(_ columns: [[T]]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(bins * columns.count)
            for b in 0..<bins { for column in columns { out.append(column[b]) } }
            return out
        }
        let lanePoints = sim.lanes.elements.map(\.point)
        let stationPoints = sim.stations.elements.map(\.point)
        let flows = (0..<sim.lanes.count).map { sim.pool.series(lane: LaneID($0)) }
        let open = lanePoints.map { $0.openLevel.binAverages(closingAt: t) }
        let busy = lanePoints.map { $0.busyLevel.binAverages(closingAt: t) }
        let queue = lanePoints.map { $0.queue.binAverages(closingAt: t) }
        let sOpen = stationPoints.map { $0.openLevel.binAverages(closingAt: t) }
        let sBusy = stationPoints.map { $0.busyLevel.binAverages(closingAt: t) }
        let sQueue = stationPoints.map { $0.queue.binAverages(closingAt: t) }
        func waits(_ f: (WaitTally) -> Double) -> [Double] {
            binMajor(lanePoints.map { p in p.binWaits.map { $0.histogram.count > 0 ? f($0) : .nan } })
        }
        self.init(binSeconds: sim.bins.seconds, bins: bins,
                  arrivals: binMajor(flows.map(\.arrivals)), served: binMajor(flows.map(\.served)),
                  meanWait: waits { $0.histogram.mean }, p95Wait: waits { $0.histogram.percentile(95) },
                  pWait: waits { $0.pWait },
                  shareWaitOver: (0..<thresholds).map { k in waits { $0.shareOver(k) } },
                  timeInSystem: binMajor(flows.map(\.timeInSystem)),
                  openBooths: binMajor(open), busyBooths: binMajor(busy),
                  inSystem: binMajor(zip(queue, busy).map { q, b in zip(q, b).map(+) }),
                  stationUtilisation: binMajor(zip(sBusy, sOpen).map { b, o in zip(b, o).map { $1 > 0 ? $0 / $1 : .nan } }),
                  stationBusy: binMajor(sBusy),
                  stationInSystem: binMajor(zip(sQueue, sBusy).map { q, b in zip(q, b).map(+) }),
                  officersOnDuty: sim.plan.onDuty.binAverages(closingAt: t),
                  sampleInterval: sim.config.metrics.queueSampleInterval,
                  sampleTimes: sim.sampleTimes, queueSamples: sim.queueSamples)
    }
}

import SimKernel

/// Secondary inspection: stations with queues, detection, routing on the outcome, breakdowns.
extension PortSimulation {
    /// Routing longer than this is a cycle the validation missed: the party is released.
    static let maxVisits: Int16 = 32

    func enterStation(_ id: Int32, station s: Int, _ sim: inout Simulation<BorderEvent>) {
        pool[id].visits += 1
        guard pool[id].visits <= Self.maxVisits else { return depart(id) }
        pool[id].station = Int32(s)
        pool[id].stationEntry = now
        metrics.station[s].arrived += 1
        if stations[s].down, let behaviour = tables.whileDown[s] {
            switch behaviour {
            case .queueWaits: break
            case .divert(let other):
                metrics.station[s].diverted += 1
                return enterStation(id, station: other, &sim)
            case .releaseUnscreened:
                metrics.station[s].releasedUnscreened += 1
                return depart(id)
            }
        }
        if stations[s].waiting == 0, let k = stations[s].idleOpenServer() {
            startStation(id, station: s, server: k, &sim)
            return
        }
        if tables.stationFIFO[s] {
            stations[s].fifo.append(id)
        } else {
            stations[s].byRisk.push(id, score: pool[id].score)
        }
        stations[s].waiting += 1
        metrics.stationQueue[s].update(to: Double(stations[s].waiting), at: now)
        rebalanceIfNeeded(station: s, &sim)
    }

    func startStation(_ id: Int32, station s: Int, server k: Int, _ sim: inout Simulation<BorderEvent>) {
        if checksInvariants, k >= stations[s].open || stations[s].down {
            violated("station \(s): service started at closed or down server \(k)")
        }
        let party = pool[id]
        metrics.station[s].wait.record(now - party.stationEntry)
        stations[s].serverParty[k] = id
        stations[s].busy += 1
        metrics.stationBusy[s].update(to: Double(stations[s].busy), at: now)
        metrics.stationBusySeries.set(s, to: Double(stations[s].busy), at: now)
        if trace != nil {
            trails[Int(id)].append(StationVisit(station: s, entered: party.stationEntry, started: now,
                                                        ended: now, alarm: false))
        }
        let service = tables.stationService[s * tables.classCount + Int(party.classIndex)]
        let purpose = DrawPurpose.stationWork.rawValue + 2 * UInt64(s)
        let duration = service.sample(draws.stream(for: party.key, purpose: purpose))
        sim.schedule(.stationDone(station: Int32(s), server: Int32(k)), after: max(0, duration))
    }

    func stationDone(station s: Int, server k: Int, _ sim: inout Simulation<BorderEvent>) {
        let id = stations[s].serverParty[k]
        stations[s].serverParty[k] = -1
        stations[s].busy -= 1
        metrics.stationBusy[s].update(to: Double(stations[s].busy), at: now)
        metrics.stationBusySeries.set(s, to: Double(stations[s].busy), at: now)
        metrics.station[s].served += 1
        let party = pool[id]
        let u = draws.uniform(party.key, DrawPurpose.stationDetection.rawValue + 2 * UInt64(s))
        let alarm = party.violation >= 0
            ? u < tables.sensitivity[s * tables.types + Int(party.violation)]
            : u < tables.falseAlarm[s]
        if alarm { metrics.station[s].alarms += 1 }
        if trace != nil, let last = trails[Int(id)].indices.last {
            trails[Int(id)][last].ended = now
            trails[Int(id)][last].alarm = alarm
        }
        if k < stations[s].open, stations[s].waiting > 0, !stations[s].down {
            pullNextAtStation(s, server: k, &sim)
        } else {
            // A server falls idle: moved officers return one by one as the station drains
            // (a pull alone would return only one, when the queue empties).
            rebalanceIfNeeded(station: s, &sim)
        }
        switch alarm ? tables.onAlarm[s] : tables.onClear[s] {
        case .station(let next):
            enterStation(id, station: next, &sim)
        case .release:
            if alarm && party.violation >= 0 { pool[id].detected = true }
            depart(id)
        }
    }

    func pullNextAtStation(_ s: Int, server k: Int, _ sim: inout Simulation<BorderEvent>) {
        guard stations[s].waiting > 0, !stations[s].down else { return }
        let id = tables.stationFIFO[s] ? stations[s].fifo.removeFirst() : stations[s].byRisk.pop()!
        stations[s].waiting -= 1
        metrics.stationQueue[s].update(to: Double(stations[s].waiting), at: now)
        startStation(id, station: s, server: k, &sim)
        rebalanceIfNeeded(station: s, &sim)
    }

    /// Every idle open server of station `s` takes a waiting party.
    func fillServers(_ s: Int, _ sim: inout Simulation<BorderEvent>) {
        while stations[s].waiting > 0, let k = stations[s].idleOpenServer() {
            pullNextAtStation(s, server: k, &sim)
        }
    }

    // MARK: breakdowns

    func scheduleFailure(_ s: Int, _ sim: inout Simulation<BorderEvent>) {
        guard let downtime = config.stations[s].downtime, let stream = downtimeStreams[s] else { return }
        sim.schedule(.stationFails(station: Int32(s)), after: max(0, downtime.timeBetweenFailures.sample(stream)))
    }

    func stationFails(_ s: Int, _ sim: inout Simulation<BorderEvent>) {
        guard let downtime = config.stations[s].downtime, let stream = downtimeStreams[s] else { return }
        stations[s].down = true
        metrics.stationDown[s].update(to: 1, at: now)
        // Parties in service finish; the queue follows the configured behaviour.
        if downtime.whileDown != .queueWaits {
            var queued: [Int32] = []
            while stations[s].waiting > 0 {
                queued.append(tables.stationFIFO[s] ? stations[s].fifo.removeFirst()
                                                                      : stations[s].byRisk.pop()!)
                stations[s].waiting -= 1
            }
            metrics.stationQueue[s].update(to: 0, at: now)
            for id in queued {
                pool[id].visits -= 1          // re-entering counts as the same visit
                metrics.station[s].arrived -= 1
                enterStation(id, station: s, &sim)
            }
        }
        sim.schedule(.stationRepaired(station: Int32(s)), after: max(0, downtime.repairTime.sample(stream)))
    }

    func stationRepaired(_ s: Int, _ sim: inout Simulation<BorderEvent>) {
        stations[s].down = false
        metrics.stationDown[s].update(to: 0, at: now)
        fillServers(s, &sim)
        scheduleFailure(s, &sim)
    }
}

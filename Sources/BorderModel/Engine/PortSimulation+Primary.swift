import SimKernel

/// Primary inspection: booths serve their lane's queue; at the end the officer may spot a
/// violation, and the targeting policy decides on a referral to secondary.
extension PortSimulation {
    func startService(_ id: Int32, lane l: Int, booth b: Int, _ sim: inout Simulation<BorderEvent>) {
        if checksInvariants {
            if b >= lanes[l].open { violated("lane \(l): service started at closed booth \(b)") }
            if pool[id].arrival > now { violated("party \(id) served before it arrived") }
        }
        if let h = pool[id].renege { sim.cancel(h); pool[id].renege = nil }
        pool[id].booth = Int32(b)
        pool[id].serviceStart = now
        let party = pool[id]
        let c = Int(party.classIndex)
        let wait = now - party.queueEntry
        metrics.flow[l * metrics.classCount + c].wait.record(wait)
        metrics.binWait[metrics.bin(party.queueEntry) * metrics.laneCount + l].record(wait)
        lanes[l].boothParty[b] = id
        lanes[l].busy += 1
        metrics.laneBusy[l].update(to: Double(lanes[l].busy), at: now)
        let k = l * tables.classCount + c
        let service = party.trusted ? tables.laneTrustedService[k] : tables.laneService[k]
        let duration = service.unsafelyUnwrapped.sample(draws.stream(for: party.key, purpose: DrawPurpose.primaryWork.rawValue))
        sim.schedule(.boothDone(lane: Int32(l), booth: Int32(b)), after: max(0, duration))
    }

    func boothDone(lane l: Int, booth b: Int, _ sim: inout Simulation<BorderEvent>) {
        let id = lanes[l].boothParty[b]
        lanes[l].boothParty[b] = -1
        lanes[l].busy -= 1
        metrics.laneBusy[l].update(to: Double(lanes[l].busy), at: now)
        pool[id].serviceEnd = now
        let party = pool[id]
        metrics.flow[l * metrics.classCount + Int(party.classIndex)].served += 1
        metrics.binServed[metrics.bin(now) * metrics.laneCount + l] += 1
        metrics.security.inspected += 1
        if b < lanes[l].open { pullNext(lane: l, booth: b, &sim) }

        // The officer may spot the violation; otherwise the targeting policy decides.
        var refer = false
        if party.violation >= 0,
           draws.uniform(party.key, DrawPurpose.primaryDetection.rawValue)
            < tables.primaryDetection[l * tables.types + Int(party.violation)] {
            pool[id].detected = true
            refer = true
        } else {
            let queue = config.referralStation.map { stations[$0].waiting } ?? 0
            refer = targeter.refers(classIndex: Int(party.classIndex), trusted: party.trusted, score: party.score,
                                    uRandom: draws.uniform(party.key, DrawPurpose.selection.rawValue),
                                    secondaryQueue: queue)
        }
        guard refer else { return depart(id) }
        pool[id].referred = true
        metrics.security.referrals += 1
        if party.violation >= 0 {
            metrics.security.byType[Int(party.violation)].referred += 1
        } else {
            metrics.security.falseReferrals += 1
        }
        if let s = config.referralStation {
            enterStation(id, station: s, &sim)
        } else {
            depart(id)
        }
    }

    /// Booth `b` takes the next party still waiting in its lane's queue, if any.
    func pullNext(lane l: Int, booth b: Int, _ sim: inout Simulation<BorderEvent>) {
        while !lanes[l].queue.isEmpty {
            let id = lanes[l].queue.removeFirst()
            if pool[id].gone {            // reneged earlier: its slot is freed only now
                pool.remove(id)
                continue
            }
            lanes[l].waiting -= 1
            metrics.laneQueue[l].update(to: Double(lanes[l].waiting), at: now)
            startService(id, lane: l, booth: b, &sim)
            return
        }
    }

    func renege(_ id: Int32) {
        pool[id].renege = nil
        pool[id].gone = true
        let party = pool[id]
        let l = Int(party.lane)
        lanes[l].waiting -= 1
        metrics.laneQueue[l].update(to: Double(lanes[l].waiting), at: now)
        let f = l * metrics.classCount + Int(party.classIndex)
        metrics.flow[f].reneged += 1
        metrics.flow[f].inSystem -= 1
        if party.violation >= 0 {
            metrics.security.byType[Int(party.violation)].abandoned += 1
            metrics.violatorsInSystem[Int(party.violation)] -= 1
        }
        emitTrace(id, outcome: .reneged)
    }

    /// The party leaves the port after all its inspection.
    func depart(_ id: Int32) {
        let party = pool[id]
        let f = Int(party.lane) * metrics.classCount + Int(party.classIndex)
        metrics.flow[f].departed += 1
        metrics.flow[f].inSystem -= 1
        metrics.flow[f].timeInSystem.record(now - party.arrival)
        if party.violation >= 0 {
            let v = Int(party.violation)
            if party.detected { metrics.security.byType[v].detected += 1 } else { metrics.security.byType[v].missed += 1 }
            metrics.violatorsInSystem[v] -= 1
        }
        emitTrace(id, outcome: .departed)
        pool.remove(id)
    }

    func emitTrace(_ id: Int32, outcome: PartyTrace.Outcome) {
        guard let trace else { return }
        let p = pool[id]
        let served = p.booth >= 0
        trace(PartyTrace(classIndex: Int(p.classIndex), trusted: p.trusted, advanceInfo: p.advanceInfo,
                         violation: Int(p.violation), riskScore: p.score, arrival: p.arrival, lane: Int(p.lane),
                         queueEntry: outcome == .balked ? nil : p.queueEntry, booth: Int(p.booth),
                         serviceStart: served ? p.serviceStart : nil,
                         serviceEnd: served && outcome == .departed ? p.serviceEnd : nil, referred: p.referred,
                         stations: trails[Int(id)], detected: p.detected, outcome: outcome, exit: now))
    }
}

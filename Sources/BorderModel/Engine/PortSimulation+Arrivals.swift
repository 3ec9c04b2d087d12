import CGSL
import SimKernel

/// Arrivals: creating parties with their attributes, choosing a lane, balking.
extension PortSimulation {
    func scheduleNextArrival(_ c: Int32, _ sim: inout Simulation<BorderEvent>) {
        guard let epoch = generators[Int(c)].next() else { return }
        pendingEpoch[Int(c)] = epoch
        sim.schedule(.classArrival(classIndex: c), at: epoch.time)
    }

    func classArrives(_ c: Int32, _ sim: inout Simulation<BorderEvent>) {
        guard let epoch = pendingEpoch[Int(c)] else { return }
        switch epoch {
        case .single(_, let traced):
            let id = createParty(c, traced: traced)
            reachPrimary(id, &sim)
        case .batch(_, let size):
            for _ in 0..<size {
                let id = createParty(c, traced: nil)
                let delay = generators[Int(c)].spreadDelay()
                if delay > 0 {
                    sim.schedule(.memberArrives(party: id), after: delay)
                } else {
                    reachPrimary(id, &sim)
                }
            }
        }
        scheduleNextArrival(c, &sim)
    }

    /// A new party with its attributes, all drawn now from its key (or taken from a trace).
    func createParty(_ c: Int32, traced: TracedParty?) -> Int32 {
        partiesCreated += 1
        let key = partyKeys[Int(c)].next64()
        var p = Party(classIndex: c, key: key, arrival: now)
        p.trusted = traced?.trusted ?? (draws.uniform(key, DrawPurpose.trusted.rawValue) < tables.trustedShare[Int(c)])
        p.advanceInfo = traced?.advanceInfo
            ?? (draws.uniform(key, DrawPurpose.advanceInfo.rawValue) < tables.advanceShare[Int(c)])
        if let v = traced?.violation {
            p.violation = Int32(v)
        } else {
            let u = draws.uniform(key, DrawPurpose.violation.rawValue)
            for (type, cumulative) in violationTable[Int(c)] where u < cumulative {
                p.violation = type
                break
            }
        }
        if let s = traced?.riskScore {
            p.score = s
        } else {
            let z = gsl_ran_ugaussian(draws.stream(for: key, purpose: DrawPurpose.riskScore.rawValue).rng)
            p.score = scorers[Int(c)].score(violator: p.violation >= 0, advanceInfo: p.advanceInfo, z: z)
        }
        let id = pool.add(p)
        if trace != nil {
            let slot = Int(id)
            if slot >= trails.count { trails.append(contentsOf: repeatElement([], count: slot + 1 - trails.count)) }
            if !trails[slot].isEmpty { trails[slot] = [] }
        }
        return id
    }

    /// The party reaches the primary lanes: it picks a lane, then joins, or balks.
    func reachPrimary(_ id: Int32, _ sim: inout Simulation<BorderEvent>) {
        pool[id].arrival = now
        let party = pool[id]
        let c = Int(party.classIndex)
        let choice = c * 2 + (party.trusted ? 1 : 0)
        var lane = shortest(preferredLanes[choice], openOnly: true)
            ?? shortest(eligibleLanes[choice], openOnly: true)
            ?? shortest(eligibleLanes[choice], openOnly: false)!
        // Physical storage: a full queue sends the party to another eligible lane with room;
        // the arrival is counted (flow and hourly series) at the lane finally chosen.
        var full = false
        if let cap = tables.laneCapacity[lane], lanes[lane].waiting >= cap {
            let roomy = eligibleLanes[choice].filter { l in
                tables.laneCapacity[l].map { lanes[l].waiting < $0 } ?? true
            }
            if let other = shortest(roomy, openOnly: true) ?? shortest(roomy, openOnly: false) { lane = other } else { full = true }
        }
        metrics.flow[lane * metrics.classCount + c].arrived += 1
        metrics.binArrivals[metrics.bin(now) * metrics.laneCount + lane] += 1
        if party.violation >= 0 { metrics.security.byType[Int(party.violation)].arrived += 1 }
        if full { return balk(id, lane: lane) }
        if let rule = tables.balking[c], lanes[lane].waiting >= rule.queueLength,
           draws.uniform(party.key, DrawPurpose.balking.rawValue) < rule.probability {
            return balk(id, lane: lane)
        }
        join(id, lane: lane, &sim)
    }

    /// The lane with the fewest parties ahead per open booth (lowest index on ties).
    func shortest(_ candidates: [Int], openOnly: Bool) -> Int? {
        var best: Int? = nil, bestLoad = Double.infinity
        for l in candidates where !openOnly || lanes[l].open > 0 {
            let load = lanes[l].load
            if load < bestLoad { best = l; bestLoad = load }
        }
        return best
    }

    func balk(_ id: Int32, lane: Int) {
        let party = pool[id]
        metrics.flow[lane * metrics.classCount + Int(party.classIndex)].balked += 1
        if party.violation >= 0 { metrics.security.byType[Int(party.violation)].abandoned += 1 }
        pool[id].lane = Int32(lane)
        emitTrace(id, outcome: .balked)
        pool.remove(id)
    }

    func join(_ id: Int32, lane l: Int, _ sim: inout Simulation<BorderEvent>) {
        pool[id].lane = Int32(l)
        pool[id].queueEntry = now
        let party = pool[id]
        metrics.flow[l * metrics.classCount + Int(party.classIndex)].inSystem += 1
        if party.violation >= 0 { metrics.violatorsInSystem[Int(party.violation)] += 1 }
        if lanes[l].waiting == 0, let b = lanes[l].idleOpenBooth() {
            startService(id, lane: l, booth: b, &sim)
            return
        }
        lanes[l].queue.append(id)
        lanes[l].waiting += 1
        metrics.laneQueue[l].update(to: Double(lanes[l].waiting), at: now)
        if let patience = tables.patience[Int(party.classIndex)] {
            let wait = patience.sample(draws.stream(for: party.key, purpose: DrawPurpose.patience.rawValue))
            pool[id].renege = sim.scheduleCancellable(.renege(party: id), after: max(0, wait))
        }
    }
}

/// A configuration the engine cannot run. The scenario loader reports problems with file,
/// line and key path; this is the backstop for configurations built directly in Swift.
public struct ModelError: Error, CustomStringConvertible {
    public var description: String
}

enum ModelCheck {
    static func validate(_ c: PortConfiguration) throws {
        var problems: [String] = []
        func check(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { problems.append(message()) } }
        let classes = c.classes.indices, stations = c.stations.indices, types = c.violationTypes.indices
        check(c.horizon.isFinite && c.horizon > 0, "horizon must be a finite duration > 0")
        check(c.warmUp >= 0 && c.warmUp < c.horizon, "warm-up must be ≥ 0 and shorter than the horizon")
        check(c.metrics.seriesBin > 0 && c.metrics.queueSampleInterval > 0, "metric intervals must be > 0")
        check(c.horizon <= ModelLimits.maxDuration, "horizon must be at most 100 years")
        check(c.horizon / c.metrics.seriesBin <= Double(ModelLimits.maxSeriesBins),
              "horizon / series bin must be at most \(ModelLimits.maxSeriesBins) bins")
        check(c.horizon / c.metrics.queueSampleInterval <= Double(ModelLimits.maxQueueSamples),
              "horizon / queue-sample interval must be at most \(ModelLimits.maxQueueSamples) samples")
        let most = Double(ModelLimits.maxPositions)
        check(c.lanes.allSatisfy { $0.booths.maximum <= most } && c.stations.allSatisfy { $0.servers.maximum <= most }
              && (c.staffing.map { $0.onDuty.maximum <= most && ($0.rebalance?.maxMoved ?? 0) <= ModelLimits.maxPositions } ?? true),
              "booths, servers and officers must be at most \(ModelLimits.maxPositions)")
        let thresholds = c.metrics.waitThresholds
        check(thresholds.allSatisfy { $0.isFinite && $0 > 0 } && zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 < $1 },
              "wait thresholds must be finite, > 0 and increasing")
        for (i, cls) in c.classes.enumerated() {
            check((0...1).contains(cls.trustedShare), "class \(cls.name): trusted share outside [0, 1]")
            check((0...1).contains(cls.advanceInfoShare), "class \(cls.name): advance-information share outside [0, 1]")
            check(cls.violations.allSatisfy { types.contains($0.type) && $0.prevalence >= 0 },
                  "class \(cls.name): unknown violation type or negative prevalence")
            check(cls.violations.reduce(0) { $0 + $1.prevalence } <= 1 + 1e-12,
                  "class \(cls.name): violation prevalences sum to more than 1")
            check(cls.risk.auc > 0.5 && cls.risk.auc < 1, "class \(cls.name): AUC must lie in (0.5, 1)")
            check(c.lanes.contains { $0.serves.contains(i) && !$0.trustedOnly }
                  || (cls.trustedShare == 1 && c.lanes.contains { $0.serves.contains(i) }),
                  "class \(cls.name): no lane serves all of its parties")
        }
        for lane in c.lanes {
            check(lane.serves.allSatisfy { classes.contains($0) }, "lane \(lane.name): serves an unknown class")
            check(lane.service.count == c.classes.count && lane.trustedService.count == c.classes.count,
                  "lane \(lane.name): service times must be listed by class")
            check(lane.serves.allSatisfy { lane.service.indices.contains($0) && lane.service[$0] != nil },
                  "lane \(lane.name): a served class has no service time")
            check(lane.capacity.map { $0 > 0 } ?? true, "lane \(lane.name): capacity must be > 0")
            check(lane.primaryDetection.allSatisfy { (0...1).contains($0) },
                  "lane \(lane.name): primary detection probabilities outside [0, 1]")
            if let d = lane.dynamicOpening {
                check(d.closeBelow >= 0 && d.openAbove > d.closeBelow && d.openAbove.isFinite,
                      "lane \(lane.name): dynamic opening needs 0 ≤ close-below < open-above")
                check(d.maxBooths.map { $0 > 0 && $0 <= 100_000 } ?? true, "lane \(lane.name): max-booths must be in 1...100000")
            }
            if let s = lane.speedUp {
                check(s.from >= 0 && s.to > s.from && s.to.isFinite, "lane \(lane.name): speed-up needs 0 ≤ from < to")
                check(s.maxSpeedUp >= 1 && s.maxSpeedUp <= 10, "lane \(lane.name): speed-up max must be in [1, 10]")
            }
        }
        func routeOK(_ r: Route) -> Bool { if case .station(let s) = r { return stations.contains(s) }; return true }
        for st in c.stations {
            check(routeOK(st.onAlarm) && routeOK(st.onClear), "station \(st.name): routes to an unknown station")
            check(st.sensitivity.allSatisfy { (0...1).contains($0) } && (0...1).contains(st.falseAlarmRate),
                  "station \(st.name): detection probabilities outside [0, 1]")
            if case .divert(let to)? = st.downtime?.whileDown {
                check(stations.contains(to), "station \(st.name): diverts to an unknown station")
            }
        }
        check(c.referralStation.map { stations.contains($0) } ?? true, "the referral station is unknown")
        if let rule = c.staffing?.rebalance {
            check(stations.contains(rule.station) && rule.fromLanes.allSatisfy { c.lanes.indices.contains($0) },
                  "the rebalancing rule names an unknown station or lane")
            check(rule.lowerAt < rule.raiseAt && rule.maxMoved >= 0,
                  "the rebalancing rule needs lowerAt < raiseAt and maxMoved ≥ 0")
        }
        if !problems.isEmpty { throw ModelError(description: problems.joined(separator: "\n")) }
    }
}

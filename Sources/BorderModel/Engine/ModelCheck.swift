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
            let auc = RiskScoreModel.validAUC
            check(auc.contains(cls.risk.auc) && (cls.risk.aucWithAdvanceInfo.map(auc.contains) ?? true),
                  "class \(cls.name): AUC must be \(auc.phrase)")
            check(TrafficClass.priorities.contains(Double(cls.priority)), "class \(cls.name): priority must be \(TrafficClass.priorities.phrase)")
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
                check(DynamicOpening.perBooth.contains(d.closeBelow) && DynamicOpening.perBooth.contains(d.openAbove)
                      && d.openAbove > d.closeBelow,
                      "lane \(lane.name): dynamic opening needs close-below < open-above, both \(DynamicOpening.perBooth.phrase)")
                check(d.maxBooths.map { DynamicOpening.boothLimit.contains(Double($0)) } ?? true,
                      "lane \(lane.name): max-booths must be \(DynamicOpening.boothLimit.phrase)")
            }
            if let s = lane.speedUp {
                let q = LoadDependentService.perBooth, f = LoadDependentService.factors
                check(q.contains(s.from) && q.contains(s.to) && s.to > s.from, "lane \(lane.name): speed-up needs from < to, both \(q.phrase)")
                check(f.contains(s.maxSpeedUp), "lane \(lane.name): speed-up max must be \(f.phrase)")
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
        let unit: (Double) -> Bool = { (0...1).contains($0) }
        check(Set(c.intelligence.map(\.name)).count == c.intelligence.count, "intelligence sources need distinct names")
        for src in c.intelligence {
            check(src.classes.allSatisfy { classes.contains($0) }, "source \(src.name): covers an unknown class")
            check(unit(src.coverage) && unit(src.timeliness), "source \(src.name): coverage and timeliness must be in [0, 1]")
            switch src.evidence {
            case .score(let auc, let byType):
                check(([auc] + byType.compactMap { $0 }).allSatisfy(RiskScoreModel.validAUC.contains) && byType.count <= types.count,
                      "source \(src.name): AUC must be \(RiskScoreModel.validAUC.phrase)")
            case .watchlist(let hit, let falseHit, let onHit):
                check(hit.allSatisfy(unit) && hit.count <= types.count && unit(falseHit), "source \(src.name): hit rates must be in [0, 1]")
                if case .raiseScore(let x) = onHit { check(x.isFinite && x >= 0, "source \(src.name): a score rise must be finite and ≥ 0") }
            case .biometric(let detects, let sensitivity, let factor):
                check(types.contains(detects) && unit(sensitivity), "source \(src.name): detects an unknown violation type or sensitivity outside [0, 1]")
                check(IntelligenceSource.serviceFactors.contains(factor), "source \(src.name): service factor must be \(IntelligenceSource.serviceFactors.phrase)")
            }
        }
        if !problems.isEmpty { throw ModelError(description: problems.joined(separator: "\n")) }
    }
}

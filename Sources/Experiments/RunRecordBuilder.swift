import BorderModel
import ResultsStore
import SimKernel

/// Turns the replications of one run into a `RunRecord`: the axes, every summary metric per
/// replication with its across-replication statistics, and the time series.
public enum RunRecordBuilder {
    public static func record(metadata: RunMetadata, config: PortConfiguration, results: [ReplicationResult],
                              firstReplication: Int = 0) -> RunRecord {
        let series = results.first?.series
        let bins = series?.bins ?? 0
        let binHours = (series?.binSeconds ?? 3600) / 3600
        let axes: [Axis] = [
            Axis(ResultsSchema.replicationAxis, .integers(results.indices.map { Int64(firstReplication + $0) }),
                 description: "replication index (its random streams derive from the seed and this index)"),
        ] + entityAxes(config: config) + [
            Axis("time", .reals((0..<bins).map { Double($0) * binHours }), unit: "h", description: "start of each series bin"),
            Axis("queue", .strings(config.lanes.map { "lane:" + $0.name } + config.stations.map { "station:" + $0.name }),
                 description: "queues sampled: lanes, then stations"),
            Axis("sample_time", .reals((series?.sampleTimes ?? []).map { $0 / 3600 }), unit: "h", description: "queue sample times"),
        ]
        let tables = Self.tables(config: config, results: results, level: metadata.confidenceLevel)
        return RunRecord(metadata: metadata, axes: axes, tables: tables, series: seriesList(results))
    }

    /// A threshold in minutes as metric names spell it: 15, 7.5.
    static func minutes(_ seconds: Double) -> String {
        let m = seconds / 60
        return m == m.rounded() ? String(Int(m)) : String(m)
    }

    /// The axes that name a port's entities (lane, class, station, violation type, flow and its
    /// lane/class coordinates): a run file's axes without replication and time, all that sweeps
    /// and comparisons need.
    public static func entityAxes(config: PortConfiguration) -> [Axis] {
        let causes = config.referralCauses
        let flows = config.lanes.indices.flatMap { l in config.lanes[l].serves.map { (lane: l, cls: $0) } }
        return [
            Axis("lane", .strings(config.lanes.map(\.name)), description: "primary inspection lanes"),
            Axis("class", .strings(config.classes.map(\.name)), description: "traffic classes"),
            Axis("station", .strings(config.stations.map(\.name)), description: "secondary inspection stations"),
            Axis("violation_type", .strings(config.violationTypes), description: "violation types"),
            Axis("flow", .strings(flows.map { "\(config.lanes[$0.lane].name)/\(config.classes[$0.cls].name)" }),
                 description: "lane/class pairs served"),
            Axis("flow_lane", .strings(flows.map { config.lanes[$0.lane].name }), description: "lane of each flow", along: "flow"),
            Axis("flow_class", .strings(flows.map { config.classes[$0.cls].name }), description: "class of each flow", along: "flow"),
            Axis("station_class", .strings(config.stations.flatMap { st in config.classes.map { "\(st.name)/\($0.name)" } }),
                 description: "station/class pairs"),
            Axis("referral_cause", .strings(causes),
                 description: "what a referral is attributed to: the primary officer, random selection, the class's risk profile, an intelligence source"),
            Axis("referral_cause_class", .strings(causes.flatMap { cause in config.classes.map { "\(cause)/\($0.name)" } }),
                 description: "referral cause/class pairs"),
        ]
    }

    /// Every summary metric of every replication, by table (port, lane, flow, class, station,
    /// security), with across-replication statistics at `level`.
    public static func tables(config: PortConfiguration, results: [ReplicationResult], level: Double) -> [MetricTable] {
        let flows = config.lanes.indices.flatMap { l in config.lanes[l].serves.map { (lane: l, cls: $0) } }
        let thresholds = config.metrics.waitThresholds
        var tables: [MetricTable] = []
        tables.append(table("port", entityAxis: nil, count: 1, metrics: portMetrics, results: results, level: level) { r, _ in r })
        tables.append(table("lane", entityAxis: "lane", count: config.lanes.count, metrics: laneMetrics(thresholds),
                            results: results, level: level) { r, l in r.lanes[l] })
        tables.append(table("flow", entityAxis: "flow", count: flows.count, metrics: flowMetrics(thresholds), results: results,
                            level: level) { r, f in r.flow(lane: flows[f].lane, classIndex: flows[f].cls) })
        tables.append(table("class", entityAxis: "class", count: config.classes.count, metrics: classMetrics, results: results,
                            level: level) { r, c in flows.indices.filter { flows[$0].cls == c }.map { r.flow(lane: flows[$0].lane, classIndex: c) } })
        tables.append(table("station", entityAxis: "station", count: config.stations.count, metrics: stationMetrics(thresholds),
                            results: results, level: level) { r, s in r.stations[s] })
        tables.append(table("station_class", entityAxis: "station_class", count: config.stations.count * config.classes.count,
                            metrics: stationClassMetrics(thresholds), results: results, level: level) { r, i in r.stationClass[i] })
        tables.append(table("security", entityAxis: "violation_type", count: config.violationTypes.count,
                            metrics: securityMetrics, results: results, level: level) { r, v in r.security.byType[v] })
        let causes = config.referralCauses.count, classes = config.classes.count
        let types = config.violationTypes
        tables.append(table("attribution", entityAxis: "referral_cause", count: causes, metrics: attributionMetrics(types),
                            results: results, level: level) { r, k in
            Attribution.total(Array(r.security.attribution[(k * classes)..<((k + 1) * classes)]), violationTypes: types.count)
        })
        tables.append(table("attribution_class", entityAxis: "referral_cause_class", count: causes * classes,
                            metrics: attributionMetrics(types), results: results, level: level) { r, i in r.security.attribution[i] })

        return tables
    }

    /// Across-replication statistics of `values` (`[replication][cell]`), per cell.
    public static func summarise(_ values: [Double], replications: Int, cells: Int, level: Double) -> MetricSummary {
        var s = MetricSummary(mean: [], sd: [], ciLow: [], ciHigh: [], level: level, replications: replications)
        for c in 0..<cells {
            let sample = SampleSummary((0..<replications).map { values[$0 * cells + c] })
            let h = sample.halfWidth(level: level)
            // Replications where the metric is undefined (NaN) are left out (`SampleSummary`).
            s.mean.append(sample.mean)
            s.sd.append(sample.count > 1 ? sample.standardDeviation : .nan)
            s.ciLow.append(h.isFinite ? sample.mean - h : .nan)
            s.ciHigh.append(h.isFinite ? sample.mean + h : .nan)
        }
        return s
    }

    private static func table<E>(_ name: String, entityAxis: String?, count: Int, metrics: [(Metric, (E) -> Double)],
                                 results: [ReplicationResult], level: Double,
                                 entity: (ReplicationResult, Int) -> E) -> MetricTable {
        var values: [Double] = []
        values.reserveCapacity(results.count * count * metrics.count)
        for r in results {
            for e in 0..<count {
                let x = entity(r, e)
                for (_, value) in metrics { values.append(value(x)) }
            }
        }
        return MetricTable(name: name, entityAxis: entityAxis, metrics: metrics.map(\.0), values: values,
                           summary: summarise(values, replications: results.count, cells: count * metrics.count, level: level))
    }

    private static func seriesList(_ results: [ReplicationResult]) -> [Series] {
        let thresholds = results.first?.waitThresholds ?? []
        func ints(_ f: (SeriesResult) -> [Int]) -> Series.Values { .integers(results.flatMap { f($0.series).map(Int64.init) }) }
        func reals(_ f: (SeriesResult) -> [Double], scale: Double = 1) -> Series.Values {
            .reals(results.flatMap { f($0.series).map { $0 * scale } })
        }
        return [
            Series(name: "arrivals", timeAxis: "time", entityAxis: "lane", values: ints(\.arrivals), unit: "parties",
                   description: "parties arriving at each lane in the bin"),
            Series(name: "served", timeAxis: "time", entityAxis: "lane", values: ints(\.served), unit: "parties",
                   description: "parties finishing primary inspection in the bin"),
            Series(name: "mean_wait_min", timeAxis: "time", entityAxis: "lane", values: reals(\.meanWait, scale: 1.0 / 60),
                   unit: "min", description: "mean primary wait of parties who joined the queue in the bin"),
            Series(name: "p95_wait_min", timeAxis: "time", entityAxis: "lane", values: reals(\.p95Wait, scale: 1.0 / 60),
                   unit: "min", description: "95th percentile primary wait of parties who joined in the bin"),
            Series(name: "p_wait", timeAxis: "time", entityAxis: "lane", values: reals(\.pWait), unit: "1",
                   description: "share of parties who joined in the bin and waited at all (NaN: nobody joined)"),
        ] + thresholds.indices.map { k in
            Series(name: "share_wait_over_\(minutes(thresholds[k]))min", timeAxis: "time", entityAxis: "lane",
                   values: reals { $0.shareWaitOver[k] }, unit: "1",
                   description: "share of parties who joined in the bin and waited over \(minutes(thresholds[k])) min")
        } + [
            Series(name: "time_in_system_min", timeAxis: "time", entityAxis: "lane", values: reals(\.timeInSystem, scale: 1.0 / 60),
                   unit: "min", description: "mean time from arrival to departure of parties who arrived in the bin"),
            Series(name: "open_booths", timeAxis: "time", entityAxis: "lane", values: reals(\.openBooths), unit: "booths",
                   description: "time-average number of open booths"),
            Series(name: "busy_booths", timeAxis: "time", entityAxis: "lane", values: reals(\.busyBooths), unit: "booths",
                   description: "time-average number of busy booths"),
            Series(name: "in_system", timeAxis: "time", entityAxis: "lane", values: reals(\.inSystem), unit: "parties",
                   description: "time-average parties at primary (waiting or in service)"),
            Series(name: "station_utilisation", timeAxis: "time", entityAxis: "station", values: reals(\.stationUtilisation),
                   unit: "1", description: "busy servers over open servers, time-averaged (NaN: none open)"),
            Series(name: "station_busy", timeAxis: "time", entityAxis: "station", values: reals(\.stationBusy),
                   unit: "servers", description: "time-average number of busy servers"),
            Series(name: "station_in_system", timeAxis: "time", entityAxis: "station", values: reals(\.stationInSystem),
                   unit: "parties", description: "time-average parties at the station (waiting or in service)"),
            Series(name: "officers_on_duty", timeAxis: "time", entityAxis: nil, values: reals(\.officersOnDuty), unit: "officers",
                   description: "time-average officers on duty (shift pattern)"),
            Series(name: "queue_length", timeAxis: "sample_time", entityAxis: "queue", values: ints(\.queueSamples), unit: "parties",
                   description: "parties waiting in each queue at the sample time"),
        ]
    }

    // MARK: Metric definitions: name, unit, meaning, value

    private static func waitMetrics<E>(_ prefix: String, _ what: String, _ w: @escaping (E) -> WaitSummary) -> [(Metric, (E) -> Double)] {
        [
            (Metric("mean_\(prefix)_min", "min", "mean \(what)"), { w($0).mean / 60 }),
            (Metric("p50_\(prefix)_min", "min", "median \(what)"), { w($0).p50 / 60 }),
            (Metric("p90_\(prefix)_min", "min", "90th percentile \(what)"), { w($0).p90 / 60 }),
            (Metric("p95_\(prefix)_min", "min", "95th percentile \(what)"), { w($0).p95 / 60 }),
            (Metric("p99_\(prefix)_min", "min", "99th percentile \(what)"), { w($0).p99 / 60 }),
            (Metric("max_\(prefix)_min", "min", "longest \(what)"), { w($0).max / 60 }),
        ]
    }

    static var portMetrics: [(Metric, (ReplicationResult) -> Double)] { [
        (Metric("parties_arrived", "parties", "parties created over the whole horizon, warm-up included"), { Double($0.partiesArrived) }),
        (Metric("inspected", "parties", "parties who finished primary inspection"), { Double($0.security.inspected) }),
        (Metric("referred", "parties", "parties referred to secondary"), { Double($0.security.referrals) }),
        (Metric("false_referrals", "parties", "referred parties carrying no violation"), { Double($0.security.falseReferrals) }),
        (Metric("referral_rate", "1", "referred over inspected"), { $0.security.referralRate }),
        (Metric("hit_rate", "1", "share of referrals carrying a violation"), { $0.security.hitRate }),
        (Metric("violators_arrived", "parties", "parties carrying a violation"), { Double($0.security.violatorsArrived) }),
        (Metric("detected", "parties", "violators detected"), { Double($0.security.detected) }),
        (Metric("missed", "parties", "violators who left undetected"), { Double($0.security.missed) }),
        (Metric("detection_rate", "1", "detected over violators who left"), { $0.security.detectionRate }),
        (Metric("staffed_officer_hours", "officer-h", "officer-hours at open booths and stations"), { $0.staffedOfficerHours }),
        (Metric("on_duty_officer_hours", "officer-h", "officer-hours on duty by the shift pattern"), { $0.onDutyOfficerHours }),
        (Metric("events_fired", "events", "simulation events (whole horizon)"), { Double($0.eventsFired) }),
    ] }

    /// P(wait > 0), the shares over each threshold, and the Erlang-A mean wait of a queue.
    private static func queueMetrics<E>(_ thresholds: [Double], _ w: @escaping (E) -> WaitSummary) -> [(Metric, (E) -> Double)] {
        [(Metric("p_wait", "1", "share of parties served who waited at all"), { w($0).pWait })]
            + thresholds.indices.map { k in
                (Metric("share_wait_over_\(minutes(thresholds[k]))min", "1",
                        "share of parties served who waited over \(minutes(thresholds[k])) min"), { w($0).shareOver(k) })
            }
            + [(Metric("mean_wait_all_min", "min", "mean wait over all who joined the queue, those who reneged included"),
                { w($0).meanOverAllJoined / 60 })]
    }

    static func laneMetrics(_ thresholds: [Double]) -> [(Metric, (LaneResult) -> Double)] {
        [
            (Metric("utilisation", "1", "busy booth-time over open booth-time"), { $0.utilisation }),
            (Metric("mean_open_booths", "booths", "time-average open booths"), { $0.meanOpenBooths }),
            (Metric("mean_queue", "parties", "time-average queue length (Lq)"), { $0.meanQueue }),
            (Metric("max_queue", "parties", "longest queue"), { $0.maxQueue }),
            (Metric("mean_busy", "booths", "time-average busy booths"), { $0.meanBusy }),
            (Metric("mean_in_system", "parties", "time-average parties waiting or in service (L)"), { $0.meanInSystem }),
            (Metric("waits", "parties", "parties whose primary wait is counted"), { Double($0.wait.count) }),
            (Metric("blocking_share", "1", "balked over arrived"), { $0.blockingShare }),
            (Metric("abandonment_share", "1", "reneged over arrived"), { $0.abandonmentShare }),
        ] + waitMetrics("wait", "primary wait") { (l: LaneResult) in l.wait }
          + queueMetrics(thresholds) { (l: LaneResult) in l.wait }
    }

    static func flowMetrics(_ thresholds: [Double]) -> [(Metric, (FlowResult) -> Double)] { [
        (Metric("arrived", "parties", "arrivals"), { Double($0.arrived) }),
        (Metric("served", "parties", "finished primary inspection"), { Double($0.served) }),
        (Metric("departed", "parties", "left the port after all inspection"), { Double($0.departed) }),
        (Metric("balked", "parties", "left on arrival (queue full or too long)"), { Double($0.balked) }),
        (Metric("reneged", "parties", "left the queue after waiting"), { Double($0.reneged) }),
        (Metric("in_system_at_start", "parties", "present when the warm-up ended"), { Double($0.inSystemAtStart) }),
        (Metric("in_system_at_end", "parties", "present at the horizon"), { Double($0.inSystemAtEnd) }),
        (Metric("blocking_share", "1", "balked over arrived"), { $0.blockingShare }),
        (Metric("abandonment_share", "1", "reneged over arrived"), { $0.abandonmentShare }),
    ] + waitMetrics("wait", "primary wait") { (f: FlowResult) in f.wait }
      + waitMetrics("time_in_system", "time from arrival to departure") { (f: FlowResult) in f.timeInSystem }
      + queueMetrics(thresholds) { (f: FlowResult) in f.wait }
    }

    /// A class over all the lanes that serve it: counts add up; mean waits are weighted by the
    /// number of waits (percentiles do not combine, so they stay per flow).
    static var classMetrics: [(Metric, ([FlowResult]) -> Double)] { [
        (Metric("arrived", "parties", "arrivals, all lanes"), { Double($0.reduce(0) { $0 + $1.arrived }) }),
        (Metric("served", "parties", "finished primary inspection"), { Double($0.reduce(0) { $0 + $1.served }) }),
        (Metric("departed", "parties", "left the port after all inspection"), { Double($0.reduce(0) { $0 + $1.departed }) }),
        (Metric("balked", "parties", "left on arrival"), { Double($0.reduce(0) { $0 + $1.balked }) }),
        (Metric("reneged", "parties", "left the queue after waiting"), { Double($0.reduce(0) { $0 + $1.reneged }) }),
        (Metric("mean_wait_min", "min", "mean primary wait over all its lanes"), { weightedMean($0.map(\.wait)) / 60 }),
        (Metric("mean_time_in_system_min", "min", "mean time from arrival to departure"), { weightedMean($0.map(\.timeInSystem)) / 60 }),
    ] }

    private static func weightedMean(_ summaries: [WaitSummary]) -> Double {
        let n = summaries.reduce(0) { $0 + $1.count }
        return n > 0 ? summaries.filter { $0.count > 0 }.reduce(0) { $0 + Double($1.count) * $1.mean } / Double(n) : .nan
    }

    static func stationClassMetrics(_ thresholds: [Double]) -> [(Metric, (StationClassResult) -> Double)] {
        [
            (Metric("arrived", "parties", "parties of the class sent to the station"), { Double($0.arrived) }),
            (Metric("served", "parties", "inspections of the class finished"), { Double($0.served) }),
        ] + waitMetrics("wait", "wait for the station") { (v: StationClassResult) in v.wait }
          + queueMetrics(thresholds) { (v: StationClassResult) in v.wait }
    }

    static func stationMetrics(_ thresholds: [Double]) -> [(Metric, (StationResult) -> Double)] { [
        (Metric("arrived", "parties", "parties sent to the station"), { Double($0.arrived) }),
        (Metric("served", "parties", "inspections finished"), { Double($0.served) }),
        (Metric("alarms", "parties", "inspections that alarmed"), { Double($0.alarms) }),
        (Metric("utilisation", "1", "busy server-time over open server-time"), { $0.utilisation }),
        (Metric("mean_open_servers", "servers", "time-average open servers"), { $0.meanOpenServers }),
        (Metric("mean_queue", "parties", "time-average queue length"), { $0.meanQueue }),
        (Metric("max_queue", "parties", "longest queue"), { $0.maxQueue }),
        (Metric("down_fraction", "1", "share of the time the station was down"), { $0.downFraction }),
        (Metric("diverted", "parties", "diverted elsewhere while the station was down"), { Double($0.diverted) }),
        (Metric("released_unscreened", "parties", "released unscreened while the station was down"), { Double($0.releasedUnscreened) }),
        (Metric("mean_busy", "servers", "time-average busy servers"), { $0.meanBusy }),
        (Metric("mean_in_system", "parties", "time-average parties waiting or in service (L)"), { $0.meanInSystem }),
    ] + waitMetrics("wait", "wait for the station") { (s: StationResult) in s.wait }
      + queueMetrics(thresholds) { (s: StationResult) in s.wait }
    }

    /// Referrals by what triggered them (`ReferralCause`); detections by violation type beside the total.
    static func attributionMetrics(_ types: [String]) -> [(Metric, (Attribution) -> Double)] {
        [
            (Metric("referrals", "parties", "referrals this cause triggered"), { Double($0.referrals) }),
            (Metric("false_referrals", "parties", "of them, parties carrying no violation"), { Double($0.falseReferrals) }),
            (Metric("detected", "parties", "of them, violators detected"), { Double($0.detected) }),
            (Metric("hit_rate", "1", "share of its referrals carrying a violation (NaN: none)"), { $0.hitRate }),
        ] + types.indices.flatMap { (v: Int) -> [(Metric, (Attribution) -> Double)] in
            let name = String(types[v].map { $0.isLetter || $0.isNumber ? $0 : "_" })
            let referred = Metric("referred_\(name)", "parties", "violators of type \(types[v]) it referred")
            let detected = Metric("detected_\(name)", "parties", "violators of type \(types[v]) detected after its referral")
            return [(referred, { Double($0.referredByType[v]) }), (detected, { Double($0.detectedByType[v]) })]
        }
    }

    static var securityMetrics: [(Metric, (SecurityResult.ByType) -> Double)] { [
        (Metric("arrived", "parties", "violators of this type arriving"), { Double($0.arrived) }),
        (Metric("referred", "parties", "referred to secondary"), { Double($0.referred) }),
        (Metric("detected", "parties", "detected (interdictions)"), { Double($0.detected) }),
        (Metric("missed", "parties", "left the port undetected"), { Double($0.missed) }),
        (Metric("abandoned", "parties", "left without crossing (balked or reneged)"), { Double($0.abandoned) }),
        (Metric("in_system_at_start", "parties", "present when the warm-up ended"), { Double($0.inSystemAtStart) }),
        (Metric("in_system_at_end", "parties", "present at the horizon"), { Double($0.inSystemAtEnd) }),
        (Metric("detection_rate", "1", "detected over detected + missed (NaN: none left)"), {
            $0.detected + $0.missed > 0 ? Double($0.detected) / Double($0.detected + $0.missed) : .nan
        }),
    ] }
}

import BorderModel

/// A warm-up suggested by MSER-5 from the sampled queue lengths of a run's replications.
///
/// Which series: the number of parties waiting in all queues together (every lane and
/// station), sampled every `metrics.queue-sample-interval` (5 min by default) over the whole
/// horizon, averaged over the replications at each sample time. Reasons:
/// - the queue content is what carries the initial condition (the port starts empty), and it
///   is the state the warm-up is meant to let settle;
/// - it is fine-grained: a 26-h run gives 313 samples, 62 batches of 5, so MSER searches the
///   first 31 batches (≈ 13 h) in 25-min steps. The hourly series (mean waits, throughput)
///   give 26 values, 5 batches of 5 and a search over the first 2 batches only — too coarse
///   to place a warm-up;
/// - averaging over replications (as in Welch's method) removes most of the noise, so the
///   truncation reflects the mean path rather than one replication's fluctuations.
/// Each queue is also analysed on its own, so a slow station queue hidden in the total shows.
public struct WarmUpSuggestion: Codable, Sendable {
    public struct Queue: Codable, Sendable {
        public var name: String
        public var mser: MSER.Result?
        public var problem: String?
    }

    public var method = "MSER-5"
    public var series = "queue_length: parties waiting in all lanes and stations, mean over replications"
    public var replications: Int
    public var sampleIntervalSeconds: Double
    /// MSER-5 of the total queue; `truncationTime` is in seconds.
    public var total: MSER.Result
    /// The suggested warm-up in seconds; nil when MSER stopped at its search limit (no valid suggestion).
    public var suggestedSeconds: Double?
    public var scenarioWarmUpSeconds: Double
    public var queues: [Queue]
    /// Inputs that change with time (arrival profiles, booth or server schedules, shifts): then
    /// the series has no steady state and the suggestion must be read with care.
    public var timeVaryingInputs: [String]
    /// Cautions about the series itself (e.g. too few batches).
    public var notes: [String]
    /// One plain-language sentence comparing the suggestion with the scenario's warm-up.
    public var verdict: String

    enum CodingKeys: String, CodingKey {
        case method, series, replications, sampleIntervalSeconds = "sample_interval_s", total
        case suggestedSeconds = "suggested_s", scenarioWarmUpSeconds = "scenario_warm_up_s", queues
        case timeVaryingInputs = "time_varying_inputs", notes, verdict
    }

    public init(config: PortConfiguration, results: [ReplicationResult]) throws {
        guard let first = results.first?.series else { throw MSER.Problem.tooShort(observations: 0, needed: 20) }
        let names = config.lanes.map { "lane:" + $0.name } + config.stations.map { "station:" + $0.name }
        let width = names.count
        let samples = first.sampleTimes.count
        // Mean over replications, per sample and queue.
        var mean = [Double](repeating: 0, count: samples * width)
        for r in results {
            for (k, v) in r.series.queueSamples.prefix(samples * width).enumerated() { mean[k] += Double(v) }
        }
        let n = Double(results.count)
        for k in mean.indices { mean[k] /= n }
        let totalSeries = (0..<samples).map { s in (0..<width).reduce(0.0) { $0 + mean[s * width + $1] } }

        replications = results.count
        sampleIntervalSeconds = first.sampleInterval
        scenarioWarmUpSeconds = config.warmUp
        total = try MSER.truncation(totalSeries, times: first.sampleTimes)
        suggestedSeconds = total.atSearchLimit ? nil : total.truncationTime
        queues = names.indices.map { q in
            do {
                return Queue(name: names[q], mser: try MSER.truncation((0..<samples).map { mean[$0 * width + q] },
                                                                        times: first.sampleTimes))
            } catch {
                return Queue(name: names[q], mser: nil, problem: "\(error)")
            }
        }
        timeVaryingInputs = WarmUpSuggestion.timeVaryingInputs(config)
        notes = []
        if total.batches < WarmUpSuggestion.fewBatches {
            notes.append("only \(total.batches) batches: on a short series MSER can truncate late by chance; sample the "
                + "queues more often (metrics: {queue-sample-interval: 1 min}) for a finer series")
        }
        verdict = WarmUpSuggestion.verdict(suggested: suggestedSeconds, scenario: config.warmUp,
                                           step: first.sampleInterval * Double(total.batchSize), total: total)
        if !timeVaryingInputs.isEmpty {
            verdict = "Caution: the inputs vary with time (" + timeVaryingInputs.joined(separator: "; ")
                + "): the queues have no steady state, and MSER cannot tell the empty start from the daily pattern. " + verdict
        }
    }

    /// Below this many batches the suggestion is fragile (a note says so).
    public static let fewBatches = 40

    /// What makes the model's inputs change with time, in words (one phrase per kind of
    /// input); empty for a stationary model.
    public static func timeVaryingInputs(_ config: PortConfiguration) -> [String] {
        func varies(_ p: PiecewiseConstant) -> Bool { Set(p.values).count > 1 }
        func varies(_ a: ArrivalProcess) -> Bool {
            switch a {
            case .poisson: return false
            case .profile(let p): return varies(p)
            case .batches(let b):
                if case .process(let inner) = b.times { return varies(inner) }
                return true
            case .timetable, .trace: return true
            }
        }
        func names(_ list: [String]) -> String {
            list.count <= 3 ? list.joined(separator: ", ") : list.prefix(3).joined(separator: ", ") + " and \(list.count - 3) more"
        }
        var reasons: [String] = []
        let classes = config.classes.filter { varies($0.arrivals) }.map(\.name)
        if !classes.isEmpty { reasons.append("arrival rates of \(names(classes)) change (profile, timetable or trace)") }
        let lanes = config.lanes.filter { varies($0.booths) }.map(\.name)
        if !lanes.isEmpty { reasons.append("booth schedules of lanes \(names(lanes))") }
        let stations = config.stations.filter { varies($0.servers) }.map(\.name)
        if !stations.isEmpty { reasons.append("server schedules of stations \(names(stations))") }
        if config.staffing != nil { reasons.append("officer shifts") }
        return reasons
    }

    static func verdict(suggested: Double?, scenario: Double, step: Double, total: MSER.Result) -> String {
        guard let suggested else {
            return "No settling point found: MSER stopped at its search limit (the first half of the series, "
                + "\(total.searchLimitBatches) batches). The series is too short for its transient or not stationary "
                + "(e.g. it follows a daily arrival profile); this is not a valid warm-up — lengthen the horizon or judge "
                + "the warm-up from the series."
        }
        let s = hoursMinutes(scenario), m = hoursMinutes(suggested)
        if abs(suggested - scenario) < step {
            return "The scenario's warm-up (\(s)) agrees with the suggestion (\(m)) to within one batch (\(hoursMinutes(step)))."
        }
        if scenario > suggested {
            return "The scenario's warm-up (\(s)) is longer than the suggested \(m): safe, if it discards more than needed."
        }
        return "The scenario's warm-up (\(s)) is shorter than the suggested \(m): statistics may carry the empty start; "
            + "consider `warm-up: \(Int((suggested / 60).rounded(.up))) min`."
    }

    /// "1 h 35 min", "45 min", "2 h", "0 min" (rounded to the minute); "30 s" under a minute.
    public static func hoursMinutes(_ seconds: Double) -> String {
        if seconds > 0 && seconds < 59.5 { return "\(Int(seconds.rounded())) s" }
        let minutes = Int((seconds / 60).rounded())
        let h = minutes / 60, m = minutes % 60
        if h == 0 { return "\(m) min" }
        return m == 0 ? "\(h) h" : "\(h) h \(m) min"
    }
}

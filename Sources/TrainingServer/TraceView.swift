import BorderModel
import Experiments
import Foundation

/// One replication replayed for the animation: every party that left the port during the day
/// (from the engine's per-party trace), the booth and server schedules, the stations' breakdowns
/// (from the engine), and the queue lengths sampled each minute, which also count the parties
/// still in the port at the end of the day (these are not in the trace: it records leavers).
struct TraceResponse: Encodable {
    struct Schedule: Encodable { var times: [Double]; var values: [Double] }
    struct Lane: Encodable { var name: String; var booths: Schedule }
    struct Station: Encodable { var name: String; var servers: Schedule; var down: [[Double]] }
    /// Per party, column by column (seconds from the start; null: did not happen).
    struct Parties: Encodable {
        var arrival: [Double] = [], lane: [Int] = [], booth: [Int] = []
        var queueEntry: [Double?] = [], serviceStart: [Double?] = [], serviceEnd: [Double?] = [], exit: [Double] = []
        var fate: [Int] = []
        /// Per party, its station visits as [station, entered, started, ended].
        var visits: [[[Double]]] = []
        enum CodingKeys: String, CodingKey {
            case arrival, lane, booth, queueEntry = "queue_entry", serviceStart = "service_start"
            case serviceEnd = "service_end", exit, fate, visits
        }
    }
    /// Fates, by index: how each party's visit ends.
    static let fates = ["cleared", "false referral", "violator detected", "violator missed", "left unserved"]

    var replication: Int
    var settings: [String]
    var horizonSeconds: Double
    var lanes: [Lane]
    var stations: [Station]
    var fates: [String] = TraceResponse.fates
    var parties = Parties()
    var sampleTimes: [Double]
    /// Waiting (not in service) at each sample time: lanes first, then stations, as in the results.
    var queueSamples: [[Int]]
    enum CodingKeys: String, CodingKey {
        case replication, settings, horizonSeconds = "horizon_s", lanes, stations, fates, parties
        case sampleTimes = "sample_times", queueSamples = "queue_samples"
    }

    static func fate(_ t: PartyTrace) -> Int {
        if t.outcome != .departed { return 4 }
        if t.violation >= 0 { return t.detected ? 2 : 3 }
        return t.referred ? 1 : 0
    }

    /// A schedule's breakpoints over the horizon (repeating ones unrolled).
    static func schedule(_ p: PiecewiseConstant, horizon: Double) -> Schedule {
        var times: [Double] = [], values: [Double] = []
        var t = 0.0
        while t < horizon, times.count < 10_000 {
            let v = p.value(at: t)
            if values.last != v { times.append(t); values.append(v) }
            guard let next = p.nextChange(after: t), next > t else { break }
            t = next
        }
        return Schedule(times: times, values: values)
    }
}

extension Lab {
    func trace(_ settings: RunSettings, token: CancelToken) async throws -> TraceResponse {
        var (scenario, overrides) = try scenario(settings)
        // Queue lengths each minute for the animation: sampling draws nothing, the day is the same.
        scenario.config.metrics.queueSampleInterval = 60
        let config = scenario.config, seed = scenario.seed, r = settings.replication ?? 0
        do { _ = try PortSimulation(config: config, seed: seed, replication: r) } catch {
            throw BadRequest("the model with these settings is not valid: \(error)")
        }
        let box = TraceBox()
        let result = try await pool.run(count: 1, token: token) { _ in
            // swiftlint:disable:next force_try
            let sim = try! PortSimulation(config: config, seed: seed, replication: r)
            sim.trace = { box.parties.append($0) }
            sim.stationDown = { s, down, t in box.downs.append((s, down, t)) }
            return sim.run()
        }[0]
        let horizon = config.horizon
        var response = TraceResponse(
            replication: r, settings: overrides, horizonSeconds: horizon,
            lanes: config.lanes.map { .init(name: $0.name, booths: TraceResponse.schedule($0.booths, horizon: horizon)) },
            stations: config.stations.indices.map { s in
                var down: [[Double]] = []
                for (station, isDown, t) in box.downs where station == s {
                    if isDown { down.append([t, horizon]) } else if !down.isEmpty { down[down.count - 1][1] = t }
                }
                return .init(name: config.stations[s].name,
                             servers: TraceResponse.schedule(config.stations[s].servers, horizon: horizon), down: down)
            },
            sampleTimes: result.series.sampleTimes, queueSamples: [])
        let width = config.lanes.count + config.stations.count
        response.queueSamples = (0..<width).map { i in
            stride(from: i, to: result.series.queueSamples.count, by: width).map { result.series.queueSamples[$0] }
        }
        var p = TraceResponse.Parties()
        for t in box.parties.sorted(by: { $0.arrival < $1.arrival }) {
            p.arrival.append(t.arrival); p.lane.append(t.lane); p.booth.append(t.booth)
            p.queueEntry.append(t.queueEntry); p.serviceStart.append(t.serviceStart); p.serviceEnd.append(t.serviceEnd)
            p.exit.append(t.exit); p.fate.append(TraceResponse.fate(t))
            p.visits.append(t.stations.map { [Double($0.station), $0.entered, $0.started, $0.ended] })
        }
        response.parties = p
        return response
    }
}

/// Filled by one simulation on one worker thread, read after it finished.
private final class TraceBox: @unchecked Sendable {
    var parties: [PartyTrace] = []
    var downs: [(Int, Bool, Double)] = []
}

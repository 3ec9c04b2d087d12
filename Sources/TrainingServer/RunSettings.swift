import Foundation

/// What a trainer can change on the page, as the `--set key.path=value` overrides that
/// `bordersim run` takes: the server applies exactly these, so a page result equals
/// `bordersim run SCENARIO --set … --json` for the same list (the response shows it).
/// Every field is optional; absent means "as in the scenario".
public struct RunSettings: Equatable, Sendable {
    /// Risk-score threshold for referral (the binormal score: innocent N(0, 1)).
    public var threshold: Double?
    /// Refer everyone ("100 % inspection"): `targeting.rule=all`.
    public var inspectAll: Bool?
    /// Share chosen at random on top of the threshold, 0 … 1.
    public var random: Double?
    /// Intelligence quality for every class, 0.5 < AUC < 1.
    public var auc: Double?
    /// AUC of parties with advance information, for every class.
    public var aucWithAdvanceInfo: Double?
    /// Share of parties with advance information, for every class, 0 … 1.
    public var advanceInfoShare: Double?
    /// Booths open all day, by lane name.
    public var booths: [String: Int] = [:]
    /// Servers on duty all day, by station name.
    public var servers: [String: Int] = [:]
    /// No working server at one station between two times of the first day (hours from the start).
    public var outage: Outage?
    /// Which replication `/api/trace` replays (0-based).
    public var replication: Int?

    public struct Outage: Equatable, Sendable {
        public var station: String
        public var fromHour: Double
        public var toHour: Double
    }

    public init() {}

    /// The keys a request may carry, besides `client` (the page's id, for stale requests).
    static let keys = ["threshold", "inspect_all", "random", "auc", "auc_with_advance_info", "advance_info_share",
                       "booths", "servers", "outage", "replication", "client"]

    /// Reads a request's JSON object; every problem is a `BadRequest` naming the key.
    init(json: [String: JSONInput], scenario: ScenarioFacts) throws {
        for key in json.keys where !Self.keys.contains(key) {
            let hint = Self.keys.min { distance(key, $0) < distance(key, $1) }.map { "; did you mean '\($0)'?" } ?? ""
            throw BadRequest("unknown parameter '\(key)'\(hint) (known: \(Self.keys.joined(separator: ", ")))")
        }
        func number(_ key: String, _ range: ClosedRange<Double>, open: Bool = false) throws -> Double? {
            guard let raw = json[key], raw != .null else { return nil }
            guard case .number(let v) = raw, v.isFinite else {
                throw BadRequest("\(key): expected a number, found \(raw.kind)")
            }
            let inside = open ? (v > range.lowerBound && v < range.upperBound) : range.contains(v)
            guard inside else {
                let bounds = open ? "(\(range.lowerBound), \(range.upperBound))" : "[\(range.lowerBound), \(range.upperBound)]"
                throw BadRequest("\(key): expected a value in \(bounds), found \(v)")
            }
            return v
        }
        func counts(_ key: String, names: [String], max: Int) throws -> [String: Int] {
            guard let raw = json[key], raw != .null else { return [:] }
            guard case .object(let map) = raw else { throw BadRequest("\(key): expected an object {name: count}, found \(raw.kind)") }
            var out: [String: Int] = [:]
            for (name, value) in map {
                guard names.contains(name) else {
                    throw BadRequest("\(key).\(name): no such \(key == "booths" ? "lane" : "station") (known: \(names.joined(separator: ", ")))")
                }
                guard case .number(let n) = value, n == n.rounded(), (0...Double(max)).contains(n) else {
                    throw BadRequest("\(key).\(name): expected a whole number in [0, \(max)], found \(value.kind)")
                }
                out[name] = Int(n)
            }
            return out
        }
        threshold = try number("threshold", -5...8)
        if let raw = json["inspect_all"], raw != .null {
            guard case .bool(let b) = raw else { throw BadRequest("inspect_all: expected true or false, found \(raw.kind)") }
            inspectAll = b
        }
        random = try number("random", 0...1)
        auc = try number("auc", 0.5...1, open: true)
        aucWithAdvanceInfo = try number("auc_with_advance_info", 0.5...1, open: true)
        advanceInfoShare = try number("advance_info_share", 0...1)
        booths = try counts("booths", names: scenario.lanes, max: 200)
        servers = try counts("servers", names: scenario.stations, max: 200)
        if let r = try number("replication", 0...Double(max(0, scenario.replications - 1))) {
            guard r == r.rounded() else { throw BadRequest("replication: expected a whole number, found \(r)") }
            replication = Int(r)
        }
        if let raw = json["outage"], raw != .null {
            guard case .object(let o) = raw else { throw BadRequest("outage: expected {station, from_h, to_h}, found \(raw.kind)") }
            for key in o.keys where !["station", "from_h", "to_h"].contains(key) {
                throw BadRequest("outage.\(key): unknown key (known: station, from_h, to_h)")
            }
            guard case .string(let station)? = o["station"], scenario.stations.contains(station) else {
                throw BadRequest("outage.station: expected one of \(scenario.stations.joined(separator: ", ")), found \((o["station"] ?? .null).kind)")
            }
            let day = min(24, scenario.horizonHours)
            guard case .number(let from)? = o["from_h"], case .number(let to)? = o["to_h"], from >= 0, to > from, to <= day else {
                throw BadRequest("outage: expected 0 ≤ from_h < to_h ≤ \(day) (hours from the start of the day)")
            }
            outage = Outage(station: station, fromHour: from, toHour: to)
        }
        if inspectAll == true, threshold != nil {
            throw BadRequest("inspect_all and threshold: give one (inspecting everyone has no threshold)")
        }
        if let outage, servers[outage.station] == nil, scenario.constantServers[outage.station] == nil {
            throw BadRequest("outage.station: \(outage.station) has a server schedule that changes over the day; "
                             + "give servers.\(outage.station) too, so the outage has a count to cut from")
        }
    }

    /// The overrides, in a fixed order (so the same settings give the same command line).
    func overrides(_ scenario: ScenarioFacts) -> [String] {
        var out: [String] = []
        func text(_ v: Double) -> String { String(v) }
        // The whole rule, so it also replaces a scenario's `all` or `none` rule.
        if inspectAll == true {
            out.append("targeting.rule=all")
        } else if threshold != nil || random != nil {
            let r = text(random ?? scenario.random ?? 0)
            if let t = threshold ?? scenario.threshold {
                out.append("targeting.rule={threshold: \(text(t)), random: \(r)}")
            } else {
                out.append("targeting.rule={random: \(r)}")
            }
        }
        for c in scenario.classes {
            if let auc { out.append("classes.\(c).risk.auc=\(text(auc))") }
            if let aucWithAdvanceInfo { out.append("classes.\(c).risk.auc-with-advance-info=\(text(aucWithAdvanceInfo))") }
            if let advanceInfoShare { out.append("classes.\(c).advance-info-share=\(text(advanceInfoShare))") }
        }
        for lane in scenario.lanes { if let n = booths[lane] { out.append("lanes.\(lane).booths=\(n)") } }
        for station in scenario.stations {
            guard let n = servers[station] ?? (outage?.station == station ? scenario.constantServers[station] : nil) else { continue }
            if let outage, outage.station == station {
                out.append("stations.\(station).servers={default: \(n), ranges: [{from: \"\(clock(outage.fromHour))\", "
                           + "to: \"\(clock(outage.toHour))\", value: 0}]}")
            } else {
                out.append("stations.\(station).servers=\(n)")
            }
        }
        return out
    }

    /// Hours from midnight as the "HH:MM" the schedules read (24:00 is the end of the day).
    func clock(_ hours: Double) -> String {
        let minutes = Int((hours * 60).rounded())
        return String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}

/// A request the API refuses: answered with 400 and this message.
struct BadRequest: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Edit distance, for "did you mean" on unknown parameters.
private func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where i <= a.count {
        var previous = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where j <= b.count {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}

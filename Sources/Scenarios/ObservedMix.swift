import BorderModel
import Yams

/// Passenger mix in a replay (`observed.mix`): each observed hour's passengers are split between
/// the driven class (e.g. citizens) and a second class (e.g. visitors) with its own service time.
/// The second class's share comes from a profile by hour of day (estimated on the fit period
/// only) or, where a file has it, from a column; it may have its own booth pool, the hour's
/// positions then split between the two lanes in proportion to the expected workload.
public struct ObservedMix: Sendable, Equatable {
    /// The second class and its share of the hour's passengers, by hour of day (24 values).
    public var classIndex: Int
    public var share: [Double]
    /// A column with the share per hour (a fraction or a percentage); blank cells use `share`.
    public var shareColumn: String?
    /// The second class's own lane (booth pool); nil: it queues with the driven class.
    public var lane: Int?
    /// Booths to the second lane: round(positions × min(1, weight × workload share)), at least
    /// one for each lane when there are two or more; 1 = in proportion to the workload.
    public var boothWeight: Double

    public init(classIndex: Int, share: [Double], shareColumn: String? = nil, lane: Int? = nil, boothWeight: Double = 1) {
        self.classIndex = classIndex; self.share = share; self.shareColumn = shareColumn
        self.lane = lane; self.boothWeight = boothWeight
    }

    /// Positions of the second lane when `total` are open and the second class's workload share
    /// (share × its mean service, over the total) is `workload`.
    public func secondLaneBooths(total: Int, workload: Double) -> Int {
        guard total >= 2 else { return 0 }
        let raw = (Double(total) * min(1, max(0, boothWeight * workload))).rounded()
        return min(total - 1, max(1, Int(raw)))
    }
}

extension ScenarioReader {
    static let mixKeys = ["class", "share", "share-column", "lane", "booth-weight"]

    func readObservedMix(_ node: Node, _ path: KeyPath) -> ObservedMix? {
        guard let f = yaml.fields(node, path, allowed: Self.mixKeys, required: ["class", "share"]) else { return nil }
        let cls = f["class"].flatMap { yaml.reference($0, f.path("class"), to: "class", in: classNames) }
        var share: [Double]? = nil
        if let n = f["share"], let items = yaml.list(n, f.path("share"), of: "24 shares, 00:00 first") {
            let values = items.enumerated().map { yaml.probability($0.element, f.path("share").index($0.offset)) }
            if items.count != 24 {
                yaml.error(n, f.path("share"), "expected 24 shares (one per hour of day, 00:00 first), found \(items.count)")
            } else if !values.contains(where: { $0 == nil }) {
                share = values.compactMap { $0 }
            }
        }
        let column: String? = f["share-column"].flatMap { n in
            guard let t = yaml.text(n, f.path("share-column")) else { return nil }
            if t.isEmpty { yaml.error(n, f.path("share-column"), "expected a column name, found an empty text"); return nil }
            return t
        }
        let lane = f["lane"].flatMap { yaml.reference($0, f.path("lane"), to: "lane", in: laneNames) }
        let weight = f["booth-weight"].flatMap {
            yaml.number($0, f.path("booth-weight"), expected: "a number > 0 such as 1", valid: { $0 > 0 && $0.isFinite })
        } ?? 1
        if f["booth-weight"] != nil && f["lane"] == nil {
            yaml.error(f["booth-weight"], f.path("booth-weight"), "expected booth-weight only with mix.lane (a booth pool of its own)")
        }
        guard let c = cls, let s = share else { return nil }
        return ObservedMix(classIndex: c, share: s, shareColumn: column, lane: lane, boothWeight: weight)
    }
}

extension ScenarioSchema {
    static var observedMixDefinition: JSONValue {
        record([("class", ref("text", "The second class: its share of each hour's passengers arrives as this class.")),
                ("share", ["type": "array", "minItems": 24, "maxItems": 24, "items": ref("probability"),
                           "description": "The second class's share of the passengers by hour of day, 00:00 first (fitted on the fit period)."]),
                ("share-column", ref("text", "A column with the share per hour; blank cells use `share`.")),
                ("lane", ref("text", "The second class's own lane; the hour's positions split between the two lanes by workload.")),
                ("booth-weight", ["type": "number", "exclusiveMinimum": 0,
                                  "description": "Booths to the second lane: positions × min(1, weight × workload share); 1 = proportional (default)."]),
               ], required: ["class", "share"],
               description: "Passenger mix: each hour's passengers split between the driven class and a second class.")
    }
}

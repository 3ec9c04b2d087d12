import BorderModel
import Yams

/// How an observed hourly file (e.g. a CBP Airport Wait Times download) drives a scenario in
/// `bordersim replay` and `bordersim calibrate`: which columns hold the date and the hour, the
/// arrivals and positions open (inputs), and the observed waits (outputs). Column names only;
/// the file itself is read by the Planning layer.
public struct ObservedSpec: Sendable, Equatable {
    /// The lane whose booths follow `positions`, and the class whose arrivals follow `passengers`.
    public var lane: Int
    public var classIndex: Int
    public var date: String
    public var hour: String
    public var passengers: String
    /// Flights (batches) per hour; each carries an equal share of the hour's passengers. Nil:
    /// the passengers arrive as a Poisson stream within the hour.
    public var batches: String?
    public var positions: String
    public var meanWait: String
    public var maxWait: String?
    /// Wait buckets: column and upper bound in seconds (nil for the open last bucket).
    public var buckets: [(column: String, upTo: Double?)]
    /// Batches land this long before the middle of the hour in which their passengers are
    /// counted (the data counts passengers when processed, not when they land).
    public var leadTime: Double
    /// What the file's waits measure.
    public var measure: WaitMeasure
    /// Passenger mix: part of each hour's passengers arrive as a second class (ObservedMix).
    public var mix: ObservedMix? = nil

    public enum WaitMeasure: Sendable, Equatable {
        /// The wait in the lane's queue, by the hour service started.
        case queue
        /// CBP Airport Wait Times: from the flight's block-in to the end of primary inspection,
        /// less a nominal walking time, by the flight's hour.
        case blockIn(walkAllowance: Double)
    }

    public static func == (a: ObservedSpec, b: ObservedSpec) -> Bool {
        a.lane == b.lane && a.classIndex == b.classIndex && a.date == b.date && a.hour == b.hour
            && a.passengers == b.passengers && a.batches == b.batches && a.positions == b.positions
            && a.meanWait == b.meanWait && a.maxWait == b.maxWait && a.leadTime == b.leadTime && a.measure == b.measure && a.mix == b.mix
            && a.buckets.map(\.column) == b.buckets.map(\.column) && a.buckets.map(\.upTo) == b.buckets.map(\.upTo)
    }
}

extension ScenarioReader {
    static let observedKeys = ["lane", "class", "date", "hour", "passengers", "batches", "positions",
                               "mean-wait", "max-wait", "buckets", "lead-time", "wait-from", "walk-allowance", "mix"]

    func readObserved(_ node: Node, _ path: KeyPath) -> ObservedSpec? {
        guard let f = yaml.fields(node, path, allowed: Self.observedKeys,
                                  required: ["lane", "class", "date", "hour", "passengers", "positions", "mean-wait"])
        else { return nil }
        func column(_ key: String) -> String? {
            guard let n = f[key], let t = yaml.text(n, f.path(key)) else { return nil }
            if t.isEmpty { yaml.error(n, f.path(key), "expected a column name, found an empty text"); return nil }
            return t
        }
        let lane = f["lane"].flatMap { yaml.reference($0, f.path("lane"), to: "lane", in: laneNames) }
        let cls = f["class"].flatMap { yaml.reference($0, f.path("class"), to: "class", in: classNames) }
        var buckets: [(String, Double?)] = []
        if let b = f["buckets"] {
            let items = yaml.named(b, f.path("buckets"), what: "column")
            for (i, item) in items.enumerated() {
                let p = f.path("buckets").appending(item.name)
                if item.value.scalar?.string.lowercased() == "more" {
                    if i != items.count - 1 { yaml.error(item.value, p, "expected 'more' only for the last bucket") }
                    buckets.append((item.name, nil))
                } else if let v = yaml.duration(item.value, p) {
                    if let last = buckets.last?.1, v <= last {
                        yaml.error(item.value, p, "expected bucket bounds in increasing order")
                    }
                    buckets.append((item.name, v))
                }
            }
        }
        let lead = f["lead-time"].flatMap { yaml.duration($0, f.path("lead-time"), positive: false) } ?? 0
        var measure = ObservedSpec.WaitMeasure.queue
        let from = f["wait-from"].flatMap { yaml.text($0, f.path("wait-from")) } ?? "queue"
        let allowance = f["walk-allowance"].flatMap { yaml.duration($0, f.path("walk-allowance"), positive: false) }
        switch from {
        case "queue":
            if let n = f["walk-allowance"] { yaml.error(n, f.path("walk-allowance"), "expected walk-allowance only with wait-from: block-in") }
        case "block-in": measure = .blockIn(walkAllowance: allowance ?? 0)
        default: yaml.error(f["wait-from"], f.path("wait-from"), "expected queue or block-in, found '\(from)'")
        }
        let mix = f["mix"].flatMap { readObservedMix($0, f.path("mix")) }
        if let m = mix, m.classIndex == cls { yaml.error(f["mix"], f.path("mix").appending("class"), "expected a class other than observed.class") }
        if let m = mix, let ml = m.lane, ml == lane { yaml.error(f["mix"], f.path("mix").appending("lane"), "expected a lane other than observed.lane") }
        guard let l = lane, let c = cls, let date = column("date"), let hour = column("hour"),
              let pax = column("passengers"), let pos = column("positions"), let wait = column("mean-wait")
        else { return nil }
        return ObservedSpec(lane: l, classIndex: c, date: date, hour: hour, passengers: pax, batches: column("batches"),
                            positions: pos, meanWait: wait, maxWait: column("max-wait"), buckets: buckets, leadTime: lead,
                            measure: measure, mix: mix)
    }
}

extension ScenarioSchema {
    static var observedDefinition: JSONValue {
        record([("lane", ref("text", "Lane whose booths follow the positions column.")),
                ("class", ref("text", "Class whose arrivals follow the passengers column.")),
                ("date", ref("text", "Date column: 1/31/2018 or 2019-01-31.")),
                ("hour", ref("text", "Hour column: \"1400 - 1500\", \"14:00\" or 14.")),
                ("passengers", ref("text", "Passengers per hour (an input).")),
                ("batches", ref("text", "Flights per hour (an input); each carries an equal share of the hour's passengers.")),
                ("positions", ref("text", "Positions (booths) open in the hour (an input).")),
                ("mean-wait", ref("text", "Observed mean wait in minutes (an output).")),
                ("max-wait", ref("text", "Observed maximum wait in minutes (an output).")),
                ("buckets", ["type": "object", "description": "Wait-bucket columns (passenger counts) and their upper bounds; 'more' for the last.",
                             "additionalProperties": ref("text")]),
                ("lead-time", ref("duration-or-zero", "Flights land this long before the middle of the hour their passengers are counted in.")),
                ("wait-from", ["enum": ["queue", "block-in"], "description": "queue (default): wait in the lane's queue, by the hour service started; block-in: CBP's definition, block-in to the end of primary less walk-allowance, by the flight's hour."]),
                ("walk-allowance", ref("duration-or-zero", "With wait-from: block-in, the nominal walking time CBP subtracts.")),
                ("mix", observedMixDefinition),
               ], required: ["lane", "class", "date", "hour", "passengers", "positions", "mean-wait"],
               description: "How an observed hourly file drives the scenario in `bordersim replay` and `calibrate`.")
    }
}

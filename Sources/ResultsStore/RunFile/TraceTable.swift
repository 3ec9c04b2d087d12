/// The per-party trace: two tables of 1-D columns under /trace, one row per party that left the
/// port (`parties`) and one per station visit (`station_visits`). Rows come in replication order,
/// then in the order parties left. Times are seconds from the start of the run; NaN where a step
/// never happened (a balked party has no queue entry or service).
public final class PartyRows {
    /// A fixed-capacity column: filled by index, no growth and no copy-on-write checks on the
    /// per-party path.
    public struct Column<T> {
        public let base: UnsafeMutablePointer<T>
        init(_ capacity: Int) { base = .allocate(capacity: capacity) }
        @inline(__always) public subscript(i: Int) -> T {
            get { base[i] }
            nonmutating set { base[i] = newValue }
        }
        func free() { base.deallocate() }
    }

    public let capacity: Int
    /// Rows filled (by one thread at a time, per party: no dynamic exclusivity checks).
    @exclusivity(unchecked) public var count = 0
    public let replication: Column<Int32>
    /// Row number of the party within its replication (order of leaving); `station_visits.party` refers to it.
    public let party: Column<Int64>
    public let classIndex: Column<Int32>
    public let lane: Column<Int32>
    public let booth: Column<Int32>
    /// Violation type index, -1 for none.
    public let violation: Column<Int32>
    public let trusted: Column<UInt8>
    public let advanceInfo: Column<UInt8>
    public let referred: Column<UInt8>
    public let detected: Column<UInt8>
    /// 0 departed, 1 balked, 2 reneged (`PartyRows.outcomes`).
    public let outcome: Column<UInt8>
    public let stationVisits: Column<Int32>
    public let riskScore: Column<Double>
    public let arrival: Column<Double>
    public let queueEntry: Column<Double>
    public let serviceStart: Column<Double>
    public let serviceEnd: Column<Double>
    public let exit: Column<Double>

    public static let outcomes = ["departed", "balked", "reneged"]

    public init(capacity: Int) {
        self.capacity = capacity
        replication = .init(capacity); party = .init(capacity); classIndex = .init(capacity); lane = .init(capacity)
        booth = .init(capacity); violation = .init(capacity); trusted = .init(capacity); advanceInfo = .init(capacity)
        referred = .init(capacity); detected = .init(capacity); outcome = .init(capacity); stationVisits = .init(capacity)
        riskScore = .init(capacity); arrival = .init(capacity); queueEntry = .init(capacity); serviceStart = .init(capacity)
        serviceEnd = .init(capacity); exit = .init(capacity)
    }

    public var isFull: Bool { count == capacity }

    deinit {
        replication.free(); party.free(); classIndex.free(); lane.free(); booth.free(); violation.free()
        trusted.free(); advanceInfo.free(); referred.free(); detected.free(); outcome.free(); stationVisits.free()
        riskScore.free(); arrival.free(); queueEntry.free(); serviceStart.free(); serviceEnd.free(); exit.free()
    }
}

public struct VisitRows {
    public var replication: [Int32] = []
    public var party: [Int64] = []
    public var station: [Int32] = []
    public var entered: [Double] = []
    public var started: [Double] = []
    public var ended: [Double] = []
    public var alarm: [UInt8] = []
    public init() {}
    public var count: Int { party.count }
}

/// Appends trace rows to /trace in chunks. Not thread-safe: the caller serialises appends.
public final class TraceTableWriter {
    private let parties: [String: H5Dataset]
    private let visits: [String: H5Dataset]

    /// Column name, element type and meaning: the schema of /trace/parties.
    static let partyColumns: [(String, String, String)] = [
        ("replication", "int32", "replication index"), ("party", "int64", "row of the party within its replication, in order of leaving"),
        ("class", "int32", "index into /class"), ("lane", "int32", "index into /lane"),
        ("booth", "int32", "booth index within the lane, -1 if never served"),
        ("violation", "int32", "index into /violation_type, -1 for none"),
        ("trusted", "uint8", "1 if a trusted-traveller member"), ("advance_info", "uint8", "1 if advance information was available"),
        ("referred", "uint8", "1 if referred to secondary"), ("detected", "uint8", "1 if its violation was detected"),
        ("outcome", "uint8", "0 departed, 1 balked, 2 reneged"), ("station_visits", "int32", "rows in /trace/station_visits"),
        ("risk_score", "float64", "targeting score"), ("arrival_s", "float64", "arrival time"),
        ("queue_entry_s", "float64", "joined the lane queue (NaN if balked)"),
        ("service_start_s", "float64", "primary service start (NaN if never served)"),
        ("service_end_s", "float64", "primary service end (NaN if not finished)"), ("exit_s", "float64", "left the port"),
    ]

    public init(file: H5File, chunkRows: Int = 65_536) throws {
        let trace = try file.createGroup(ResultsSchema.traceGroup)
        let p = try trace.createGroup("parties")
        var parties: [String: H5Dataset] = [:]
        for (name, type, description) in Self.partyColumns {
            let column: H5Dataset
            switch type {
            case "int32": column = try p.createColumn(name, of: Int32.self, chunkRows: chunkRows)
            case "int64": column = try p.createColumn(name, of: Int64.self, chunkRows: chunkRows)
            case "uint8": column = try p.createColumn(name, of: UInt8.self, chunkRows: chunkRows)
            default: column = try p.createColumn(name, of: Double.self, chunkRows: chunkRows)
            }
            try column.setAttribute("description", description)
            if name.hasSuffix("_s") { try column.setAttribute("units", "s") }
            parties[name] = column
        }
        try parties["outcome"]!.setAttribute("codes", PartyRows.outcomes)
        let v = try trace.createGroup("station_visits")
        var visits: [String: H5Dataset] = [:]
        for name in ["replication", "station"] { visits[name] = try v.createColumn(name, of: Int32.self, chunkRows: chunkRows) }
        visits["party"] = try v.createColumn("party", of: Int64.self, chunkRows: chunkRows)
        for name in ["entered_s", "started_s", "ended_s"] {
            visits[name] = try v.createColumn(name, of: Double.self, chunkRows: chunkRows)
            try visits[name]!.setAttribute("units", "s")
        }
        visits["alarm"] = try v.createColumn("alarm", of: UInt8.self, chunkRows: chunkRows)
        try visits["station"]!.setAttribute("description", "index into /station")
        try visits["party"]!.setAttribute("description", "row of the party in /trace/parties within the same replication")
        self.parties = parties
        self.visits = visits
    }

    public func append(_ rows: PartyRows) throws {
        func put<T: H5Element>(_ name: String, _ column: PartyRows.Column<T>) throws {
            try parties[name]!.append(UnsafeBufferPointer(start: column.base, count: rows.count))
        }
        try put("replication", rows.replication); try put("party", rows.party); try put("class", rows.classIndex)
        try put("lane", rows.lane); try put("booth", rows.booth); try put("violation", rows.violation)
        try put("trusted", rows.trusted); try put("advance_info", rows.advanceInfo); try put("referred", rows.referred)
        try put("detected", rows.detected); try put("outcome", rows.outcome); try put("station_visits", rows.stationVisits)
        try put("risk_score", rows.riskScore); try put("arrival_s", rows.arrival); try put("queue_entry_s", rows.queueEntry)
        try put("service_start_s", rows.serviceStart); try put("service_end_s", rows.serviceEnd); try put("exit_s", rows.exit)
    }

    public func append(_ rows: VisitRows) throws {
        func put<T: H5Element>(_ name: String, _ values: [T]) throws {
            try values.withUnsafeBufferPointer { try visits[name]!.append($0) }
        }
        try put("replication", rows.replication); try put("party", rows.party); try put("station", rows.station)
        try put("entered_s", rows.entered); try put("started_s", rows.started); try put("ended_s", rows.ended)
        try put("alarm", rows.alarm)
    }
}

import Foundation
import ResultsStore
import Scenarios

/// One hour of an observed file, as read. Nil fields are blank cells.
public struct ObservedHour: Sendable {
    /// The file's own `date` and `hour` texts (written back unchanged next to the predictions).
    public var dateText: String, hourText: String
    public var passengers: Double?, batches: Double?, positions: Double?
    /// Minutes.
    public var meanWait: Double?, maxWait: Double?
    /// Passengers per wait bucket (the spec's bucket order); nil when the row has none.
    public var buckets: [Double]?
    public var file: String, line: Int
    /// The mix class's share of the hour's passengers, from `mix.share-column` (nil: blank or no column).
    public var share: Double? = nil
}

/// Observed files joined in time order onto one continuous grid of hours, from midnight of the
/// first day to 23:00 of the last. Hours absent from every file are nil (CBP omits hours with
/// no arrivals): they get no arrivals, the scenario's own booth schedule, and are not scored.
public struct ObservedPeriod: Sendable {
    /// Days since 1970-01-01 of the first day, and the grid of hours.
    public var firstDay: Int
    public var hours: [ObservedHour?]
    /// Each file read: name and SHA-256 of its bytes.
    public var files: [(name: String, sha256: String)]
    public var count: Int { hours.count }
    public func hourOfDay(_ i: Int) -> Int { i % 24 }
    /// "2016-01-01" for the first day.
    public var firstDate: String { ObservedPeriod.isoDate(firstDay) }
    public var lastDate: String { ObservedPeriod.isoDate(firstDay + max(hours.count - 1, 0) / 24) }

    public struct Failure: Error, CustomStringConvertible {
        public var file: String, line: Int, column: String?, message: String
        public var description: String {
            "\(file):\(line): \(column.map { "column '\($0)': " } ?? "")\(message)"
        }
    }

    public static func load(_ paths: [String], spec: ObservedSpec) throws -> ObservedPeriod {
        var rows: [(slot: Int, hour: ObservedHour)] = []
        var files: [(String, String)] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            let table: CSVTable
            do { table = try CSVTable.load(url) } catch {
                throw Failure(file: path, line: 1, column: nil, message: "could not read the observed file (\(error))")
            }
            let bytes = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            files.append((url.lastPathComponent, SHA256.hex(bytes)))
            let needed = [spec.date, spec.hour, spec.passengers, spec.positions, spec.meanWait]
                + [spec.batches, spec.maxWait, spec.mix?.shareColumn].compactMap { $0 } + spec.buckets.map(\.column)
            for c in needed where !table.header.contains(c) {
                throw Failure(file: path, line: 1, column: c,
                              message: "missing in the header (the scenario's observed: block names it; found: \(table.header.joined(separator: ", ")))")
            }
            func index(_ c: String) -> Int { table.header.firstIndex(of: c)! }
            for (r, cells) in table.rows.enumerated() {
                let line = r + 2
                func cell(_ c: String) -> String { let i = index(c); return i < cells.count ? cells[i] : "" }
                func number(_ c: String?) throws -> Double? {
                    guard let c else { return nil }
                    let t = cell(c)
                    if t.isEmpty || t.uppercased() == "NA" || t.lowercased() == "nan" { return nil }
                    guard let v = Double(t), v.isFinite, v >= 0 else {
                        throw Failure(file: path, line: line, column: c, message: "expected a number ≥ 0 or a blank, found '\(t)'")
                    }
                    return v
                }
                guard let day = parseDate(cell(spec.date)) else {
                    throw Failure(file: path, line: line, column: spec.date,
                                  message: "expected a date such as 1/31/2018 or 2019-01-31, found '\(cell(spec.date))'")
                }
                guard let h = parseHour(cell(spec.hour)) else {
                    throw Failure(file: path, line: line, column: spec.hour,
                                  message: "expected an hour such as \"1400 - 1500\", \"14:00\" or 14, found '\(cell(spec.hour))'")
                }
                let b = try spec.buckets.map { try number($0.column) ?? .nan }
                let hour = ObservedHour(dateText: cell(spec.date), hourText: cell(spec.hour),
                                        passengers: try number(spec.passengers), batches: try number(spec.batches),
                                        positions: try number(spec.positions), meanWait: try number(spec.meanWait),
                                        maxWait: try number(spec.maxWait),
                                        buckets: b.isEmpty || b.contains(where: \.isNaN) ? nil : b, file: path, line: line)
                var row = hour
                if let c = spec.mix?.shareColumn, let v = try number(c) {
                    guard v <= 1 else {
                        throw Failure(file: path, line: line, column: c, message: "expected a share in [0, 1] or a blank, found '\(cell(c))'")
                    }
                    row.share = v
                }
                rows.append((day * 24 + h, row))
            }
        }
        guard let lo = rows.map(\.slot).min(), let hi = rows.map(\.slot).max() else {
            throw Failure(file: paths.first ?? "", line: 1, column: nil, message: "expected at least one hour row, found none")
        }
        let first = lo / 24, last = hi / 24
        var grid = [ObservedHour?](repeating: nil, count: (last - first + 1) * 24)
        for (slot, hour) in rows {
            if let other = grid[slot - first * 24] {
                throw Failure(file: hour.file, line: hour.line, column: spec.hour,
                              message: "hour \(hour.dateText) \(hour.hourText) appears twice (also \(other.file):\(other.line))")
            }
            grid[slot - first * 24] = hour
        }
        return ObservedPeriod(firstDay: first, hours: grid, files: files)
    }

    /// `1/31/2018` (month/day/year) or `2019-01-31`; days since 1970-01-01.
    public static func parseDate(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts: [Int]
        if t.contains("/") {
            let p = t.split(separator: "/").compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            parts = [p[2], p[0], p[1]]
        } else {
            let p = t.prefix(10).split(separator: "-").compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            parts = p
        }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        guard (1900...2200).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return civilDays(y, m, d)
    }

    /// `1400 - 1500`, `14:00`, `14`: the hour of day it starts.
    public static func parseHour(_ text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let dash = t.firstIndex(of: "-") { t = String(t[..<dash]).trimmingCharacters(in: .whitespaces) }
        if let colon = t.firstIndex(of: ":") { t = String(t[..<colon]) } else if t.count == 4 { t = String(t.prefix(2)) }
        guard let h = Int(t), (0...23).contains(h) else { return nil }
        return h
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// Days from 1970-01-01 (H. Hinnant's civil-from-days inverse).
    static func civilDays(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func isoDate(_ days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}

import Foundation

/// A small CSV file referenced by a scenario (hourly volumes, booths open, a trace): a header
/// row and rows of cells. Quoted cells may contain commas; nothing fancier is needed.
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [[String]]

    /// Files larger than this are refused: scenario inputs are hourly series, not raw logs.
    static let maxBytes = 50_000_000

    /// Rows beyond this are refused (a year of minutes is 525,600).
    static let maxRows = 1_000_000

    public enum Failure: Error {
        case missing(String), unreadable(String), tooLarge(String), empty(String)
        case notRegular(String), tooManyRows(String, Int), ragged(String, row: Int, cells: Int, columns: Int)
    }

    public static func load(_ url: URL) throws -> CSVTable {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw Failure.missing(path) }
        // A FIFO or a device would block or never end: only regular files are read.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {   // through links
            throw Failure.notRegular(path)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxBytes else { throw Failure.tooLarge(path) }
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { throw Failure.unreadable(path) }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        lines.removeAll { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.first else { throw Failure.empty(path) }
        guard lines.count - 1 <= maxRows else { throw Failure.tooManyRows(path, lines.count - 1) }
        let header = cells(first), rows = lines.dropFirst().map(cells)
        // A row with more cells than the header (an unquoted comma: `1,5`) would lose a value silently.
        if let i = rows.firstIndex(where: { $0.count > header.count }) {
            throw Failure.ragged(path, row: i + 2, cells: rows[i].count, columns: header.count)
        }
        return CSVTable(header: header, rows: rows)
    }

    static func cells(_ line: String) -> [String] {
        var out: [String] = [], cell = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() } else if ch == ",", !quoted { out.append(cell); cell = "" } else { cell.append(ch) }
        }
        out.append(cell)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    public func column(_ name: String) -> [String]? {
        guard let i = header.firstIndex(of: name) else { return nil }
        return rows.map { i < $0.count ? $0[i] : "" }
    }
}

// Shared measuring and printing helpers for the benchmark groups.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Bench {
    /// CPU time of the calling thread, in nanoseconds. Not wall time: the machines are shared
    /// and noisy, and a thread's CPU time leaves out the time other processes hold the core
    /// (it still includes their effect on caches). Every measurement, the C++ baseline's
    /// included, uses this clock.
    @inline(__always)
    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Seconds taken by `body`.
    @inline(__always)
    static func seconds(_ body: () -> Void) -> Double {
        let start = nowNs()
        body()
        return Double(nowNs() &- start) * 1e-9
    }

    /// `bench: NAME value=X unit=U`
    static func value(_ name: String, _ x: Double, unit: String, digits: Int = 2) {
        print("bench: \(name) value=\(fmt(x, digits)) unit=\(unit)")
    }

    /// `bench: NAME ratio=R` — bordersim time / baseline time.
    static func ratio(_ name: String, _ r: Double) {
        print("bench: \(name) ratio=\(fmt(r, 3))")
    }

    static func cpuDescription() -> String {
        var model = "unknown CPU"
        if let f = fopen("/proc/cpuinfo", "r") {
            defer { fclose(f) }
            var line: UnsafeMutablePointer<CChar>? = nil
            var cap = 0
            while getline(&line, &cap, f) > 0 {
                let s = String(cString: line!)
                if s.hasPrefix("model name"), let colon = s.firstIndex(of: ":") {
                    model = String(s[s.index(after: colon)...]).trimmed()
                    break
                }
            }
            free(line)
        }
        return "\(model), \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores"
    }
}

/// Fixed-point formatting without Foundation.
func fmt(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(x) * scale).rounded()
    let whole = UInt64(r / scale), frac = UInt64(r - Double(whole) * scale)
    var s = (x < 0 && r > 0 ? "-" : "") + "\(whole)"
    if digits > 0 {
        let f = "\(frac)"
        s += "." + String(repeating: "0", count: digits - f.count) + f
    }
    return s
}

/// Millions, e.g. 12_345_678 -> "12.35 M".
func fmtMillions(_ x: Double) -> String { fmt(x / 1e6, 2) + " M" }

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
    func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
    func trimmed() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s.removeLast() }
        return String(s)
    }
}

/// A plain-text table: first column left-aligned, the others right-aligned.
func printTable(_ header: [String], _ rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max()! }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { c, s in c == 0 ? s.padding(widths[c]) : s.leftPadding(widths[c]) }
            .joined(separator: "  ")
    }
    print(line(header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for r in rows { print(line(r)) }
}

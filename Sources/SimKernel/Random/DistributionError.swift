#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A distribution parameter that a factory of `Distribution` rejected.
///
/// `description` is the readable message, e.g.
/// `exponential: mean must be a finite number > 0, got -3`.
public struct DistributionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The factory, e.g. `exponential`.
    public let distribution: String
    /// The offending parameter, as the factory labels it, e.g. `mean`.
    public let parameter: String
    /// The whole message.
    public let message: String

    public var description: String { message }

    /// `"<distribution>: <parameter> <requirement>, got <value>"`.
    init(_ distribution: String, _ parameter: String, _ requirement: String, got value: String) {
        self.distribution = distribution
        self.parameter = parameter
        self.message = "\(distribution): \(parameter) \(requirement), got \(value)"
    }
}

/// How numbers are written in messages and summaries.
enum DistributionFormat {
    /// Exactly, as typed: `-3`, `0.25`, `1e-10`, `nan`, `inf` — an error must show the real value.
    static func exact(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// Six significant digits (`%.6g`): summaries must not show `60.00000000000001`.
    static func short(_ x: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = buffer.withUnsafeMutableBufferPointer { b in
            withVaList([x]) { vsnprintf(b.baseAddress, b.count, "%.6g", $0) }
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

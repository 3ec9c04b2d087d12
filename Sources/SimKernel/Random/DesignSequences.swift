import CGSL

extension RandomStream {
    /// A uniformly random permutation of `values` in place (GSL's `gsl_ran_shuffle`).
    public func shuffle(_ values: inout [Int]) {
        let n = values.count
        values.withUnsafeMutableBufferPointer { b in
            gsl_ran_shuffle(generator, b.baseAddress, n, MemoryLayout<Int>.stride)
        }
    }
}

/// A Sobol low-discrepancy sequence in the unit cube (GSL's `gsl_qrng_sobol`, up to 40
/// dimensions): for quasi-random experimental designs.
public final class SobolSequence {
    private let generator: OpaquePointer
    public let dimensions: Int
    private var point: [Double]

    /// Nil if GSL refuses the dimension (0 or more than it supports).
    public init?(dimensions: Int) {
        guard dimensions >= 1, dimensions <= 40, let q = gsl_qrng_alloc(bordersim_qrng_sobol(), UInt32(dimensions)) else { return nil }
        generator = OpaquePointer(q)
        self.dimensions = dimensions
        point = Array(repeating: 0, count: dimensions)
    }

    deinit { gsl_qrng_free(UnsafeMutablePointer(generator)) }

    /// The next point of the sequence.
    public func next() -> [Double] {
        gsl_qrng_get(UnsafeMutablePointer(generator), &point)
        return point
    }
}

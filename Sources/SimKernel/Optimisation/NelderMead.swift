import CGSL

/// Derivative-free minimisation by GSL's Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`),
/// for simulation-based calibration: the objective is any Swift closure.
public enum NelderMead {
    /// Minimises `f` from `start` with initial steps `step`, until the simplex's size falls below
    /// `tolerance` (returns true: converged), or `proceed()` answers false, or GSL cannot improve
    /// (returns false). `f` is called with the point's coordinates.
    public static func minimize(start: [Double], step: [Double], tolerance: Double,
                                proceed: () -> Bool, _ f: @escaping ([Double]) -> Double) -> Bool {
        let k = start.count
        precondition(k > 0 && step.count == k, "NelderMead: start and step need the same dimension ≥ 1")
        final class Box { let f: ([Double]) -> Double; let k: Int; init(_ f: @escaping ([Double]) -> Double, _ k: Int) { self.f = f; self.k = k } }
        let box = Unmanaged.passRetained(Box(f, k))
        defer { box.release() }
        var function = gsl_multimin_function(
            f: { x, params in
                let b = Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue()
                return b.f((0..<b.k).map { gsl_vector_get(x, $0) })
            }, n: k, params: box.toOpaque())
        let x0 = gsl_vector_alloc(k)!, s = gsl_vector_alloc(k)!
        defer { gsl_vector_free(x0); gsl_vector_free(s) }
        for i in 0..<k { gsl_vector_set(x0, i, start[i]); gsl_vector_set(s, i, step[i]) }
        let minimizer = gsl_multimin_fminimizer_alloc(bordersim_nmsimplex2(), k)!
        defer { gsl_multimin_fminimizer_free(minimizer) }
        gsl_multimin_fminimizer_set(minimizer, &function, x0, s)
        while proceed() {
            if gsl_multimin_fminimizer_iterate(minimizer) != GSL_SUCCESS { return false }
            if gsl_multimin_test_size(gsl_multimin_fminimizer_size(minimizer), tolerance) == GSL_SUCCESS { return true }
        }
        return false
    }
}

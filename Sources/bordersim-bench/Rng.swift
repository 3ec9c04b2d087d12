// The cost of one exponential variate from GSL's MT19937, two ways: GSL's sampler
// (−μ·log1p(−U), U through gsl_rng_uniform), and what MMcQueue does (the same single U
// through the generator's get_double, then −μ·log(1 − U): equal to the last bit or so).
import CGSL
#if canImport(Glibc)
import Glibc
#endif

func rngBenchmarks() {
    let r = gsl_rng_alloc(bordersim_rng_mt19937())!
    defer { gsl_rng_free(r) }
    gsl_rng_set(r, 1)
    let count = 20_000_000, repetitions = 3
    var sink = 0.0
    var bestRan = Double.infinity, bestLog = Double.infinity
    for _ in 0..<repetitions {
        bestRan = min(bestRan, Bench.seconds {
            for _ in 0..<count { sink += gsl_ran_exponential(r, 1.0) }
        })
        bestLog = min(bestLog, Bench.seconds {
            let g = r.pointee.type.pointee.get_double!, state = r.pointee.state
            for _ in 0..<count { sink += -log(1 - g(state)) }
        })
    }
    let ran = bestRan * 1e9 / Double(count), viaLog = bestLog * 1e9 / Double(count)
    Bench.value("gsl-ran-exponential", ran, unit: "ns/draw")
    Bench.value("gsl-get-double-log", viaLog, unit: "ns/draw")
    print("\nexponential variates (best of \(repetitions) × \(count / 1_000_000)M; sink \(fmt(sink / 1e9, 1))):")
    printTable(["method", "ns/draw"], [["gsl_ran_exponential", fmt(ran, 2)],
                                        ["-log(1 - get_double(state))", fmt(viaLog, 2)]])
}

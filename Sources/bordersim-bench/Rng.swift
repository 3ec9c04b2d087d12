// The cost of one exponential variate through GSL's MT19937, two ways.
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
            for _ in 0..<count { sink += -log(gsl_rng_uniform_pos(r)) }
        })
    }
    let ran = bestRan * 1e9 / Double(count), viaLog = bestLog * 1e9 / Double(count)
    Bench.value("gsl-ran-exponential", ran, unit: "ns/draw")
    Bench.value("gsl-uniform-pos-log", viaLog, unit: "ns/draw")
    print("\nexponential variates (best of \(repetitions) × \(count / 1_000_000)M; sink \(fmt(sink / 1e9, 1))):")
    printTable(["method", "ns/draw"], [["gsl_ran_exponential", fmt(ran, 2)],
                                        ["-log(gsl_rng_uniform_pos)", fmt(viaLog, 2)]])
}

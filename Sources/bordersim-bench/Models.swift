// Models on the kernel: customers simulated per second on one core, with the mean wait
// beside its theoretical value so that a fast but wrong kernel shows.
import KernelExamples
#if canImport(Glibc)
import Glibc
#endif

/// The kernel-level M/M/1 figure of this run (the scenario group compares with it).
nonisolated(unsafe) var kernelMM1Rate: Double?

func modelBenchmarks() {
    // BENCH_QUICK=1 for a rough run while developing (1 trial of M/M/1, M/M/c over 100,000).
    let quick = getenv("BENCH_QUICK") != nil
    let repetitions = quick ? 1 : 3
    let trials = quick ? 1 : 10
    var rows: [[String]] = []

    // M/M/1, λ = 0.9, μ = 1: 10 trials of 1,000,000 customers. W_q = ρ/(μ − λ) = 9.
    do {
        let p = MMcQueue.Parameters(arrivalRate: 0.9, serviceRate: 1, servers: 1, maxCustomers: 1_000_000)
        let theory = MMcQueue.erlangCWait(arrivalRate: 0.9, serviceRate: 1, servers: 1)
        var bestRate = 0.0, meanWait = 0.0
        for _ in 0..<repetitions {
            var customers = 0, waitSum = 0.0, counted = 0
            let s = Bench.seconds {
                for trial in 0..<trials {
                    let r = MMcQueue.run(p, seed: 42, replication: trial)
                    customers += r.arrivals
                    waitSum += r.meanWait * Double(r.customers)
                    counted += r.customers
                }
            }
            bestRate = max(bestRate, Double(customers) / s)
            meanWait = waitSum / Double(counted)
        }
        Bench.value("mm1", bestRate, unit: "customers/s", digits: 0)
        kernelMM1Rate = bestRate
        Bench.value("mm1-mean-wait", meanWait, unit: "time", digits: 4)
        Bench.value("mm1-mean-wait-theory", theory, unit: "time", digits: 4)
        rows.append(["M/M/1 (λ=0.9, μ=1, \(trials) × 1M customers)", fmtMillions(bestRate),
                     fmt(meanWait, 4), fmt(theory, 4)])
    }

    // M/M/c, λ = 9, μ = 1, c = 10, over 1,000,000 time units. W_q = 0.6687 (Erlang C).
    do {
        let p = MMcQueue.Parameters(arrivalRate: 9, serviceRate: 1, servers: 10,
                                    horizon: quick ? 100_000 : 1_000_000)
        let theory = MMcQueue.erlangCWait(arrivalRate: 9, serviceRate: 1, servers: 10)
        var bestRate = 0.0, meanWait = 0.0
        for _ in 0..<repetitions {
            var r: MMcQueue.Result? = nil
            let s = Bench.seconds { r = MMcQueue.run(p, seed: 42, replication: 0) }
            bestRate = max(bestRate, Double(r!.arrivals) / s)
            meanWait = r!.meanWait
        }
        Bench.value("mmc", bestRate, unit: "customers/s", digits: 0)
        Bench.value("mmc-mean-wait", meanWait, unit: "time", digits: 4)
        Bench.value("mmc-mean-wait-theory", theory, unit: "time", digits: 4)
        rows.append(["M/M/c (λ=9, μ=1, c=10, T=\(Int(p.horizon) / 1000)k)", fmtMillions(bestRate), fmt(meanWait, 4), fmt(theory, 4)])
    }

    print("\nmodels on the kernel (best of \(repetitions); one core):")
    printTable(["model", "customers/s", "mean wait", "theory"], rows)
    print("for scale (same machines, others' measurements): Cimba 8.7 M/s (M/M/1), 5.7 M/s (M/M/c); SimPy 0.13 M/s")
}

// The classic hold model: fill a pending-event set with N events, then repeat "pop the
// minimum, push a new event at its time + Exp(1)". Three implementations see exactly the
// same operations: the same pre-generated GSL draws, in the same order, so the same keys.
//
//  - kernel: SimKernel's EventQueue, popMin then push (the deferred root removal turns the
//    pair into one replace-top: the kernel's real run-loop pattern).
//  - swift-collections: HeapModule's Heap (a min-max heap), popMin then insert.
//  - C++: std::priority_queue (Sources/CppBaseline, -O2), pop then push.
//
// Record size is the same 24 bytes everywhere: the baselines carry {time, seq, payload: 64
// bits}; the kernel's record carries {time, priority|seq, cancellation slot: 32 bits} plus
// the event, so its payload here is 32 bits.
import CGSL
import CppBaseline
import HeapModule
@_spi(GSL) import SimKernel
#if canImport(Glibc)
import Glibc
#endif

/// Exp(1) variates from GSL's MT19937 with a fixed seed, cycled through by every implementation.
let holdDrawCount = 1 << 20
/// (A plain buffer, never freed, so that the timed loops are free functions without closures.)
nonisolated(unsafe) let holdDraws: UnsafeBufferPointer<Double> = {   // written once, then only read
    let r = gsl_rng_alloc(bordersim_rng_mt19937())!
    defer { gsl_rng_free(r) }
    gsl_rng_set(r, 20_240_917)
    let draws = UnsafeMutableBufferPointer<Double>.allocate(capacity: holdDrawCount)
    for i in 0..<holdDrawCount { draws[i] = gsl_ran_exponential(r, 1.0) }
    return UnsafeBufferPointer(draws)
}()

struct HoldResult {
    var nsPerHold: Double
    /// Sum of popped times: identical across implementations (same keys, same order).
    var checksum: Double
}

/// The kernel's EventQueue. Payload UInt32 keeps its record at 24 bytes (see above).
@inline(never)
func kernelHold(n: Int, holds: Int) -> HoldResult {
    let draws = holdDraws, mask = draws.count - 1
    do {
        var q = EventQueue<UInt32>(capacity: n + 1)
        var d = 0
        for i in 0..<n {
            q.push(UInt32(truncatingIfNeeded: i), at: draws[d & mask]); d &+= 1
        }
        var sum = 0.0
        let start = Bench.nowNs()
        for _ in 0..<holds {
            let (time, payload) = q.popMin()!
            sum += time
            q.push(payload &+ 1, at: time + draws[d & mask]); d &+= 1
        }
        let ns = Double(Bench.nowNs() &- start) / Double(holds)
        return HoldResult(nsPerHold: ns, checksum: sum)
    }
}

/// The record given to swift-collections' Heap: 24 bytes, ordered by (time, seq).
struct HeapEvent: Comparable {
    var time: Double
    var seq: UInt64
    var payload: UInt64

    @inline(__always)
    static func < (a: HeapEvent, b: HeapEvent) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
    @inline(__always)
    static func == (a: HeapEvent, b: HeapEvent) -> Bool { a.time == b.time && a.seq == b.seq }
}

@inline(never)
func swiftCollectionsHold(n: Int, holds: Int) -> HoldResult {
    let draws = holdDraws, mask = draws.count - 1
    do {
        var heap = Heap<HeapEvent>()
        heap.reserveCapacity(n + 1)
        var seq: UInt64 = 0, d = 0
        for _ in 0..<n {
            heap.insert(HeapEvent(time: draws[d & mask], seq: seq, payload: seq)); d &+= 1; seq &+= 1
        }
        var sum = 0.0
        let start = Bench.nowNs()
        for _ in 0..<holds {
            let e = heap.popMin()!
            sum += e.time
            heap.insert(HeapEvent(time: e.time + draws[d & mask], seq: seq, payload: e.payload &+ 1))
            d &+= 1; seq &+= 1
        }
        let ns = Double(Bench.nowNs() &- start) / Double(holds)
        return HoldResult(nsPerHold: ns, checksum: sum)
    }
}

@inline(never)
func cppHold(n: Int, holds: Int) -> HoldResult {
    let draws = holdDraws
    do {
        var sum = 0.0
        let ns = cpp_pq_hold_ns(n, holds, draws.baseAddress, draws.count, &sum)
        return HoldResult(nsPerHold: ns, checksum: sum)
    }
}

func holdBenchmarks() {
    _ = holdDraws.count   // generate the draws before timing anything
    // BENCH_HOLD_SIZES=10000,100000 to run only some sizes.
    let sizes = getenv("BENCH_HOLD_SIZES").map { String(cString: $0).split(separator: ",").compactMap { Int($0) } }
        ?? [1_000, 10_000, 100_000, 1_000_000]
    // BENCH_QUICK=1 for a rough run while developing.
    let quick = getenv("BENCH_QUICK") != nil
    let holds = quick ? 1_000_000 : 5_000_000
    let repetitions = quick ? 3 : 5
    let impls: [(name: String, run: (Int, Int) -> HoldResult)] = [
        ("kernel", { kernelHold(n: $0, holds: $1) }),
        ("swift-collections", { swiftCollectionsHold(n: $0, holds: $1) }),
        ("cpp", { cppHold(n: $0, holds: $1) }),
    ]
    var rows: [[String]] = []
    for n in sizes {
        // Interleave the implementations and keep each one's best repetition: noise only slows.
        var best = [Double](repeating: .infinity, count: impls.count)
        var sums = [Double](repeating: 0, count: impls.count)
        for _ in 0..<repetitions {
            for (i, impl) in impls.enumerated() {
                let r = impl.run(n, holds)
                best[i] = min(best[i], r.nsPerHold)
                sums[i] = r.checksum
            }
        }
        if Set(sums).count != 1 {
            print("warning: hold-\(n) checksums differ (the implementations did not do the same work): \(sums)")
        }
        let (kernel, heap, cpp) = (best[0], best[1], best[2])
        Bench.value("hold-\(n)", kernel, unit: "ns/hold")
        Bench.value("hold-\(n)-swift-collections-heap", heap, unit: "ns/hold")
        Bench.value("hold-\(n)-cpp", cpp, unit: "ns/hold")
        Bench.ratio("hold-\(n)-vs-cpp", kernel / cpp)
        Bench.ratio("hold-\(n)-vs-swift-collections-heap", kernel / heap)
        rows.append(["\(n)", fmt(kernel, 1), fmt(heap, 1), fmt(cpp, 1),
                     fmt(kernel / cpp, 2), fmt(kernel / heap, 2)])
    }
    print("\nhold model, ns per hold (best of \(repetitions) × \(holds / 1_000_000)M holds; 24-byte records):")
    printTable(["N", "kernel", "swift-coll Heap", "C++ pq", "kernel/C++", "kernel/Heap"], rows)
}

import SimKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the next arrival epoch of a class is.
public enum ArrivalEpoch: Sendable, Equatable {
    /// One party; `traced` carries the recorded attributes when the process replays a trace.
    case single(time: Double, traced: TracedParty?)
    /// A flight, bus or train: `size` (≥ 1) parties arrive together at `time`, each then
    /// delayed by its own `ArrivalGenerator.spreadDelay()`.
    case batch(time: Double, size: Int)

    public var time: Double {
        switch self {
        case .single(let t, _), .batch(let t, _): return t
        }
    }
}

/// Produces the arrival epochs of one traffic class, in time order, up to (excluding) `horizon`.
///
/// Every draw — gaps, batch sizes, spread delays — comes from the one `stream` given (the
/// class's arrival stream), so the arrival sequence does not depend on anything else in the
/// model (common random numbers). A plain struct with a switch over the kind of process: no
/// allocation and no dynamic dispatch per arrival. Sorting of timetables and traces happens
/// once, in `init`.
public struct ArrivalGenerator {
    private enum Kind {
        case exhausted, poisson, profile, batchesFromProcess, batchesFromTimetable, timetable, trace
    }

    /// Holds the generator of batch times (a struct cannot contain itself); allocated once.
    private final class Nested {
        var generator: ArrivalGenerator
        init(_ generator: ArrivalGenerator) { self.generator = generator }
    }

    public let horizon: Double
    private let stream: RandomStream
    private var kind: Kind
    /// Time of the last epoch returned (the walk position for Poisson and profiles).
    private var now = 0.0

    // Poisson.
    private var rate = 0.0

    // Profile (its breakpoints, rates and period, held here so the walk reads them without
    // retaining arrays): the position is piece `piece` of the cycle starting at `cycleStart`.
    private var breakpoints: [Double] = []
    private var rates: [Double] = []
    private var period: Double?
    private var piece = 0
    private var cycleStart = 0.0
    /// ∫ rate over one period (periodic profiles only): lets a walk skip whole empty stretches.
    private var cycleMass = 0.0

    // Timetables and traces: sorted once, then read with a cursor.
    private var times: [Double] = []
    private var schedule: [ScheduledBatch] = []
    private var traced: [TracedParty] = []
    private var cursor = 0

    // Batches.
    private var nested: Nested?
    private var size: Distribution?
    private var spread: Distribution?
    /// Per-time mean batch size and the size distribution's own mean (its rescaling).
    private var sizeMeans: PiecewiseConstant?
    private var sizeMean = 1.0

    public init(process: ArrivalProcess, stream: RandomStream, horizon: Double) {
        precondition(!horizon.isNaN, "ArrivalGenerator: horizon is NaN")
        self.stream = stream
        self.horizon = horizon
        kind = .exhausted
        // Drops what can never be returned; times before 0 precede the run and are dropped too.
        let inRun = { (t: Double) in t >= 0 && t < horizon }
        switch process {
        case .poisson(let r):
            precondition(r.isFinite && r >= 0, "ArrivalGenerator: Poisson rate must be finite and ≥ 0, got \(r)")
            rate = r
            kind = r > 0 ? .poisson : .exhausted
        case .profile(let p):
            breakpoints = p.times
            rates = p.values
            period = p.period
            if let period = p.period {
                cycleMass = p.integral(from: 0, to: period)
                kind = cycleMass > 0 ? .profile : .exhausted
            } else {
                kind = p.maximum > 0 ? .profile : .exhausted
            }
        case .batches(let b):
            size = b.size
            spread = b.spread
            sizeMeans = b.sizeMeans
            sizeMean = b.size.mean
            switch b.times {
            case .process(let inner):
                nested = Nested(ArrivalGenerator(process: inner, stream: stream, horizon: horizon))
                kind = .batchesFromProcess
            case .timetable(let list):
                schedule = stableSorted(list.filter { inRun($0.time) }, by: { $0.time < $1.time })
                kind = .batchesFromTimetable
            }
        case .timetable(let list):
            times = list.filter(inRun).sorted()
            kind = .timetable
        case .trace(let parties):
            traced = stableSorted(parties.filter { inRun($0.time) }, by: { $0.time < $1.time })
            kind = .trace
        }
    }

    /// The next epoch after the previous one (at the same time only for listed duplicates), or
    /// nil when the process has no more arrivals before `horizon`. Once nil, always nil.
    public mutating func next() -> ArrivalEpoch? {
        switch kind {
        case .exhausted:
            return nil
        case .poisson:
            let t = now + unitExponential() / rate
            return single(at: t)
        case .profile:
            guard let t = nextProfileTime() else { kind = .exhausted; return nil }
            return single(at: t)
        case .batchesFromProcess:
            while let epoch = nested!.generator.next() {
                let n = drawSize(at: epoch.time)
                if n > 0 { now = epoch.time; return .batch(time: epoch.time, size: n) }
            }
            kind = .exhausted
            return nil
        case .batchesFromTimetable:
            while cursor < schedule.count {
                let b = schedule[cursor]
                cursor += 1
                let n = b.size.map { Swift.max(0, $0) } ?? drawSize(at: b.time)
                if n > 0 { now = b.time; return .batch(time: b.time, size: n) }
            }
            kind = .exhausted
            return nil
        case .timetable:
            guard cursor < times.count else { kind = .exhausted; return nil }
            now = times[cursor]
            cursor += 1
            return .single(time: now, traced: nil)
        case .trace:
            guard cursor < traced.count else { kind = .exhausted; return nil }
            let party = traced[cursor]
            cursor += 1
            now = party.time
            return .single(time: party.time, traced: party)
        }
    }

    /// Delay of one batch member after its batch's arrival, from `spread`; 0 (and no draw) when
    /// the process has no spread. Clamped at 0: a member cannot arrive before its batch.
    public mutating func spreadDelay() -> Double {
        guard let spread else { return 0 }
        return Swift.max(0, spread.sample(stream))
    }

    // MARK: - Helpers

    /// Returns a single arrival at `t`, or ends the process if `t` is at or past the horizon.
    private mutating func single(at t: Double) -> ArrivalEpoch? {
        guard t < horizon else { kind = .exhausted; return nil }
        now = t
        return .single(time: t, traced: nil)
    }

    /// Exp(1) from one uniform on (0, 1): strictly positive, so gaps are never 0.
    private func unitExponential() -> Double { -log(stream.uniformPositive()) }

    /// A batch size: the `size` draw rounded to the nearest whole number, at least 0.
    private func drawSize(at t: Double) -> Int {
        guard let size else { return 0 }
        var x = size.sample(stream)
        if let m = sizeMeans { x *= sizeMean > 0 ? m.value(at: t) / sizeMean : 0 }
        x = x.rounded()
        guard x > 0 else { return 0 }             // also catches NaN
        return x < Double(Int.max) ? Int(x) : Int.max
    }

    /// Exact inversion of the cumulative rate Λ: the next arrival is where Λ(t) − Λ(now)
    /// reaches E ~ Exp(1). Walks piece by piece from the current position; nil when the
    /// horizon is reached first or the rate is 0 from here on (non-periodic profile).
    private mutating func nextProfileTime() -> Double? {
        var e = unitExponential()
        let n = rates.count
        var t = now
        while t < horizon {
            // At a cycle start, skip whole cycles that the remaining mass cannot fill
            // (keeping e in (0, cycleMass]): a low rate never costs a walk through empty days.
            if let period, piece == 0, t == cycleStart, e > cycleMass {
                let skip = (e / cycleMass).rounded(.up) - 1
                e -= skip * cycleMass
                cycleStart += skip * period
                t = cycleStart
                if t >= horizon { return nil }
                if e <= 0 { e = .leastNonzeroMagnitude }   // rounding; the mass is ≥ that
            }
            let r = rates[piece]
            // End of the current piece; a non-periodic profile's last piece lasts for ever.
            let end: Double
            if piece + 1 < n { end = cycleStart + breakpoints[piece + 1] }
            else if let period { end = cycleStart + period }
            else { end = .infinity }
            if r > 0 {
                let available = r * (end - t)
                if e <= available {
                    // Keep the result inside the piece despite rounding.
                    let arrival = Swift.min(t + e / r, end)
                    return arrival < horizon ? arrival : nil
                }
                e -= Swift.max(0, available)
            } else if end == .infinity {
                return nil                            // zero for ever: no more arrivals
            }
            t = end
            piece += 1
            if piece == n {
                // Only a periodic profile gets here (a non-periodic last piece never ends).
                piece = 0
                cycleStart += period!
            }
        }
        return nil
    }
}

/// `sorted(by:)` is not guaranteed stable; ties (same time) keep their listed order here.
private func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
    items.enumerated()
        .sorted { less($0.element, $1.element) || (!less($1.element, $0.element) && $0.offset < $1.offset) }
        .map(\.element)
}

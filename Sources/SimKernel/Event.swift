/// Where an event stands among events due at the same instant: lower classes fire first,
/// and within a class events fire in the order they were scheduled. Nothing is left to chance.
@frozen
public struct EventPriority: Comparable, Hashable, Sendable {
    public let rawValue: UInt8
    @inlinable public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// Before everything else at the same time (e.g. a schedule change that opens booths).
    /// (Computed, not stored: a stored static is read through an accessor with a once-check,
    /// a call on every `schedule` that takes the default priority.)
    @inlinable public static var urgent: EventPriority { EventPriority(0) }
    @inlinable public static var normal: EventPriority { EventPriority(128) }
    /// After everything else at the same time (e.g. sampling a queue length).
    @inlinable public static var late: EventPriority { EventPriority(255) }

    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Names a scheduled event so that it can be cancelled later (reneging, shift ends, repairs).
/// A handle is never reused: cancelling an event that already fired, or was already
/// cancelled, is harmless and returns false.
@frozen
public struct EventHandle: Hashable, Sendable {
    @usableFromInline let slot: UInt32
    @usableFromInline let generation: UInt32
    @inlinable init(slot: UInt32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }
}

/// Why `Simulation.run` returned.
public enum RunOutcome: Equatable, Sendable {
    /// The next event lies after the time limit; the clock stands at the limit.
    case reachedTimeLimit
    /// No event remains; the clock stands at the last event fired.
    case exhausted
    /// A handler called `stop()`; the clock stands at that event.
    case stopped
}

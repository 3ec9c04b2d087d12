/// The simulated world's clock and its pending events: schedule, step, run.
///
/// `Event` is the model's own value type, typically a small enum; the model switches over it
/// in the closure it hands to `run`, so the inner loop has no protocol or class dispatch.
///
///     var sim = Simulation<MyEvent>()
///     sim.schedule(.arrival, at: 0)
///     sim.run(until: 3600) { sim, event in
///         switch event { case .arrival: ...; sim.schedule(.arrival, after: gap) ... }
///     }
///
/// Time is `Double` seconds from the start of the run. Events due at the same time fire by
/// priority class, then in the order they were scheduled.
public struct Simulation<Event>: ~Copyable {
    /// The current simulated time: the time of the event being handled.
    @inlinable public var now: Double { clock }
    @usableFromInline var clock: Double = 0
    @usableFromInline var queue: EventQueue<Event>
    @usableFromInline var stopRequested = false
    /// Events fired so far.
    @inlinable public var firedCount: Int { fired }
    @usableFromInline var fired: Int = 0

    public init(capacity: Int = 1024) {
        queue = EventQueue(capacity: capacity)
    }

    /// Events still pending (cancelled ones count until they would have fired).
    @inlinable public var pendingCount: Int { queue.count }

    // MARK: scheduling

    /// Schedules `event` at absolute time `time` (never before `now`).
    @inlinable @inline(__always)
    public mutating func schedule(_ event: Event, at time: Double, priority: EventPriority = .normal) {
        precondition(time >= now, "event scheduled in the past or at a NaN time")
        queue.push(event, at: time, priority: priority)
    }

    /// Schedules `event` `delay` seconds from now.
    @inlinable @inline(__always)
    public mutating func schedule(_ event: Event, after delay: Double, priority: EventPriority = .normal) {
        schedule(event, at: now + delay, priority: priority)
    }

    /// Schedules an event that may later be cancelled with the returned handle.
    @inlinable
    public mutating func scheduleCancellable(_ event: Event, at time: Double,
                                             priority: EventPriority = .normal) -> EventHandle {
        precondition(time >= now, "event scheduled in the past or at a NaN time")
        return queue.pushCancellable(event, at: time, priority: priority)
    }

    @inlinable
    public mutating func scheduleCancellable(_ event: Event, after delay: Double,
                                             priority: EventPriority = .normal) -> EventHandle {
        scheduleCancellable(event, at: now + delay, priority: priority)
    }

    /// Cancels a pending event; harmless (returns false) for a fired, cancelled or unknown handle.
    @inlinable @discardableResult
    public mutating func cancel(_ handle: EventHandle) -> Bool { queue.cancel(handle) }

    /// Time of the next live event, if any.
    @inlinable public mutating func nextEventTime() -> Double? { queue.peekTime() }

    // MARK: running

    /// Advances the clock to the next event due no later than `limit` and returns it;
    /// nil when none is due by then (the clock does not move).
    @inlinable @inline(__always)
    public mutating func step(notAfter limit: Double = .infinity) -> Event? {
        guard let (time, event) = queue.popMin(notAfter: limit) else { return nil }
        clock = time
        fired &+= 1
        return event
    }

    /// Asks `run` to return after the event being handled.
    @inlinable public mutating func stop() { stopRequested = true }

    /// Fires events in order, handing each to `handle`, until the next event lies after
    /// `limit` (events at exactly `limit` fire; the clock then stands at `limit`), no event
    /// remains, or the handler calls `stop()`.
    @inlinable @discardableResult
    public mutating func run(until limit: Double = .infinity,
                             _ handle: (inout Simulation<Event>, Event) -> Void) -> RunOutcome {
        stopRequested = false
        while let event = step(notAfter: limit) {
            handle(&self, event)
            if stopRequested { return .stopped }
        }
        if queue.peekTime() == nil { return .exhausted }
        clock = limit
        return .reachedTimeLimit
    }

    /// Moves the clock forward to `time` without firing anything (e.g. to the end of a
    /// horizon after the last event). Never moves it backwards.
    @inlinable public mutating func advance(to time: Double) {
        precondition(time >= now, "the clock cannot move backwards")
        clock = time
    }
}

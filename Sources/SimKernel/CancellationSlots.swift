/// Bookkeeping for cancellable events: one slot per pending cancellable event, recycled
/// through a free list, with a generation counter so that a stale handle never touches a
/// reused slot. All operations are O(1); storage grows to the peak number of pending
/// cancellable events and is then reused without allocation.
@usableFromInline
struct CancellationSlots {
    @usableFromInline enum State: UInt8 { case free, pending, cancelled }

    @usableFromInline var generation: [UInt32] = []
    @usableFromInline var state: [State] = []
    @usableFromInline var freeList: [UInt32] = []

    @usableFromInline init() {}

    @inlinable
    mutating func acquire() -> EventHandle {
        let slot: UInt32
        if let reused = freeList.popLast() {
            slot = reused
        } else {
            slot = UInt32(generation.count)
            generation.append(0)
            state.append(.free)
        }
        state[Int(slot)] = .pending
        return EventHandle(slot: slot, generation: generation[Int(slot)])
    }

    @inlinable
    mutating func cancel(_ handle: EventHandle) -> Bool {
        let i = Int(handle.slot)
        guard i < generation.count, generation[i] == handle.generation, state[i] == .pending
        else { return false }
        state[i] = .cancelled
        return true
    }

    @inlinable
    func isCancelled(_ slot: UInt32) -> Bool { state[Int(slot)] == .cancelled }

    /// Frees the slot of an event leaving the queue, fired or cancelled.
    @inlinable
    mutating func release(_ slot: UInt32) {
        let i = Int(slot)
        state[i] = .free
        generation[i] &+= 1
        freeList.append(slot)
    }
}

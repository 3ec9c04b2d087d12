/// A growable first-in first-out queue in one contiguous circular buffer.
/// `append` and `removeFirst` are O(1) (amortised for `append`: the buffer doubles and then
/// is reused, so a queue in steady state never allocates).
public struct RingBuffer<Element> {
    @usableFromInline var storage: [Element?]
    @usableFromInline var head = 0
    @usableFromInline var length = 0

    public init(capacity: Int = 16) {
        storage = Array(repeating: nil, count: Swift.max(capacity, 1))
    }

    @inlinable public var count: Int { length }
    @inlinable public var isEmpty: Bool { length == 0 }
    @inlinable public var first: Element? { length == 0 ? nil : storage[head] }

    @inlinable
    public mutating func append(_ element: Element) {
        if length == storage.count { grow() }
        var tail = head + length
        if tail >= storage.count { tail -= storage.count }
        storage[tail] = element
        length += 1
    }

    @inlinable @discardableResult
    public mutating func removeFirst() -> Element {
        precondition(length > 0, "removeFirst on an empty RingBuffer")
        let element = storage[head].unsafelyUnwrapped
        storage[head] = nil
        head += 1
        if head == storage.count { head = 0 }
        length -= 1
        return element
    }

    /// The element `offset` places behind the first (0 is the first).
    @inlinable public subscript(offset: Int) -> Element {
        get {
            precondition(offset >= 0 && offset < length, "RingBuffer index out of range")
            var i = head + offset
            if i >= storage.count { i -= storage.count }
            return storage[i].unsafelyUnwrapped
        }
        set {
            precondition(offset >= 0 && offset < length, "RingBuffer index out of range")
            var i = head + offset
            if i >= storage.count { i -= storage.count }
            storage[i] = newValue
        }
    }

    /// Removes the element at `offset`, keeping the order of the others. O(n).
    @inlinable @discardableResult
    public mutating func remove(at offset: Int) -> Element {
        let element = self[offset]
        var i = offset
        while i < length - 1 { self[i] = self[i + 1]; i += 1 }
        var last = head + length - 1
        if last >= storage.count { last -= storage.count }
        storage[last] = nil
        length -= 1
        return element
    }

    @usableFromInline
    mutating func grow() {
        var bigger = [Element?](repeating: nil, count: storage.count * 2)
        for i in 0..<length { bigger[i] = self[i] }
        storage = bigger
        head = 0
    }
}

/// A growable first-in first-out queue in one contiguous circular buffer.
/// `append` and `removeFirst` are O(1) (amortised for `append`: the buffer doubles and then
/// is reused, so a queue in steady state never allocates).
///
/// A value type with copy-on-write. The elements live in one `ManagedBuffer` whose capacity
/// is a power of two, so wrapping an index is a mask; slots are raw memory (not `Element?`),
/// so the hot paths do no optional wrapping and no bounds checks beyond the preconditions.
public struct RingBuffer<Element> {
    @usableFromInline
    struct Header {
        /// A power of two.
        @usableFromInline var capacity: Int
        @usableFromInline var head: Int
        @usableFromInline var count: Int

        @inlinable init(capacity: Int) { self.capacity = capacity; head = 0; count = 0 }
    }

    @usableFromInline
    final class Storage: ManagedBuffer<Header, Element> {
        @inlinable
        static func make(capacity: Int) -> Storage {
            let s = Storage.create(minimumCapacity: capacity) { _ in Header(capacity: capacity) }
            return unsafeDowncast(s, to: Storage.self)
        }

        /// A copy holding the same elements, from offset 0, in `capacity` slots.
        @inlinable
        func copy(capacity: Int) -> Storage {
            let new = Storage.make(capacity: capacity)
            withUnsafeMutablePointers { h, e in
                new.withUnsafeMutablePointers { nh, ne in
                    let mask = h.pointee.capacity &- 1
                    for i in 0..<h.pointee.count {
                        (ne + i).initialize(to: e[(h.pointee.head &+ i) & mask])
                    }
                    nh.pointee.count = h.pointee.count
                }
            }
            return new
        }

        deinit {
            withUnsafeMutablePointers { h, e in
                let mask = h.pointee.capacity &- 1
                for i in 0..<h.pointee.count { (e + ((h.pointee.head &+ i) & mask)).deinitialize(count: 1) }
            }
        }
    }

    @usableFromInline var storage: Storage

    public init(capacity: Int = 16) {
        var c = 1
        while c < capacity { c &<<= 1 }
        storage = Storage.make(capacity: c)
    }

    @inlinable public var count: Int { storage.header.count }
    @inlinable public var isEmpty: Bool { storage.header.count == 0 }
    @inlinable public var first: Element? { isEmpty ? nil : self[0] }

    /// Copy-on-write: clones the storage if another RingBuffer value shares it.
    @inlinable @inline(__always)
    mutating func makeUnique() {
        if _slowPath(!isKnownUniquelyReferenced(&storage)) {
            storage = storage.copy(capacity: storage.header.capacity)
        }
    }

    @inlinable @inline(__always)
    public mutating func append(_ element: Element) {
        makeUnique()
        if _slowPath(storage.header.count == storage.header.capacity) { grow() }
        storage.withUnsafeMutablePointers { h, e in
            let tail = (h.pointee.head &+ h.pointee.count) & (h.pointee.capacity &- 1)
            (e + tail).initialize(to: element)
            h.pointee.count &+= 1
        }
    }

    @inlinable @inline(__always) @discardableResult
    public mutating func removeFirst() -> Element {
        precondition(!isEmpty, "removeFirst on an empty RingBuffer")
        makeUnique()
        return storage.withUnsafeMutablePointers { h, e in
            let head = h.pointee.head
            h.pointee.head = (head &+ 1) & (h.pointee.capacity &- 1)
            h.pointee.count &-= 1
            return (e + head).move()
        }
    }

    /// The element `offset` places behind the first (0 is the first).
    @inlinable public subscript(offset: Int) -> Element {
        get {
            precondition(offset >= 0 && offset < count, "RingBuffer index out of range")
            return storage.withUnsafeMutablePointers { h, e in
                e[(h.pointee.head &+ offset) & (h.pointee.capacity &- 1)]
            }
        }
        set {
            precondition(offset >= 0 && offset < count, "RingBuffer index out of range")
            makeUnique()
            storage.withUnsafeMutablePointers { h, e in
                e[(h.pointee.head &+ offset) & (h.pointee.capacity &- 1)] = newValue
            }
        }
    }

    /// Removes the element at `offset`, keeping the order of the others. O(n).
    @inlinable @discardableResult
    public mutating func remove(at offset: Int) -> Element {
        precondition(offset >= 0 && offset < count, "RingBuffer index out of range")
        makeUnique()
        return storage.withUnsafeMutablePointers { h, e in
            let mask = h.pointee.capacity &- 1, head = h.pointee.head
            let element = (e + ((head &+ offset) & mask)).move()
            var i = offset
            while i < h.pointee.count &- 1 {
                (e + ((head &+ i) & mask)).initialize(to: (e + ((head &+ i &+ 1) & mask)).move())
                i &+= 1
            }
            h.pointee.count &-= 1
            return element
        }
    }

    @usableFromInline @inline(never)
    mutating func grow() {
        storage = storage.copy(capacity: storage.header.capacity &* 2)
    }
}

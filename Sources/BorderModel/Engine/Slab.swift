/// The engine's hot-path storage: elements behind one pointer, written in place with no
/// copy-on-write check per write (a Swift array checks that its buffer is unique on every
/// element write, a runtime call; callgrind counted 23 of them per M/M/1 customer).
///
/// **Reference semantics**: copies of a slab (and of the `Table`, `ByClass`, `PartyPool` and
/// `ServicePoint` that hold one) share its elements. The engine owns one of each per
/// replication and never copies one to change the copy; readers (result assembly, rules) only
/// read. Indices are checked in debug builds (the tests), not in release.
final class Slab<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count: Int
    private var capacity: Int

    init(_ elements: [Element], reserve: Int = 0) {
        capacity = Swift.max(elements.count, reserve, 1)
        base = .allocate(capacity: capacity)
        count = elements.count
        elements.withUnsafeBufferPointer { b in
            if let a = b.baseAddress { base.initialize(from: a, count: b.count) }
        }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    subscript(i: Int) -> Element {
        @inline(__always) unsafeAddress {
            assert(i >= 0 && i < count, "Slab index \(i) out of 0..<\(count)")
            return UnsafePointer(base + i)
        }
        @inline(__always) unsafeMutableAddress {
            assert(i >= 0 && i < count, "Slab index \(i) out of 0..<\(count)")
            return base + i
        }
    }

    /// Adds an element at the end (doubling the storage when full).
    @inline(__always)
    func append(_ x: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: x)
        count += 1
    }

    /// Removes and returns the last element, if any (a stack's pop).
    @inline(__always)
    func popLast() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        return (base + count).move()
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// A copy of the elements, as an array (for reporting).
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
    var isEmpty: Bool { count == 0 }
    var indices: Range<Int> { 0..<count }
}

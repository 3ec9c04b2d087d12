/// Typed indices into the configuration's arrays, so that a lane index cannot be used for a
/// class or a station, and tables by (lane, class) do their own index arithmetic. Each ID is an
/// `Int32` (parties and events carry them, so they stay small).
protocol EntityID: Hashable {
    init(_ index: Int)
    var index: Int { get }
}

/// An index into the configuration's array of one kind of entity; `Kind` only tells the kinds
/// apart (`LaneID` and `ClassID` are different types).
struct TypedIndex<Kind>: EntityID {
    let raw: Int32
    init(_ index: Int) { raw = Int32(truncatingIfNeeded: index) }
    var index: Int { Int(raw) }
    static func == (a: Self, b: Self) -> Bool { a.raw == b.raw }
    func hash(into h: inout Hasher) { h.combine(raw) }
}

enum LaneKind {}
enum ClassKind {}
enum StationKind {}
enum ViolationKind {}
enum PartyKind {}
typealias LaneID = TypedIndex<LaneKind>
typealias ClassID = TypedIndex<ClassKind>
typealias StationID = TypedIndex<StationKind>
/// A violation type; `none` for a party carrying nothing.
typealias ViolationID = TypedIndex<ViolationKind>
/// A slot of the party pool; `none` for an idle position.
typealias PartyID = TypedIndex<PartyKind>

extension TypedIndex where Kind == ViolationKind {
    static var none: ViolationID { ViolationID(-1) }
    var exists: Bool { raw >= 0 }
}

extension TypedIndex where Kind == PartyKind {
    static var none: PartyID { PartyID(-1) }
    var exists: Bool { raw >= 0 }
}

/// An array indexed by one kind of ID (a `Slab`: written in place, shared by copies).
struct Table<ID: EntityID, Element> {
    let storage: Slab<Element>
    init(_ elements: [Element]) { storage = Slab(elements) }
    init(repeating value: Element, count: Int) { storage = Slab(Array(repeating: value, count: count)) }
    var count: Int { storage.count }
    /// A copy of the elements (for reporting).
    var elements: [Element] { storage.array }
    var ids: LazyMapSequence<Range<Int>, ID> { (0..<storage.count).lazy.map { ID($0) } }
    subscript(id: ID) -> Element {
        @inline(__always) unsafeAddress { UnsafePointer(storage.base + id.index) }
        @inline(__always) nonmutating unsafeMutableAddress { storage.base + id.index }
    }
}

/// A table by (entity, class): lane × class flows, station × class waits. Row-major, as the
/// result files lay them out. A `Slab` (written in place, shared by copies).
struct ByClass<Row: EntityID, Element> {
    let storage: Slab<Element>
    let classCount: Int
    init(rows: Int, classes: Int, _ make: (Row, ClassID) -> Element) {
        classCount = classes
        var e: [Element] = []
        e.reserveCapacity(rows * classes)
        for r in 0..<rows { for c in 0..<classes { e.append(make(Row(r), ClassID(c))) } }
        storage = Slab(e)
    }
    /// A copy of the elements (for reporting).
    var elements: [Element] { storage.array }
    subscript(row: Row, c: ClassID) -> Element {
        @inline(__always) unsafeAddress { UnsafePointer(storage.base + (row.index &* classCount &+ c.index)) }
        @inline(__always) nonmutating unsafeMutableAddress { storage.base + (row.index &* classCount &+ c.index) }
    }
    /// The elements of one row (all classes), in class order.
    func row(_ r: Row) -> ArraySlice<Element> { elements[(r.index * classCount)..<((r.index + 1) * classCount)] }
}

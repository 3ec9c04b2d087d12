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

/// An array indexed by one kind of ID.
struct Table<ID: EntityID, Element> {
    var elements: [Element]
    init(_ elements: [Element]) { self.elements = elements }
    init(repeating value: Element, count: Int) { elements = Array(repeating: value, count: count) }
    var count: Int { elements.count }
    var ids: LazyMapSequence<Range<Int>, ID> { elements.indices.lazy.map { ID($0) } }
    subscript(id: ID) -> Element {
        @inline(__always) _read { yield elements[id.index] }
        @inline(__always) _modify { yield &elements[id.index] }
    }
}

/// A table by (entity, class): lane × class flows, station × class waits. Row-major, as the
/// result files lay them out.
struct ByClass<Row: EntityID, Element> {
    var elements: [Element]
    let classCount: Int
    init(rows: Int, classes: Int, _ make: (Row, ClassID) -> Element) {
        classCount = classes
        var e: [Element] = []
        e.reserveCapacity(rows * classes)
        for r in 0..<rows { for c in 0..<classes { e.append(make(Row(r), ClassID(c))) } }
        elements = e
    }
    subscript(row: Row, c: ClassID) -> Element {
        @inline(__always) _read { yield elements[row.index &* classCount &+ c.index] }
        @inline(__always) _modify { yield &elements[row.index &* classCount &+ c.index] }
    }
    /// The elements of one row (all classes), in class order.
    func row(_ r: Row) -> ArraySlice<Element> { elements[(r.index * classCount)..<((r.index + 1) * classCount)] }
}

import CHDF5
import Foundation

/// Variable-length strings (and dimension-scale lists) are read from the file by bordersim, not by libhdf5.
///
/// Why: they live in HDF5's global heap, and libhdf5 1.10 (Debian 12) follows a string's heap
/// reference without checking it — a damaged index reads through a wild pointer, a damaged
/// length overruns a buffer (`make fuzz` found the first in a result file). The references
/// are only visible in the raw element bytes, and HDF5 shows those to one place for every
/// layout (contiguous, chunked, compact, attributes in dense storage): the type conversion
/// from the file's type to the memory one. So `H5.prepare()` registers `convertFromFile` as
/// that conversion; it checks each reference against the collection the file really holds
/// ("GCOL" at that address, the object index present, its size equal to the string's) and
/// copies the bytes out itself.
///
/// The conversion needs the file's bytes: every read that may convert strings runs inside
/// `H5VariableStrings.reading(object) { }`, which names the file. A conversion outside one is
/// refused, so a read path that forgot it fails in the tests instead of trusting the library.
enum H5VariableStrings {
    /// Runs `body` (an HDF5 call on `object` that may read strings) with `object`'s file as the
    /// source of string bytes; a damaged reference becomes an error naming `what`.
    static func reading<T>(_ object: hid_t, _ what: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        let fileID = H5Iget_file_id(object)
        guard fileID >= 0 else { throw HDF5Error.current("find the file of \(what())") }
        defer { H5Fclose(fileID) }
        var intent: UInt32 = 0
        // A file being written may hold strings only in HDF5's cache: put them on disk first.
        if H5Fget_intent(fileID, &intent) >= 0, intent & bordersim_H5F_ACC_RDWR() != 0 {
            try H5.check(H5Fflush(fileID, H5F_SCOPE_LOCAL), "flush \(what())")
        }
        let heap = GlobalHeap(path: try readName("find the file name of \(what())") { H5Fget_name(fileID, $0, $1) })
        let outer = Thread.current.threadDictionary[heapKey]
        Thread.current.threadDictionary[heapKey] = heap
        defer { Thread.current.threadDictionary[heapKey] = outer }
        do {
            return try body()
        } catch let error as HDF5Error {
            guard let damage = heap.damage else { throw error }
            throw HDF5Error(operation: "\(what()): a damaged string reference (\(damage))", stack: [])
        }
    }

    /// The heap of the innermost `reading` on this thread (HDF5 calls the conversion on the caller's thread).
    fileprivate static var current: GlobalHeap? { Thread.current.threadDictionary[heapKey] as? GlobalHeap }
    private static let heapKey = "bordersim.h5.strings"

    /// Registered once; HDF5 asks it first for every variable-length → variable-length path.
    /// It takes the two bordersim reads: file strings → `char *`, and file lists of object
    /// references (dimension scales) → `hvl_t`; every other path stays with the library.
    static func register() {
        guard let memory = try? makeStringType() else { return }
        defer { H5Tclose(memory) }
        _ = H5Tregister(H5T_PERS_SOFT, "bordersim checked heap reads", memory, memory, convertFromFile)
    }

    /// The memory type of a list of object references (a dimension's scales); the caller closes it.
    static func referenceListType() throws -> hid_t {
        try H5.id(H5Tvlen_create(bordersim_H5T_STD_REF_OBJ()), "create a reference list type")
    }
}

/// What a path of `convertFromFile` makes, kept in the path's private data.
private enum FileElements: Int {
    case strings = 1, references
    static let referenceBytes = 8

    /// The kind for a path from `source` to `destination`, or nil when it is not a file → memory read.
    init?(from source: hid_t, to destination: hid_t) {
        if H5Tis_variable_str(source) > 0, H5Tis_variable_str(destination) > 0 {
            // A file string is a 16-byte heap reference, a memory string a pointer.
            guard H5Tget_size(source) == GlobalHeap.referenceBytes, H5Tget_size(destination) == MemoryLayout<UnsafeRawPointer>.size else { return nil }
            self = .strings
            return
        }
        guard H5Tget_class(source) == H5T_VLEN, H5Tget_class(destination) == H5T_VLEN,
              let memory = try? H5VariableStrings.referenceListType() else { return nil }
        defer { H5Tclose(memory) }
        // Same sizes both ways: only the location tells a file list from a memory one.
        guard H5Tequal(destination, memory) > 0, H5Tequal(source, memory) == 0 else { return nil }
        let base = H5Tget_super(source)
        guard base >= 0 else { return nil }
        defer { H5Tclose(base) }
        guard H5Tget_class(base) == H5T_REFERENCE, H5Tget_size(base) == FileElements.referenceBytes else { return nil }
        self = .references
    }
}

/// The HDF5 conversion callback (see `H5VariableStrings`). Elements are converted in place, and
/// every reference is read and checked before anything is written or allocated: a refused read
/// leaves the buffer untouched.
private let convertFromFile: H5T_conv_t = { source, destination, cdata, count, stride, _, buffer, _, _ in
    guard let cdata else { return -1 }
    switch cdata.pointee.command {
    case H5T_CONV_INIT:
        cdata.pointee.need_bkg = H5T_BKG_NO
        guard let kind = FileElements(from: source, to: destination) else { return -1 }
        cdata.pointee.priv = UnsafeMutableRawPointer(bitPattern: kind.rawValue)   // a tag, never freed
        return 0
    case H5T_CONV_CONV:
        guard let buffer, let heap = H5VariableStrings.current,
              let kind = FileElements(rawValue: Int(bitPattern: cdata.pointee.priv)) else { return -1 }
        let inStride = stride == 0 ? GlobalHeap.referenceBytes : stride
        let outStride = stride == 0 ? (kind == .strings ? MemoryLayout<UnsafeRawPointer>.size : MemoryLayout<hvl_t>.size) : stride
        let elementBytes = kind == .strings ? 1 : FileElements.referenceBytes
        func reference(_ i: Int) -> GlobalHeap.Reference {
            let p = buffer + i * inStride
            return .init(length: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)),
                         address: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt64.self)),
                         index: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        }
        guard let objects = try? (0..<count).map({ try heap.object(reference($0), elementBytes: elementBytes, element: $0) }) else {
            return -1
        }
        for (i, bytes) in objects.enumerated() {
            // Freed by the library (H5Dvlen_reclaim) with free(): so malloc.
            var copy: UnsafeMutableRawPointer? = nil
            if let bytes {
                guard let m = malloc(bytes.count + 1) else { return -1 }
                bytes.withUnsafeBytes { if let b = $0.baseAddress { m.copyMemory(from: b, byteCount: $0.count) } }
                m.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
                copy = m
            }
            switch kind {
            case .strings: (buffer + i * outStride).storeBytes(of: copy, as: UnsafeMutableRawPointer?.self)
            case .references: (buffer + i * outStride).storeBytes(of: hvl_t(len: (bytes?.count ?? 0) / elementBytes, p: copy), as: hvl_t.self)
            }
        }
        return 0
    default:
        return 0
    }
}

/// The global-heap collections of one file, read from its bytes and checked as they are used.
final class GlobalHeap {
    static let referenceBytes = 16   // length (4), collection address (8), object index (4)

    struct Reference { var length: UInt32, address: UInt64, index: UInt32 }
    struct Damaged: Error {}

    private let path: String
    private var handle: FileHandle?
    private var size = 0
    private var collections: [UInt64: [UInt16: Range<Int>]] = [:]   // address → index → object bytes
    /// Why the last conversion was refused.
    private(set) var damage: String?

    init(path: String) { self.path = path }
    deinit { try? handle?.close() }

    /// The bytes an element refers to (nil for a null one); throws, with `damage` set, unless
    /// the reference names an object of its length (in elements of `elementBytes`) in a collection.
    func object(_ r: Reference, elementBytes: Int, element: Int) throws -> Data? {
        if r.address == 0 && r.length == 0 { return nil }   // a null string
        guard r.index >= 1, r.index <= UInt32(UInt16.max) else { throw refuse("element \(element): heap object index \(r.index)") }
        if collections[r.address] == nil {
            guard let objects = read(collectionAt: r.address) else { throw Damaged() }
            collections[r.address] = objects
        }
        guard let range = collections[r.address]?[UInt16(r.index)], range.count == Int(r.length) * elementBytes,
              let bytes = bytes(range.lowerBound, range.count) else {
            throw refuse("element \(element): no heap object \(r.index) of \(Int(r.length) * elementBytes) bytes at \(r.address)")
        }
        return bytes
    }

    private func refuse(_ why: String) -> Damaged {
        damage = why
        return Damaged()
    }

    /// The objects of the collection at `address`, each checked to lie inside it.
    private func read(collectionAt address: UInt64) -> [UInt16: Range<Int>]? {
        guard address <= UInt64(Int.max), let head = bytes(Int(address), 16), head.prefix(4) == Data("GCOL".utf8) else {
            damage = "no heap collection at \(address)"
            return nil
        }
        let at = Int(address), total = head.load(UInt64.self, at: 8)
        guard total >= 16, total <= UInt64(size), at <= size - Int(total), let body = bytes(at, Int(total)) else {
            damage = "a heap collection at \(address) larger than the file"
            return nil
        }
        var out: [UInt16: Range<Int>] = [:], p = 16
        while p + 16 <= body.count {
            let index = body.load(UInt16.self, at: p), objectSize = body.load(UInt64.self, at: p + 8)
            if index == 0 { break }                                          // free space: the end
            guard objectSize <= UInt64(body.count - p - 16) else {
                damage = "heap object \(index) overruns its collection at \(address)"
                return nil
            }
            out[index] = (at + p + 16) ..< (at + p + 16 + Int(objectSize))
            p += 16 + (Int(objectSize) + 7) / 8 * 8
        }
        return out
    }

    private func bytes(_ at: Int, _ n: Int) -> Data? {
        if handle == nil {
            guard let h = FileHandle(forReadingAtPath: path) else { damage = "cannot reopen the file"; return nil }
            handle = h
            size = (try? h.seekToEnd()).map(Int.init) ?? 0
        }
        guard let handle, at >= 0, n >= 0, at <= size - n else { return nil }
        try? handle.seek(toOffset: UInt64(at))
        guard let d = try? handle.read(upToCount: n), d.count == n else { return n == 0 ? Data() : nil }
        return d
    }
}

private extension Data {
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var v: T = 0
        Swift.withUnsafeMutableBytes(of: &v) { dst in
            let start = index(startIndex, offsetBy: offset)
            copyBytes(to: dst, from: start ..< index(start, offsetBy: MemoryLayout<T>.size))
        }
        return T(littleEndian: v)
    }
}

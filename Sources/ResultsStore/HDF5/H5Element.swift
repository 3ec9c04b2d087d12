import CHDF5

/// Numeric element types stored in datasets and attributes, with their HDF5 memory type.
public protocol H5Element: Sendable {
    static var h5Type: hid_t { get }
    /// Name used in messages ("float64", "int64", ...).
    static var h5Name: String { get }
}

extension Double: H5Element {
    public static var h5Type: hid_t { bordersim_H5T_NATIVE_DOUBLE() }
    public static var h5Name: String { "float64" }
}
extension Int64: H5Element {
    public static var h5Type: hid_t { bordersim_H5T_NATIVE_INT64() }
    public static var h5Name: String { "int64" }
}
extension Int32: H5Element {
    public static var h5Type: hid_t { bordersim_H5T_NATIVE_INT32() }
    public static var h5Name: String { "int32" }
}
extension UInt8: H5Element {
    public static var h5Type: hid_t { bordersim_H5T_NATIVE_UINT8() }
    public static var h5Name: String { "uint8" }
}
extension UInt64: H5Element {
    public static var h5Type: hid_t { bordersim_H5T_NATIVE_UINT64() }
    public static var h5Name: String { "uint64" }
}

/// An array of `count` zero values (all element types are plain numbers).
func zeroed<T: H5Element>(_ count: Int) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialised in
        UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
        initialised = count
    }
}

/// The kind of values a stored dataset or attribute holds, as found on disk.
public enum H5ValueKind: Equatable, Sendable, CustomStringConvertible {
    case float(bytes: Int)
    case signed(bytes: Int)
    case unsigned(bytes: Int)
    case string
    case other

    public var description: String {
        switch self {
        case .float(let b): return "float\(b * 8)"
        case .signed(let b): return "int\(b * 8)"
        case .unsigned(let b): return "uint\(b * 8)"
        case .string: return "string"
        case .other: return "other"
        }
    }

    static func of(type t: hid_t) -> H5ValueKind {
        let size = H5Tget_size(t)
        switch H5Tget_class(t) {
        case H5T_FLOAT: return .float(bytes: size)
        case H5T_INTEGER: return H5Tget_sign(t) == H5T_SGN_NONE ? .unsigned(bytes: size) : .signed(bytes: size)
        case H5T_STRING: return .string
        default: return .other
        }
    }
}

/// A variable-length UTF-8 string type; the caller closes it.
func makeStringType() throws -> hid_t {
    let t = try H5.id(H5Tcopy(bordersim_H5T_C_S1()), "create a string type")
    try H5.check(H5Tset_size(t, Int(bitPattern: UInt(bitPattern: -1))), "set a variable string size")
    try H5.check(H5Tset_cset(t, H5T_CSET_UTF8), "set UTF-8 strings")
    return t
}

/// A simple dataspace of the given shape (scalar when the shape is empty); the caller closes it.
func makeSpace(_ shape: [Int], maxShape: [Int?]? = nil) throws -> hid_t {
    if shape.isEmpty { return try H5.id(H5Screate(H5S_SCALAR), "create a scalar dataspace") }
    let dims = shape.map { hsize_t($0) }
    if let maxShape {
        let maxDims = maxShape.map { $0.map { hsize_t($0) } ?? bordersim_H5S_UNLIMITED() }
        return try H5.id(H5Screate_simple(Int32(dims.count), dims, maxDims), "create a dataspace of shape \(shape)")
    }
    return try H5.id(H5Screate_simple(Int32(dims.count), dims, nil), "create a dataspace of shape \(shape)")
}

/// The shape of a dataspace.
func shapeOf(space: hid_t) throws -> [Int] {
    let rank = H5Sget_simple_extent_ndims(space)
    if rank < 0 { throw HDF5Error.current("read a dataspace's rank") }
    if rank == 0 { return [] }
    var dims = [hsize_t](repeating: 0, count: Int(rank))
    try H5.check(H5Sget_simple_extent_dims(space, &dims, nil), "read a dataspace's shape")
    // hsize_t is unsigned 64-bit: a dimension past Int.max (a damaged or hostile file) is refused.
    guard dims.allSatisfy({ $0 <= hsize_t(Int.max) }) else { throw HDF5Error(operation: "a dataspace dimension is out of range", stack: []) }
    return dims.map { Int($0) }
}

/// The number of values of a shape, refused when it exceeds what a file of `fileBytes` can hold
/// (1024 × its size, at least 1 GiB of values: compression rarely does better) or overflows.
/// A file's header cannot make the reader allocate more than its own size warrants.
func checkedCount(_ shape: [Int], elementBytes: Int, fileBytes: Int, what: String) throws -> Int {
    var count = 1
    for d in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow, d >= 0 else { throw HDF5Error(operation: "\(what): shape \(shape) is too large to read", stack: []) }
        count = product
    }
    let allowed = max(1 << 30, fileBytes.multipliedReportingOverflow(by: 1024).overflow ? Int.max : fileBytes * 1024)
    let (bytes, overflow) = count.multipliedReportingOverflow(by: max(1, elementBytes))
    guard !overflow, bytes <= allowed else {
        throw HDF5Error(operation: "\(what): \(count) values (shape \(shape)) cannot come from a file of \(fileBytes) bytes; refusing to read them", stack: [])
    }
    return count
}

extension H5Object {
    /// The size of the file this object is in (0 if unknown).
    var fileBytes: Int {
        let file = H5Iget_file_id(id)
        guard file >= 0 else { return 0 }
        defer { H5Fclose(file) }
        var size: hsize_t = 0
        return H5Fget_filesize(file, &size) >= 0 && size <= hsize_t(Int.max) ? Int(size) : 0
    }
}

/// Writes UTF-8 strings through HDF5's variable-length string interface (an array of C strings).
func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { UnsafePointer<CChar>($0) }
    if pointers.isEmpty { pointers = [nil] }  // a valid base address even for no strings
    return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
}

import Foundation

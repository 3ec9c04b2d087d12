import CHDF5

/// Attributes: small named values on a group or dataset (numbers, arrays of numbers, strings,
/// arrays of strings). Writing an attribute that exists replaces it.
extension H5Object {
    public func setAttribute<T: H5Element>(_ name: String, _ value: T) throws {
        try setAttribute(name, [value], shape: [])
    }

    public func setAttribute<T: H5Element>(_ name: String, _ values: [T]) throws {
        try setAttribute(name, values, shape: [values.count])
    }

    public func setAttribute(_ name: String, _ value: String) throws {
        try setStrings(name, [value], shape: [])
    }

    public func setAttribute(_ name: String, _ values: [String]) throws {
        try setStrings(name, values, shape: [values.count])
    }

    private func setAttribute<T: H5Element>(_ name: String, _ values: [T], shape: [Int]) throws {
        let attribute = try createAttribute(name, type: T.h5Type, shape: shape)
        defer { H5Aclose(attribute) }
        if !values.isEmpty {
            try values.withUnsafeBytes { try H5.check(H5Awrite(attribute, T.h5Type, $0.baseAddress), "write attribute \(name) of \(path)") }
        }
    }

    private func setStrings(_ name: String, _ values: [String], shape: [Int]) throws {
        let type = try makeStringType()
        defer { H5Tclose(type) }
        let attribute = try createAttribute(name, type: type, shape: shape)
        defer { H5Aclose(attribute) }
        if !values.isEmpty {
            try withCStrings(values) { try H5.check(H5Awrite(attribute, type, $0), "write attribute \(name) of \(path)") }
        }
    }

    private func createAttribute(_ name: String, type: hid_t, shape: [Int]) throws -> hid_t {
        if H5Aexists(id, name) > 0 { try H5.check(H5Adelete(id, name), "replace attribute \(name) of \(path)") }
        let space = try makeSpace(shape)
        defer { H5Sclose(space) }
        return try H5.id(H5Acreate2(id, name, type, space, H5.defaultList, H5.defaultList), "create attribute \(name) of \(path)")
    }

    /// Whether the attribute exists.
    public func hasAttribute(_ name: String) -> Bool { H5Aexists(id, name) > 0 }

    /// Names of all attributes, in name order.
    public func attributeNames() throws -> [String] {
        // In storage order, sorted here: as `memberNames`, no table of them is built by HDF5.
        try NameList.collect("list attributes of \(path)") { list in
            var index: hsize_t = 0
            return H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_NATIVE, &index, { _, name, _, list in NameList.add(name, to: list) }, list)
        }
    }

    /// The kind and shape of an attribute.
    public func attributeInfo(_ name: String) throws -> (kind: H5ValueKind, shape: [Int]) {
        let attribute = try openAttribute(name)
        defer { H5Aclose(attribute) }
        let type = try H5.id(H5Aget_type(attribute), "read the type of attribute \(name)")
        defer { H5Tclose(type) }
        let space = try H5.id(H5Aget_space(attribute), "read the shape of attribute \(name)")
        defer { H5Sclose(space) }
        return (H5ValueKind.of(type: type), try shapeOf(space: space))
    }

    /// Reads a numeric attribute (scalar or array) converted to `T` by HDF5.
    public func attribute<T: H5Element>(_ name: String, as: T.Type = T.self) throws -> [T] {
        let attribute = try openAttribute(name)
        defer { H5Aclose(attribute) }
        let space = try H5.id(H5Aget_space(attribute), "read the shape of attribute \(name)")
        defer { H5Sclose(space) }
        let count = max(1, try checkedCount(try shapeOf(space: space), elementBytes: 16, fileBytes: fileBytes, what: "attribute \(name) of \(path)"))
        let type = try H5.id(H5Aget_type(attribute), "read the type of attribute \(name)")
        let kind = H5ValueKind.of(type: type)
        H5Tclose(type)
        if kind == .string || kind == .other {
            throw HDF5Error(operation: "attribute \(name) of \(path) holds \(kind) values, expected \(T.h5Name)", stack: [])
        }
        var values: [T] = zeroed(count)
        try values.withUnsafeMutableBytes { try H5.check(H5Aread(attribute, T.h5Type, $0.baseAddress), "read attribute \(name) of \(path)") }
        return values
    }

    /// Reads a string attribute (scalar or array; fixed or variable length).
    public func stringAttribute(_ name: String) throws -> [String] {
        let attribute = try openAttribute(name)
        defer { H5Aclose(attribute) }
        let fileType = try H5.id(H5Aget_type(attribute), "read the type of attribute \(name)")
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw HDF5Error(operation: "attribute \(name) of \(path) holds \(H5ValueKind.of(type: fileType)) values, expected a string", stack: [])
        }
        let space = try H5.id(H5Aget_space(attribute), "read the shape of attribute \(name)")
        defer { H5Sclose(space) }
        let count = max(1, try checkedCount(try shapeOf(space: space), elementBytes: 16, fileBytes: fileBytes, what: "attribute \(name) of \(path)"))
        return try readStringValues(of: attribute, "attribute \(name) of \(path)", count: count, fileType: fileType, space: space) { type, buffer in
            try H5.check(H5Aread(attribute, type, buffer), "read attribute \(name) of \(path)")
        }
    }

    /// Opens an attribute that must exist; the caller closes it.
    func openAttribute(_ name: String) throws -> hid_t {
        guard H5Aexists(id, name) > 0 else {
            throw HDF5Error(operation: "\(path) has no attribute '\(name)'", stack: [])
        }
        return try H5.id(H5Aopen(id, name, H5.defaultList), "open attribute \(name) of \(path)")
    }
}

/// Reads `count` strings of a dataset or attribute (`object`, called `what`), whether stored
/// with variable or fixed length.
func readStringValues(of object: hid_t, _ what: String, count: Int, fileType: hid_t, space: hid_t,
                      read: (hid_t, UnsafeMutableRawPointer) throws -> Void) throws -> [String] {
    if H5Tis_variable_str(fileType) > 0 {
        let type = try makeStringType()
        defer { H5Tclose(type) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        do {
            try H5VariableStrings.reading(object, what) { try pointers.withUnsafeMutableBytes { try read(type, $0.baseAddress!) } }
        } catch {
            // A chunked dataset is converted chunk by chunk: the chunks before a damaged one
            // are already strings here, and HDF5 leaves them to the caller.
            for p in pointers { free(p) }
            throw error
        }
        let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
        try pointers.withUnsafeMutableBytes {
            try H5.check(H5Dvlen_reclaim(type, space, H5.defaultList, $0.baseAddress), "free strings")
        }
        return strings
    }
    let size = H5Tget_size(fileType)
    let type = try H5.id(H5Tcopy(fileType), "copy a string type")
    defer { H5Tclose(type) }
    var bytes = [UInt8](repeating: 0, count: size * count + 1)
    try bytes.withUnsafeMutableBytes { try read(type, $0.baseAddress!) }
    return (0..<count).map { i in
        let slice = bytes[i * size ..< (i + 1) * size]
        let end = slice.firstIndex(of: 0) ?? slice.endIndex
        return String(decoding: bytes[i * size ..< end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}

import Foundation

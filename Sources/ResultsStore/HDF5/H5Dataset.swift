import CHDF5

/// How a dataset is laid out on disk.
public enum H5Storage: Sendable, Equatable {
    /// One contiguous block: small tables, axes.
    case contiguous
    /// Chunks of the given shape, optionally shuffled and deflate-compressed (level 1–9): long
    /// series, read a slice at a time.
    case chunked([Int], deflate: Int? = 4)
}

/// A dataset: an n-dimensional array of numbers or strings.
public final class H5Dataset: H5Object {
    /// Current shape.
    public func shape() throws -> [Int] {
        let space = try H5.id(H5Dget_space(id), "read the shape of \(path)")
        defer { H5Sclose(space) }
        return try shapeOf(space: space)
    }

    /// What the stored values are.
    public func kind() throws -> H5ValueKind {
        let type = try H5.id(H5Dget_type(id), "read the type of \(path)")
        defer { H5Tclose(type) }
        return H5ValueKind.of(type: type)
    }

    /// Chunk shape, or nil for contiguous storage; and whether deflate is on.
    public func storage() throws -> (chunk: [Int]?, deflate: Bool) {
        let plist = try H5.id(H5Dget_create_plist(id), "read the storage of \(path)")
        defer { H5Pclose(plist) }
        guard H5Pget_layout(plist) == H5D_CHUNKED else { return (nil, false) }
        let rank = try shape().count
        var dims = [hsize_t](repeating: 0, count: rank)
        if H5Pget_chunk(plist, Int32(rank), &dims) < 0 { throw HDF5Error.current("read the chunks of \(path)") }
        var deflate = false
        for i in 0..<H5Pget_nfilters(plist) {
            // No room for the filter's parameters: ask for none (the count is in/out).
            var flags: UInt32 = 0, elements = 0
            if H5Pget_filter2(plist, UInt32(i), &flags, &elements, nil, 0, nil, nil) == H5Z_FILTER_DEFLATE { deflate = true }
        }
        return (dims.map { Int($0) }, deflate)
    }

    /// All values, converted to `T` by HDF5 (row-major).
    public func read<T: H5Element>(as: T.Type = T.self) throws -> [T] {
        let kind = try kind()
        if kind == .string || kind == .other {
            throw HDF5Error(operation: "\(path) holds \(kind) values, expected \(T.h5Name)", stack: [])
        }
        var values: [T] = zeroed(try checkedCount(try shape(), elementBytes: MemoryLayout<T>.stride, fileBytes: fileBytes, what: path))
        if values.isEmpty { return [] }
        let all = bordersim_H5S_ALL()
        try values.withUnsafeMutableBytes {
            try H5.check(H5Dread(id, T.h5Type, all, all, H5.defaultList, $0.baseAddress), "read \(path)")
        }
        return values
    }

    /// All values of a string dataset (row-major).
    public func readStrings() throws -> [String] {
        let fileType = try H5.id(H5Dget_type(id), "read the type of \(path)")
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw HDF5Error(operation: "\(path) holds \(H5ValueKind.of(type: fileType)) values, expected strings", stack: [])
        }
        let space = try H5.id(H5Dget_space(id), "read the shape of \(path)")
        defer { H5Sclose(space) }
        let count = try checkedCount(try shapeOf(space: space), elementBytes: 16, fileBytes: fileBytes, what: path)
        if count == 0 { return [] }
        let all = bordersim_H5S_ALL()
        return try readStringValues(of: id, path, count: count, fileType: fileType, space: space) { type, buffer in
            try H5.check(H5Dread(id, type, all, all, H5.defaultList, buffer), "read \(path)")
        }
    }

    // MARK: Dimension scales

    /// Makes this dataset a dimension scale (a labelled axis) called `name`.
    public func makeScale(_ name: String) throws {
        try H5.check(H5DSset_scale(id, name), "make \(path) a dimension scale")
    }

    /// Attaches `scale` to dimension `dimension` and labels that dimension with the scale's name.
    public func attach(_ scale: H5Dataset, to dimension: Int, label: String) throws {
        // Both read what is already there: the dimension's scale list and its labels.
        try H5VariableStrings.reading(id, path) {
            try H5.check(H5DSattach_scale(id, scale.id, UInt32(dimension)), "attach \(scale.path) to dimension \(dimension) of \(path)")
            try H5.check(H5DSset_label(id, UInt32(dimension), label), "label dimension \(dimension) of \(path)")
        }
    }

    // Reading scales and labels goes around the H5DS functions: on a damaged file their error
    // paths free pointers the failed read never set. The attributes are read as any other.

    /// The label of each dimension ("" where none was set).
    public func dimensionLabels() throws -> [String] {
        let rank = try shape().count
        guard hasAttribute("DIMENSION_LABELS") else { return Array(repeating: "", count: rank) }
        let labels = try stringAttribute("DIMENSION_LABELS")
        guard labels.count == rank else {
            throw HDF5Error(operation: "\(path) has \(labels.count) dimension labels for \(rank) dimensions", stack: [])
        }
        return labels
    }

    /// The name of the first scale attached to each dimension (nil where none is attached).
    /// Scales are looked for at the file's root, where bordersim writes them, and next to the
    /// dataset; a reference to anything else (a deleted scale, a damaged address) is an error,
    /// and is not followed.
    public func attachedScaleNames() throws -> [String?] {
        let rank = try shape().count
        guard hasAttribute("DIMENSION_LIST") else { return Array(repeating: nil, count: rank) }
        let lists = try referenceLists("DIMENSION_LIST")
        guard lists.count == rank else {
            throw HDF5Error(operation: "\(path) lists scales for \(lists.count) dimensions of \(rank)", stack: [])
        }
        let fileID = try H5.id(H5Iget_file_id(id), "find the file of \(path)")
        defer { H5Fclose(fileID) }
        let root = H5Group(id: try H5.id(H5Gopen2(fileID, "/", H5.defaultList), "open the root of \(path)'s file"), path: "/", parent: self)
        var scales: [UInt64: (H5Group, String)] = [:]   // address → where and what each candidate is
        for group in [root] + ((parent as? H5Group).map { [$0] } ?? []) {
            for name in try group.memberNames() {
                var info = H5O_info_t()
                try H5.check(H5Oget_info_by_name2(group.id, name, &info, UInt32(H5O_INFO_BASIC), H5.defaultList), "inspect \(group.childPath(name))")
                if info.type == H5O_TYPE_DATASET { scales[UInt64(info.addr)] = (group, name) }
            }
        }
        return try lists.enumerated().map { d, list in
            guard let first = list.first else { return nil }
            guard let (group, name) = scales[first] else {
                throw HDF5Error(operation: "dimension \(d) of \(path) names a scale that is no dataset of the file's root or of \(path)'s group", stack: [])
            }
            let scale = try group.dataset(name)
            guard scale.hasAttribute("NAME"), let scaleName = try scale.stringAttribute("NAME").first else {
                throw HDF5Error(operation: "dimension \(d) of \(path) names \(scale.path), which is not a dimension scale (no NAME)", stack: [])
            }
            return scaleName
        }
    }

    /// An attribute holding one list of object references per element (addresses in the file).
    private func referenceLists(_ name: String) throws -> [[UInt64]] {
        let attribute = try openAttribute(name)
        defer { H5Aclose(attribute) }
        let space = try H5.id(H5Aget_space(attribute), "read the shape of attribute \(name)")
        defer { H5Sclose(space) }
        let count = max(1, try checkedCount(try shapeOf(space: space), elementBytes: 16, fileBytes: fileBytes, what: "attribute \(name) of \(path)"))
        let type = try H5VariableStrings.referenceListType()
        defer { H5Tclose(type) }
        var lists = [hvl_t](repeating: hvl_t(len: 0, p: nil), count: count)
        do {
            try H5VariableStrings.reading(attribute, "attribute \(name) of \(path)") {
                try lists.withUnsafeMutableBytes { try H5.check(H5Aread(attribute, type, $0.baseAddress), "read attribute \(name) of \(path)") }
            }
        } catch {
            for list in lists { free(list.p) }
            throw error
        }
        defer { lists.withUnsafeMutableBytes { _ = H5Dvlen_reclaim(type, space, H5.defaultList, $0.baseAddress) } }
        return lists.map { list in
            guard let p = list.p else { return [] }
            return (0..<list.len).map { p.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
    }

    // MARK: Appending (1-D extendible datasets)

    /// Appends values at the end of a 1-D dataset created extendible (`createColumn`).
    public func append<T: H5Element>(_ values: UnsafeBufferPointer<T>) throws {
        guard values.count > 0 else { return }
        let old = try shape()
        guard old.count == 1 else { throw HDF5Error(operation: "append to \(path): not a 1-D dataset", stack: []) }
        var newSize = [hsize_t(old[0] + values.count)]
        try H5.check(H5Dset_extent(id, &newSize), "extend \(path)")
        let fileSpace = try H5.id(H5Dget_space(id), "read the shape of \(path)")
        defer { H5Sclose(fileSpace) }
        var start = [hsize_t(old[0])], count = [hsize_t(values.count)]
        try H5.check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil), "select the end of \(path)")
        let memory = try makeSpace([values.count])
        defer { H5Sclose(memory) }
        try H5.check(H5Dwrite(id, T.h5Type, memory, fileSpace, H5.defaultList, values.baseAddress), "append to \(path)")
    }
}

extension H5Group {
    /// Creates a dataset of `shape` (row-major values; empty shape = scalar) and writes the values.
    @discardableResult
    public func createDataset<T: H5Element>(_ name: String, _ values: [T], shape: [Int]? = nil,
                                            storage: H5Storage = .contiguous) throws -> H5Dataset {
        let shape = shape ?? [values.count]
        try checkCount(values.count, shape: shape, name: name)
        let dataset = try makeDataset(name, type: T.h5Type, shape: shape, storage: storage)
        if !values.isEmpty {
            let all = bordersim_H5S_ALL()
            try values.withUnsafeBytes {
                try H5.check(H5Dwrite(dataset.id, T.h5Type, all, all, H5.defaultList, $0.baseAddress), "write \(dataset.path)")
            }
        }
        return dataset
    }

    /// Creates a dataset of UTF-8 strings (variable length).
    @discardableResult
    public func createDataset(_ name: String, strings: [String], shape: [Int]? = nil,
                              storage: H5Storage = .contiguous) throws -> H5Dataset {
        let shape = shape ?? [strings.count]
        try checkCount(strings.count, shape: shape, name: name)
        let type = try makeStringType()
        defer { H5Tclose(type) }
        let dataset = try makeDataset(name, type: type, shape: shape, storage: storage)
        if !strings.isEmpty {
            let all = bordersim_H5S_ALL()
            try withCStrings(strings) {
                try H5.check(H5Dwrite(dataset.id, type, all, all, H5.defaultList, $0), "write \(dataset.path)")
            }
        }
        return dataset
    }

    /// Creates an empty 1-D dataset that grows by `append`, stored in chunks of `chunkRows`.
    public func createColumn<T: H5Element>(_ name: String, of: T.Type, chunkRows: Int, deflate: Int? = nil) throws -> H5Dataset {
        try makeDataset(name, type: T.h5Type, shape: [0], storage: .chunked([chunkRows], deflate: deflate), extendible: true)
    }

    private func checkCount(_ count: Int, shape: [Int], name: String) throws {
        guard shape.count <= 4, count == shape.reduce(1, *) else {
            throw HDF5Error(operation: "write \(childPath(name)): \(count) values do not fill shape \(shape) (1 to 4 dimensions)", stack: [])
        }
    }

    private func makeDataset(_ name: String, type: hid_t, shape: [Int], storage: H5Storage, extendible: Bool = false) throws -> H5Dataset {
        let space = try makeSpace(shape, maxShape: extendible ? shape.map { _ in nil } : nil)
        defer { H5Sclose(space) }
        let dcpl = try H5.id(H5Pcreate(bordersim_H5P_DATASET_CREATE()), "create dataset properties")
        defer { H5Pclose(dcpl) }
        // Chunks need a non-empty shape; an empty dataset is stored contiguous unless it must grow.
        if case .chunked(let chunk, let deflate) = storage, extendible || shape.allSatisfy({ $0 > 0 }) {
            let dims = zip(chunk, shape).map { hsize_t(max(1, extendible ? $0 : min($0, $1))) }
            try H5.check(H5Pset_chunk(dcpl, Int32(dims.count), dims), "set the chunks of \(childPath(name))")
            if let level = deflate {
                try H5.check(H5Pset_shuffle(dcpl), "set the shuffle filter of \(childPath(name))")
                try H5.check(H5Pset_deflate(dcpl, UInt32(level)), "set compression of \(childPath(name))")
            }
        }
        // A column that grows by `append` is written row by row up to its extent: HDF5 need not
        // fill each new chunk with the fill value first (a memset of every chunk, about a fifth of
        // what writing the per-party trace cost).
        if extendible { try H5.check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "set the fill time of \(childPath(name))") }
        let d = try H5.id(H5Dcreate2(id, name, type, space, H5.defaultList, dcpl, H5.defaultList), "create dataset \(childPath(name))")
        return H5Dataset(id: d, path: childPath(name), parent: self)
    }
}

import Foundation

import CHDF5

/// An open HDF5 object (file, group or dataset). The identifier is closed when the Swift object
/// goes away. HDF5 here is the serial build: callers use one object tree from one thread at a time.
public class H5Object {
    let id: hid_t
    /// Path inside the file, for messages.
    public let path: String
    /// The object this one was opened from: holding it keeps the file open while any of its
    /// objects is in use (closing a file closes everything in it).
    let parent: H5Object?

    init(id: hid_t, path: String, parent: H5Object?) {
        self.id = id
        self.path = path
        self.parent = parent
    }

    deinit { if H5Iis_valid(id) > 0 { H5Oclose(id) } }

    func childPath(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }
}

/// A group: a folder of groups and datasets. The file's root group is the file itself.
public class H5Group: H5Object {
    /// Creates a child group.
    public func createGroup(_ name: String) throws -> H5Group {
        let d = H5.defaultList
        let g = try H5.id(H5Gcreate2(id, name, d, d, d), "create group \(childPath(name))")
        return H5Group(id: g, path: childPath(name), parent: self)
    }

    /// Opens a child group.
    public func group(_ name: String) throws -> H5Group {
        let g = try H5.id(H5Gopen2(id, name, H5.defaultList), "open group \(childPath(name))")
        return H5Group(id: g, path: childPath(name), parent: self)
    }

    /// Opens a child dataset.
    public func dataset(_ name: String) throws -> H5Dataset {
        let d = try H5.id(H5Dopen2(id, name, H5.defaultList), "open dataset \(childPath(name))")
        return H5Dataset(id: d, path: childPath(name), parent: self)
    }

    /// Whether a direct child of that name exists.
    public func contains(_ name: String) -> Bool { H5Lexists(id, name, H5.defaultList) > 0 }

    /// Whether the direct child `name` is a group.
    public func isGroup(_ name: String) throws -> Bool {
        var info = H5O_info_t()
        try H5.check(H5Oget_info_by_name2(id, name, &info, UInt32(H5O_INFO_BASIC), H5.defaultList), "inspect \(childPath(name))")
        return info.type == H5O_TYPE_GROUP
    }

    /// Paths of every dataset below this group, depth first in name order.
    public func datasetPaths() throws -> [String] {
        var paths: [String] = []
        for name in try memberNames() {
            if try isGroup(name) { paths += try group(name).datasetPaths() } else { paths.append(childPath(name)) }
        }
        return paths
    }

    /// Names of the direct children, in name order.
    public func memberNames() throws -> [String] {
        // Visited in the storage's own order and sorted here: asking HDF5 for name order makes
        // it build a table of the links, whose clean-up on a damaged file frees unset pointers
        // (libhdf5 1.10, found by `make fuzz`), and costs a table per name asked.
        try NameList.collect("list group \(path)") { list in
            var index: hsize_t = 0
            return H5Literate(id, H5_INDEX_NAME, H5_ITER_NATIVE, &index, { _, name, _, list in NameList.add(name, to: list) }, list)
        }
    }
}

/// Names handed to an HDF5 iteration callback, returned sorted by their bytes (as HDF5's own
/// name order, strcmp).
final class NameList {
    private var names: [String] = []

    static func collect(_ operation: @autoclosure () -> String, _ iterate: (UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
        let list = NameList()
        let status = withExtendedLifetime(list) { iterate(Unmanaged.passUnretained(list).toOpaque()) }
        if status < 0 { throw HDF5Error.current(operation()) }
        return list.names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The callbacks' body: appends `name` to the list behind `data`.
    static func add(_ name: UnsafePointer<CChar>?, to data: UnsafeMutableRawPointer?) -> herr_t {
        guard let name, let data else { return -1 }
        Unmanaged<NameList>.fromOpaque(data).takeUnretainedValue().names.append(String(cString: name))
        return 0
    }
}

/// A name from an HDF5 call that answers the length when given no buffer (the usual two-call
/// pattern: ask the length, then fill a buffer one longer).
func readName(_ operation: @autoclosure () -> String, _ get: (UnsafeMutablePointer<CChar>?, Int) -> Int) throws -> String {
    let length = get(nil, 0)
    if length < 0 { throw HDF5Error.current(operation()) }
    var buffer = [CChar](repeating: 0, count: length + 1)
    if get(&buffer, buffer.count) < 0 { throw HDF5Error.current(operation()) }
    return String(nulTerminated: buffer)
}

/// An HDF5 file. Create or open it, write or read through it (it is the root group), then
/// `close()` it: the close flushes, so it is where a full disk shows up.
public final class H5File: H5Group {
    public let filePath: String
    private var closed = false

    private init(id: hid_t, filePath: String) {
        self.filePath = filePath
        super.init(id: id, path: "/", parent: nil)
    }

    /// Creates a file, replacing any file already at `path` when `truncate` is true and failing
    /// otherwise. Closing the file closes every object still open in it.
    public static func create(_ path: String, truncate: Bool = true) throws -> H5File {
        H5.prepare()
        let fcpl = try H5.id(H5Pcreate(bordersim_H5P_FILE_CREATE()), "create file properties")
        defer { H5Pclose(fcpl) }
        // Dense attribute storage from the first attribute: attributes may exceed 64 KiB (the
        // resolved scenario text is one) and stay readable by any HDF5 ≥ 1.8.
        try H5.check(H5Pset_attr_phase_change(fcpl, 0, 0), "set dense attribute storage")
        let fapl = try accessList()
        defer { H5Pclose(fapl) }
        let flags = truncate ? bordersim_H5F_ACC_TRUNC() : bordersim_H5F_ACC_EXCL()
        let f = try H5.id(H5Fcreate(path, flags, fcpl, fapl), "create HDF5 file \(path)")
        return H5File(id: f, filePath: path)
    }

    /// Opens an existing file for reading (or for writing, to resume).
    public static func open(_ path: String, writable: Bool = false) throws -> H5File {
        H5.prepare()
        let fapl = try accessList()
        defer { H5Pclose(fapl) }
        let flags = writable ? bordersim_H5F_ACC_RDWR() : bordersim_H5F_ACC_RDONLY()
        let f = try H5.id(H5Fopen(path, flags, fapl), "open HDF5 file \(path)")
        return H5File(id: f, filePath: path)
    }

    /// Whether a file carries the HDF5 signature (a cheap check before opening).
    public static func isHDF5(_ path: String) -> Bool {
        H5.prepare()
        return H5Fis_hdf5(path) > 0
    }

    private static func accessList() throws -> hid_t {
        let fapl = try H5.id(H5Pcreate(bordersim_H5P_FILE_ACCESS()), "create file access properties")
        try H5.check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, bordersim_H5F_LIBVER_LATEST()), "set file format bounds")
        try H5.check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "set file close degree")
        return fapl
    }

    /// Flushes and closes the file, reporting any failure (a full disk, an I/O error).
    public func close() throws {
        guard !closed else { return }
        closed = true
        let flushed = H5Fflush(id, H5F_SCOPE_GLOBAL)
        let flushError = flushed < 0 ? HDF5Error.current("write \(filePath)") : nil
        let status = H5Fclose(id)
        if let flushError { throw flushError }
        try H5.check(status, "close \(filePath)")
    }

    deinit { if !closed { H5Fclose(id) } }
}

extension String {
    /// The text of a C buffer up to its first NUL (the whole buffer if none).
    init(nulTerminated buffer: [CChar]) {
        let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
        self.init(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

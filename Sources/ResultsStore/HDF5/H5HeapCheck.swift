import CHDF5
import Foundation

/// Variable-length strings live in HDF5's global heap; a damaged reference makes the library
/// (1.10, Debian 12) read through a wild pointer and crash (found by `make fuzz`). Before such
/// a dataset is read, its references are checked against the file's bytes: each must point at a
/// global-heap collection ("GCOL") inside the file that holds the object, with room for the string.
/// Contiguous datasets only (every string axis bordersim writes); others are read as they are.
enum H5HeapCheck {
    static func check(dataset id: hid_t, count: Int, path: String) throws {
        let offset = H5Dget_offset(id)
        guard offset != haddr_t.max, count > 0 else { return }
        let fileID = H5Iget_file_id(id)
        guard fileID >= 0 else { return }
        defer { H5Fclose(fileID) }
        let nameLength = H5Fget_name(fileID, nil, 0)
        guard nameLength > 0 else { return }
        var name = [CChar](repeating: 0, count: nameLength + 1)
        guard H5Fget_name(fileID, &name, nameLength + 1) >= 0,
              let handle = FileHandle(forReadingAtPath: String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                                               as: UTF8.self)) else { return }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        func bytes(_ at: Int, _ n: Int) -> Data? {
            guard at >= 0, n >= 0, at <= size - n else { return nil }
            try? handle.seek(toOffset: UInt64(at))
            guard let d = try? handle.read(upToCount: n), d.count == n else { return nil }
            return d
        }
        func damaged(_ why: String) -> HDF5Error { HDF5Error(operation: "\(path): a damaged string reference (\(why))", stack: []) }
        guard offset <= haddr_t(Int.max), let raw = bytes(Int(offset), count * 16) else { throw damaged("the data lies outside the file") }
        var collections: [Int: [UInt16: Int]] = [:]   // address → object index → object size
        for i in 0..<count {
            let e = raw.subdata(in: i * 16 ..< i * 16 + 16)
            let length = Int(e.load(UInt32.self, at: 0)), address = e.load(UInt64.self, at: 4), index = e.load(UInt32.self, at: 12)
            if length == 0 && address == 0 { continue }                     // an empty (null) string
            guard address <= UInt64(Int.max), index >= 1, index <= UInt32(UInt16.max) else { throw damaged("element \(i)") }
            let at = Int(address)
            if collections[at] == nil { collections[at] = try objects(at, bytes: bytes, fileSize: size, damaged: damaged) }
            guard let objectSize = collections[at]?[UInt16(index)], objectSize >= length else {
                throw damaged("element \(i): no heap object \(index) of \(length) bytes")
            }
        }
    }

    /// The objects of the collection at `at`: index → size, each checked to lie inside it.
    private static func objects(_ at: Int, bytes: (Int, Int) -> Data?, fileSize: Int,
                                damaged: (String) -> HDF5Error) throws -> [UInt16: Int] {
        guard let head = bytes(at, 16), head.prefix(4) == Data("GCOL".utf8) else { throw damaged("no heap collection at \(at)") }
        let total = head.load(UInt64.self, at: 8)
        guard total >= 16, total <= UInt64(fileSize), at <= fileSize - Int(total), let body = bytes(at, Int(total)) else {
            throw damaged("a heap collection at \(at) larger than the file")
        }
        var out: [UInt16: Int] = [:], p = 16
        while p + 16 <= body.count {
            let index = body.load(UInt16.self, at: p), size = body.load(UInt64.self, at: p + 8)
            if index == 0 { break }                                           // free space: the end
            guard size <= UInt64(body.count - p - 16) else { throw damaged("heap object \(index) overruns its collection") }
            out[index] = Int(size)
            p += 16 + (Int(size) + 7) / 8 * 8
        }
        return out
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file, enough to notice that it was replaced or rewritten: device,
/// inode, size and modification time (nanoseconds). `stat` follows symbolic links, so a
/// Kubernetes Secret volume, which swaps a `..data` link on every update, shows a new inode.
package struct FileVersion: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64

    /// The version of the file at `path` now; nil when it cannot be `stat`ed (then a reload is
    /// attempted and reports the reason). Cost: one `stat`.
    package static func of(_ path: String) -> FileVersion? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return FileVersion(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                           modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec))
    }

    /// The versions of `paths`, in order.
    package static func of(_ paths: [String]) -> [FileVersion?] { paths.map { of($0) } }
}

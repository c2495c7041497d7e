#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading files a configuration names (the configuration file itself, token and header files),
/// with messages a person can act on. Only regular files are read: a directory, a device such as
/// `/dev/zero` or a FIFO is refused before any read, so nothing can block or read forever.
package enum ConfigurationFile {
    /// Why a file could not be read; `description` is a sentence that starts after the path.
    package enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// `open` or `read` failed; the system's reason.
        case unreadable(String)
        /// The path names a directory.
        case directory
        /// The path names something other than a regular file or directory.
        case notRegular(kind: String)
        /// Larger than the limit.
        case tooLarge(limit: Int)

        package var description: String {
            switch self {
            case .unreadable(let reason): "cannot be read: \(reason)"
            case .directory: "is a directory, not a file"
            case .notRegular(let kind): "is a \(kind), not a regular file"
            case .tooLarge(let limit): "is larger than \(limit / (1024 * 1024)) MiB"
            }
        }
    }

    /// The bytes of the regular file at `path`, at most `limit` bytes.
    /// Cost: one `open`, one `fstat`, reads of the file's size.
    package static func contents(of path: String, limit: Int) -> Result<[UInt8], Problem> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.unreadable(systemMessage(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(systemMessage(errno))) }
        switch info.st_mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): break
        case mode_t(S_IFDIR): return .failure(.directory)
        case mode_t(S_IFCHR): return .failure(.notRegular(kind: "character device"))
        case mode_t(S_IFBLK): return .failure(.notRegular(kind: "block device"))
        case mode_t(S_IFIFO): return .failure(.notRegular(kind: "FIFO (named pipe)"))
        case mode_t(S_IFSOCK): return .failure(.notRegular(kind: "socket"))
        default: return .failure(.notRegular(kind: "special file"))
        }
        guard Int(info.st_size) <= limit else { return .failure(.tooLarge(limit: limit)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(systemMessage(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return .failure(.tooLarge(limit: limit)) }
        }
        return .success(bytes)
    }

    /// A secret kept in a file (a token, a password): its UTF-8 text without trailing line breaks
    /// (CR and LF). The error message names the path, never the content.
    package static func readSecret(_ path: String) -> Result<String, Problem> {
        contents(of: path, limit: 1024 * 1024).map { bytes in
            var bytes = bytes
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Whether `path` names an existing directory. Cost: one `stat`.
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR)
    }

    /// The system's sentence for an `errno` value.
    package static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

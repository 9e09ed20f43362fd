// Crash-safe file replacement for every output of a run.
//
// Protocol (POSIX): write the whole content to a temporary file in the destination's directory
// (`.NAME.tmp.PID.NANOS`, created with O_EXCL), fsync it, rename it over the destination (atomic
// within one filesystem), then fsync the directory so the rename itself is durable. A reader — or a
// run interrupted at any instant — therefore sees either the complete old content or the complete
// new content, never a torn file; on any failure the temporary file is removed.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors of the output layer: I/O failures (with errno) and malformed files read back.
public enum OutputError: Error, CustomStringConvertible, Equatable {
    /// A system call failed on `path`.
    case io(path: String, operation: String, errno: Int32)
    /// A file read back (for resuming or testing) is malformed.
    case malformed(path: String, line: Int, message: String)
    /// An argument is invalid; names the component, key and why.
    case invalid(component: String, key: String, message: String)

    public var description: String {
        switch self {
        case let .io(path, op, e): return "\(path): \(op) failed: \(String(cString: strerror(e))) (errno \(e))"
        case let .malformed(path, line, msg): return line > 0 ? "\(path):\(line): \(msg)" : "\(path): \(msg)"
        case let .invalid(c, k, m): return "\(c): \(k): \(m)"
        }
    }
}

/// Atomic, durable whole-file writes (temp file + fsync + rename + directory fsync).
public enum AtomicFile {
    /// Replaces the file at `path` with `bytes`, atomically.
    /// - Throws: `OutputError.io` naming the path and failing operation; the destination is untouched then.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { try write(raw: $0, to: path) }
    }

    /// Replaces the file at `path` with the UTF-8 bytes of `text`, atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Replaces the file at `path` with `raw`, atomically.
    public static func write(raw: UnsafeRawBufferPointer, to path: String) throws {
        let (dir, name) = split(path)
        var tmp = ""
        var fd: Int32 = -1
        for attempt in 0..<100 {
            tmp = "\(dir)/.\(name).tmp.\(getpid()).\(monotonicNanoseconds() &+ UInt64(attempt))"
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw OutputError.io(path: tmp, operation: "open", errno: errno) }
        var ok = false
        defer { if !ok { close(fd); unlink(tmp) } }
        var done = 0
        while done < raw.count {
            let n = Glibc_write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError.io(path: tmp, operation: "write", errno: errno)
            }
            done += n
        }
        guard fsync(fd) == 0 else { throw OutputError.io(path: tmp, operation: "fsync", errno: errno) }
        guard close(fd) == 0 else { let e = errno; unlink(tmp); ok = true; throw OutputError.io(path: tmp, operation: "close", errno: e) }
        ok = true
        guard rename(tmp, path) == 0 else {
            let e = errno; unlink(tmp)
            throw OutputError.io(path: path, operation: "rename", errno: e)
        }
        // Make the rename durable; some filesystems refuse fsync on directories, which is harmless.
        let dfd = open(dir, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw OutputError.io(path: prefix, operation: "mkdir", errno: errno)
            }
        }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputError.io(path: path, operation: "mkdir (not a directory)", errno: ENOTDIR)
        }
    }

    /// Whole content of the file at `path`, or nil if it does not exist.
    public static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw OutputError.io(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError.io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Names in directory `path` (without "." and ".."), sorted.
    public static func list(_ path: String) throws -> [String] {
        guard let d = opendir(path) else { throw OutputError.io(path: path, operation: "opendir", errno: errno) }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}

/// Monotonic clock, ns.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// Monotonic clock, s.
func monotonicSeconds() -> Double { Double(monotonicNanoseconds()) * 1e-9 }

// Unambiguous names for the POSIX calls (the module's own `write`/`read` methods shadow them).
@inline(__always) func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}
@inline(__always) func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, p, n)
    #else
    return Darwin.read(fd, p, n)
    #endif
}

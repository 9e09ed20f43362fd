// Ownership of an output folder: one run at a time, and no run mixed into another's files.
//
// Lock: `DIR/.cekmc.lock` holds the pid of the run that owns DIR and an exclusive `flock` on it for
// the run's life. The kernel drops the flock when the process dies (even by SIGKILL), so a lock file
// left behind by a dead run is simply taken over; a live holder is refused with its pid. After the
// flock is granted the lock file is checked to still be the one at the path (a releasing run unlinks
// it), so two runs can never both believe they hold the folder. Filesystems without flock fall back
// to the recorded pid: a lock whose pid is no longer running is taken over.
//
// Contents: `runFiles` recognises every name a run writes (RunOutput's tables, maps/ and snapshots/,
// summary.json, timing.json, checkpoint.json, input.toml, the lock, and AtomicFile's temporary
// files). `clear` removes those names only, and refuses a folder that holds anything else, so
// `--overwrite` can never wipe a folder that is not a cekmc output folder.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder is held by another live run.
public struct OutputFolderBusy: Error, CustomStringConvertible, Sendable {
    /// The folder.
    public var directory: String
    /// Pid recorded in the lock file (nil when it could not be read).
    public var pid: Int32?
    public var description: String {
        let who = pid.map { "pid \($0)" } ?? "pid unknown"
        return "output folder \(directory) is in use by another cekmc run (\(who); lock file \(directory)/\(OutputFolder.lockName))"
    }
}

/// Lock, inspection and clearing of a run's output folder.
public enum OutputFolder {
    /// Name of the lock file inside the folder.
    public static let lockName = ".cekmc.lock"

    /// Top-level files a run writes.
    static let topFiles: Set<String> = [
        "timeseries.csv", "domains.csv", "domain_events.csv", "entry_points.csv", "fronts.csv", "axial_profile.csv",
        "summary.json", "timing.json", "checkpoint.json", "input.toml", lockName,
    ]

    /// Whether `name` (relative to the folder, `maps/…` or `snapshots/…` inside those) is a file a run
    /// writes; the figures `cekmc run --plots` makes (`figures/*.png`) count as run files.
    public static func isRunFile(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func temporary(_ n: String) -> Bool { n.hasPrefix(".") && n.contains(".tmp.") }
        func numbered(_ n: String, _ prefix: String, _ ext: String) -> Bool {
            guard n.hasPrefix(prefix), n.hasSuffix(ext) else { return false }
            let digits = n.dropFirst(prefix.count).dropLast(ext.count)
            return !digits.isEmpty && digits.allSatisfy(\.isNumber)
        }
        switch parts.count {
        case 1: return topFiles.contains(parts[0]) || temporary(parts[0]) || parts[0] == "maps" || parts[0] == "snapshots"
            || parts[0] == "figures"
        case 2:
            let n = parts[1]
            if parts[0] == "figures" { return n.hasSuffix(".png") && !n.hasPrefix("/") }
            if temporary(n) || n == "index.csv" { return parts[0] == "maps" || parts[0] == "snapshots" }
            if parts[0] == "maps" { return numbered(n, "cu_", ".npy") || numbered(n, "cd_", ".npy") }
            if parts[0] == "snapshots" { return numbered(n, "snapshot_", ".xyz") }
            return false
        default: return false
        }
    }

    /// Every entry of `dir` (recursing into maps/ and snapshots/ when they are directories) except the
    /// lock file, as paths relative to `dir`, sorted; [] when `dir` does not exist.
    public static func contents(_ dir: String) throws -> [String] {
        guard isDirectory(dir) else { return [] }
        var out: [String] = []
        for name in try AtomicFile.list(dir) where name != lockName {
            out.append(name)
            if (name == "maps" || name == "snapshots" || name == "figures") && isDirectory(dir + "/" + name) {
                out += try AtomicFile.list(dir + "/" + name).map { name + "/" + $0 }
            }
        }
        return out
    }

    /// Removes every run file from `dir` (keeping the lock file); the folder itself stays.
    /// - Throws: `OutputError.invalid` listing the foreign entries (nothing is removed then) when `dir`
    ///   holds anything a run does not write; `OutputError.io` when a removal fails.
    public static func clear(_ dir: String) throws {
        let entries = try contents(dir)
        let foreign = entries.filter { !isRunFile($0) || ($0.contains("/") == false && ($0 == "maps" || $0 == "snapshots" || $0 == "figures") && !isDirectory(dir + "/" + $0)) }
        guard foreign.isEmpty else {
            throw OutputError.invalid(component: "output folder \(dir)", key: "--overwrite",
                                      message: "not clearing a folder that holds files cekmc does not write (\(listing(foreign))); remove them or choose another folder")
        }
        // Deepest first, so maps/ and snapshots/ are empty when they are removed.
        for name in entries.sorted(by: { $0.split(separator: "/").count > $1.split(separator: "/").count }) {
            let p = dir + "/" + name
            if isDirectory(p) {
                guard rmdir(p) == 0 else { throw OutputError.io(path: p, operation: "rmdir", errno: errno) }
            } else {
                guard unlink(p) == 0 || errno == ENOENT else { throw OutputError.io(path: p, operation: "unlink", errno: errno) }
            }
        }
    }

    /// "a, b, c" for up to `limit` names, then "… (N in all)".
    public static func listing(_ names: [String], limit: Int = 4) -> String {
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? shown + ", … (\(names.count) in all)" : shown
    }

    static func isDirectory(_ p: String) -> Bool {
        var st = stat()
        return stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether a process with this pid exists (EPERM: it exists but belongs to someone else).
    static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// Exclusive ownership of an output folder for the life of a run (see the file header).
    /// `release()` (or deinit) removes the lock file.
    public final class Lock {
        /// The folder held.
        public let directory: String
        /// Pid of a dead run whose lock file was taken over, if any.
        public let tookOverFrom: Int32?
        private var fd: Int32
        private var path: String { directory + "/" + OutputFolder.lockName }

        /// Creates `directory` if needed and takes its lock.
        /// - Throws: `OutputFolderBusy` when a live run holds it; `OutputError.io` on I/O failure.
        public init(directory: String) throws {
            self.directory = directory
            try AtomicFile.createDirectory(directory)
            let path = directory + "/" + OutputFolder.lockName
            var previous: Int32? = nil
            for _ in 0..<100 {
                let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw OutputError.io(path: path, operation: "open", errno: errno) }
                let recorded = Lock.readPid(fd)
                if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                    let e = errno
                    if e == EWOULDBLOCK || e == EINTR {
                        close(fd)
                        throw OutputFolderBusy(directory: directory, pid: recorded)
                    }
                    // No flock on this filesystem: trust the recorded pid.
                    if let p = recorded, p != getpid(), OutputFolder.isRunning(p) {
                        close(fd)
                        throw OutputFolderBusy(directory: directory, pid: p)
                    }
                }
                // Still the file at the path? (A releasing run unlinks it after we opened it.)
                var a = stat(), b = stat()
                guard fstat(fd, &a) == 0, stat(path, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev else {
                    close(fd); continue
                }
                if let p = recorded, p != getpid() { previous = p }
                let text = Array("\(getpid())\n".utf8)
                guard ftruncate(fd, 0) == 0,
                      text.withUnsafeBytes({ pwrite(fd, $0.baseAddress!, $0.count, 0) }) == text.count else {
                    let e = errno; close(fd)
                    throw OutputError.io(path: path, operation: "write", errno: e)
                }
                self.fd = fd
                self.tookOverFrom = previous
                return
            }
            throw OutputError.io(path: path, operation: "lock (the lock file keeps changing)", errno: EAGAIN)
        }

        /// Pid recorded in an open lock file, if it reads as one.
        static func readPid(_ fd: Int32) -> Int32? {
            var buf = [UInt8](repeating: 0, count: 32)
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
            guard n > 0 else { return nil }
            return Int32(String(decoding: buf[0..<n], as: UTF8.self).trimmingWhitespace)
        }

        /// Pid recorded in `directory`'s lock file, if any.
        public static func holder(of directory: String) -> Int32? {
            let fd = open(directory + "/" + OutputFolder.lockName, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return readPid(fd)
        }

        /// Removes the lock file and drops the lock (idempotent).
        public func release() {
            guard fd >= 0 else { return }
            unlink(path)
            close(fd)
            fd = -1
        }

        deinit { release() }
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

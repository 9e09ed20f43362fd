// The output folder of `cekmc run`: refused when it holds something else, cleared by --overwrite
// (cekmc output only), continued when it holds a stopped run of the same input, locked for the run's
// life; resume refuses a changed input.toml and a damaged checkpoint; a signal stops the run with a
// checkpoint and exit status 130 / 143 (SIGHUP like SIGTERM). (In RunCommandTests' serialized suite: runs share StopFlag.)
import Foundation
import Testing
import KMC
@testable import CekmcCLI

extension RunCommandTests {
    /// A fresh folder holding tiny.toml; returns (input path, output folder path inside it).
    func workspace() throws -> (input: String, out: String) {
        let input = try temporaryFile(try Self.tinyScenario(), name: "tiny.toml")
        return (input, URL(fileURLWithPath: input).deletingLastPathComponent().appendingPathComponent("out").path)
    }

    func cleanUp(_ input: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: input).deletingLastPathComponent().path)
    }

    func names(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    @Test func aFolderHoldingOtherFilesIsRefusedAndNotCleared() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "mine".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)

        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet"])
        #expect(o.status == 2)
        #expect(o.stderr == "error: output folder \(out) is not empty and holds no cekmc run (notes.txt); choose another --out, or give --overwrite to clear it\n")
        let w = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--overwrite"])
        #expect(w.status == 2)
        #expect(w.stderr == "error: output folder \(out): --overwrite: not clearing a folder that holds files cekmc does not write (notes.txt); remove them or choose another folder\n")
        #expect(try names(out) == ["notes.txt"], "a refused run must leave the folder as it was (and release its lock)")
    }

    @Test func aRunOfAnotherInputIsRefusedAndOverwriteReplacesIt() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        let first = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--stop-after-events", "10"])
        #expect(first.status == 0 && first.stdout.hasPrefix("stopped with a checkpoint at t = "), "\(first)")
        // A stale file of an older run with more outputs: --overwrite must remove it.
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: out + "/maps/cu_000099.npy"))

        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--seed", "8"])
        #expect(o.status == 2)
        #expect(o.stderr == "error: output folder \(out) holds a run of a different input (line 3: `seed = 8  # seed of the random generator` now, `seed = 7  # seed of the random generator` in \(out)/input.toml); choose another --out, or give --overwrite to clear it\n")

        let w = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--seed", "8", "--overwrite", "--stop-after-events", "10"])
        #expect(w.status == 0, "\(w)")
        #expect(w.stderr.hasPrefix("note: cleared "))
        #expect(!FileManager.default.fileExists(atPath: out + "/maps/cu_000099.npy"))
        #expect(try String(contentsOfFile: out + "/input.toml", encoding: .utf8).contains("\nseed = 8 "))
    }

    @Test func aStoppedRunOfTheSameInputIsContinued() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--stop-after-events", "10"]).status == 0)
        // Same input given by another path: the comment naming the file differs, the input does not.
        let other = URL(fileURLWithPath: input).deletingLastPathComponent().path + "/./tiny.toml"
        let o = Cekmc.outcome(arguments: ["run", other, "--out", out, "--quiet"])
        #expect(o.status == 0, "\(o)")
        #expect(o.stderr == "note: \(out) holds a run of this input; continuing it from its checkpoint\n")
        #expect(o.stdout.hasPrefix("completed: "))
        #expect(try String(contentsOfFile: out + "/input.toml", encoding: .utf8).hasPrefix("# Effective input of \(input) "))
    }

    @Test func aLiveLockIsRefusedWithItsPidAndAStaleOneIsTakenOver() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        do {
            let held = try OutputFolder.Lock(directory: out)
            let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet"])
            #expect(o.status == 1)
            #expect(o.stderr == "error: output folder \(out) is in use by another cekmc run (pid \(getpid()); lock file \(out)/.cekmc.lock)\n")
            held.release()
        }
        // A lock file left by a killed run (no process holds it any more).
        try "4000000\n".write(toFile: out + "/.cekmc.lock", atomically: true, encoding: .utf8)
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--stop-after-events", "10"])
        #expect(o.status == 0, "\(o)")
        #expect(o.stderr == "note: took over the lock file of \(out) left by pid 4000000 (that run has ended)\n")
        #expect(!FileManager.default.fileExists(atPath: out + "/.cekmc.lock"), "the lock file is removed when the run ends")
    }

    @Test func resumeRefusesAChangedInputAndADamagedCheckpoint() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--stop-after-events", "10"]).status == 0)
        let saved = try String(contentsOfFile: out + "/input.toml", encoding: .utf8)
        let hold = "duration_min = 1e-06  # min — hold duration"
        #expect(saved.contains(hold))
        try saved.replacingOccurrences(of: hold, with: "duration_min = 1e-05  # min — hold duration")
            .write(toFile: out + "/input.toml", atomically: true, encoding: .utf8)
        let line = try #require(saved.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == hold }) + 1
        let o = Cekmc.outcome(arguments: ["run", "--resume", out, "--quiet"])
        #expect(o.status == 2)
        #expect(o.stderr == "\(out)/checkpoint.json: cannot resume: \(out)/input.toml differs from the input the checkpoint was written with (line \(line): `duration_min = 1e-05  # min — hold duration` in input.toml, `\(hold)` in the checkpoint); put the original input.toml back, or start again with INPUT --out \(out) --overwrite\n")

        try saved.write(toFile: out + "/input.toml", atomically: true, encoding: .utf8)
        let checkpoint = try Data(contentsOf: URL(fileURLWithPath: out + "/checkpoint.json"))
        try checkpoint.prefix(1000).write(to: URL(fileURLWithPath: out + "/checkpoint.json"))
        let t = Cekmc.outcome(arguments: ["run", "--resume", out, "--quiet"])
        #expect(t.status == 2)
        #expect(t.stderr == "\(out)/checkpoint.json: not a readable checkpoint: not valid JSON (truncated or damaged file) (1000 bytes)\n")

        try FileManager.default.removeItem(atPath: out + "/checkpoint.json")
        let m = Cekmc.outcome(arguments: ["run", "--resume", out, "--quiet"])
        #expect(m.status == 2)
        #expect(m.stderr == "\(out)/checkpoint.json: no such file (a run writes it every checkpoint_every outputs, on a stop and at the end)\n")
    }

    @Test(arguments: [SIGHUP, SIGINT, SIGTERM])
    func aSignalStopsWithACheckpointAndItsExitStatus(_ signal: Int32) throws {
        let (input, out) = try workspace()
        defer { cleanUp(input); StopFlag.requested = 0 }
        // The handler records the signal…
        StopFlag.install()
        StopFlag.requested = 0
        kill(getpid(), signal)   // (raise would target this thread, which may block signals)
        for _ in 0..<200 where StopFlag.requested == 0 { usleep(5_000) }
        #expect(StopFlag.requested == signal)
        // …and the run stops at its next poll.
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet"])
        let name = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGTERM: "SIGTERM"][signal]!
        // 128 + n; SIGHUP (a closed terminal) is handled like SIGTERM.
        #expect(o.status == (signal == SIGHUP ? 143 : 128 + signal))
        #expect(o.stdout.hasPrefix("stopped by \(name) with a checkpoint at t = "))
        #expect(o.stdout.hasSuffix("; resume with: cekmc run --resume \(out)\n"))
        #expect(FileManager.default.fileExists(atPath: out + "/checkpoint.json"))
    }
}

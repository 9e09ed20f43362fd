// Tests of the error path: GSL's own GSL_ERROR is recorded (not abort()ed) with reason/file/line, per thread, and
// GSLError renders a clear message.
import Foundation
import Testing
@testable import GSL

/// Runs `body` on a new OS thread and waits for its result.
private func onNewThread(_ body: @escaping @Sendable () -> Bool) -> Bool {
    final class Box: @unchecked Sendable { var value = false }  // written before signal, read after wait
    let box = Box(), done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        box.value = body()
        done.signal()
    }
    done.wait()
    return box.value
}

@Suite(.serialized) struct ErrorTests {
    @Test func gslErrorsAreRecordedInsteadOfAborting() throws {
        let record = try #require(GSLRuntime.provokeErrorForTesting())
        #expect(record.code == 4)  // GSL_EINVAL
        #expect(record.reason.contains("invalid n"))
        #expect(record.file.contains("gsl_rng.h"))
        #expect(record.line > 0)
    }

    @Test func lastErrorIsPerThread() throws {
        // An error raised on one fresh thread is visible there and not on another fresh thread.
        #expect(onNewThread { GSLRuntime.provokeErrorForTesting() != nil && GSLRuntime.lastError != nil })
        #expect(onNewThread { GSLRuntime.lastError == nil })
    }

    @Test func descriptionsNameTheProblem() {
        let e = GSLError.status(code: 19, reason: "LinearFit.unweighted: x has 3 values but y has 2",
                                file: "GSL/LinearFit.swift", line: 7)
        #expect(e.description.contains("GSL error 19"))
        #expect(e.description.contains("x has 3 values but y has 2"))
        #expect(GSLError.unknownGenerator("foo", allowed: ["mt19937", "taus2"]).description
            .contains("allowed: mt19937, taus2"))
    }
}

import ArgumentParser
import Testing
@testable import CekmcCLI

@Suite struct BenchCommandTests {
    @Test func medianOfRepeats() {
        #expect(BenchCommand.median([3, 1, 2]) == 2)
        #expect(BenchCommand.median([4, 1, 2, 3]) == 2.5)
        #expect(BenchCommand.median([7]) == 7)
    }

    @Test func repeatsMustBePositive() throws {
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--repeats", "0", "--diameter-nm", "3", "--length-nm", "4", "--copper", "5", "--events", "10"]) as? BenchCommand)
        #expect(throws: ValidationError.self) { try cmd.run() }
    }
}

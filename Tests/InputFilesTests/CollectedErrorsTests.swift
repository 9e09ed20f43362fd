// Every problem of a file at once: decoding goes on past a bad value with a stand-in, and the errors
// come out one line each in file order; checks that would judge a stand-in are left out.
import Testing
@testable import InputFiles

@Suite struct CollectedErrorsTests {
    static let hold = "[[temperature.steps]]\ntype = \"hold\"\nduration_min = 10\n"

    func messages(_ text: String) -> [String] {
        do { _ = try InputKind.validate(text: text, file: "c.toml") } catch {
            return InputErrors(error)?.errors.map(\.description) ?? ["not an input error: \(error)"]
        }
        return []
    }

    @Test func aBadValueDoesNotHideAnother() {
        #expect(messages("[wire]\ndiameter_nm = \"20\"\nlength_nm = 0.1\n" + Self.hold) == [
            "c.toml:2: key 'wire.diameter_nm' = \"20\": expected a number, got a string (allowed: a number in 0.5...200.0 nm)",
            "c.toml:3: key 'wire.length_nm' = 0.1: must be in 0.5...2000.0 nm",
        ])
    }

    @Test func unknownKeyAndBadValueBothReportedInFileOrder() {
        // The unknown key is found after decoding but comes first in the file.
        #expect(messages("sede = 2\n[output]\nmaps_every = -1\n" + Self.hold) == [
            "c.toml:1: key 'sede' = 2: unknown key; did you mean 'seed'? (allowed: kind, seed, generator, wire, temperature, reservoirs, defects, initial, model, acceleration, output)",
            "c.toml:3: key 'output.maps_every' = -1: must be in 0...1000000",
        ])
    }

    @Test func misspeltRequiredKeyIsNamedOnce() {
        #expect(messages("[[temperature.steps]]\ntype = \"hold\"\nduraton_min = 10\n") == [
            "c.toml:3: key 'temperature.steps[0].duration_min': missing required key, found 'duraton_min' = 10 instead: a typo? (allowed: a number in 1e-12...1000000000.0 min)",
        ])
    }

    @Test func aMissingKeyWithAnUnrelatedUnknownKeyIsTwoErrors() {
        #expect(messages("[[temperature.steps]]\ntype = \"hold\"\ncolour = 1\n") == [
            "c.toml: key 'temperature.steps[0].duration_min': missing required key (allowed: a number in 1e-12...1000000000.0 min)",
            "c.toml:3: key 'temperature.steps[0].colour' = 1: unknown key (allowed: type, at_C, duration_min)",
        ])
    }

    @Test func checksOnStandInsAreLeftOut() {
        // The bad to_C stands in as a value in range; the program built from it is not judged, and a
        // quench "heating" from the stand-in is not reported.
        #expect(messages("[[temperature.steps]]\ntype = \"quench\"\nto_C = \"cold\"\n") == [
            "c.toml:3: key 'temperature.steps[0].to_C' = \"cold\": expected a number, got a string (allowed: a number in -273.0...3000.0 °C)",
        ])
    }

    @Test func aTableOfTheWrongTypeIsOneError() {
        // No "missing required key" for the steps of a temperature that is not a table.
        #expect(messages("temperature = 3\n") == [
            "c.toml:1: key 'temperature' = 3: expected a table, got an integer (allowed: a table)",
        ])
    }

    @Test func oneProblemIsThrownAsAnInputError() {
        #expect(throws: InputError.self) { try InputKind.validate(text: "seed = -1\n" + Self.hold, file: "c.toml") }
        #expect(throws: InputErrors.self) { try InputKind.validate(text: "seed = -1\ngenerator = 3\n" + Self.hold, file: "c.toml") }
    }

    @Test func aReadOutsideCollectionStillThrowsTheFirstProblem() throws {
        let t = try InputTable.parse("a = \"x\"\nb = \"y\"\n", file: "s.toml")
        #expect(throws: InputError(file: "s.toml", keyPath: "a", value: "\"x\"", problem: "expected a number, got a string",
                                   allowed: "a number", line: 1)) { _ = try t.double("a") }
    }
}

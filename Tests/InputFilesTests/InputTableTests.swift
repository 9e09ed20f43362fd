import Testing
@testable import InputFiles

@Suite struct InputTableScratch {
    @Test func scratch() throws {
        let text = """
        kind = "scenario"
        temperature_C = 400
        [wire]
        diameter_nm = 20.0
        diamter = 3
        [[program]]
        to_C = 100
        [[program]]
        to_C = "x"
        """
        let t = try InputTable.parse(text, file: "a.toml")
        _ = try t.string("kind")
        _ = try t.double("temperature_C", range: 0...1000, unit: "°C", doc: "temperature")
        let w = try t.table("wire")
        _ = try w.double("diameter_nm", unit: "nm")
        _ = try w.double("length_nm", default: 150, unit: "nm", doc: "length")
        let p = try t.tables("program")
        _ = try p[0].double("to_C")
        do { _ = try p[1].double("to_C") } catch { print(error) }
        do { try t.finish() } catch { print(error) }
        print(t.effectiveTOML())
    }
}

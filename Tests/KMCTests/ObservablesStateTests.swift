// Observer checkpoint state: an observer restored from a JSON round trip of `exportState()` continues
// with the same domain ids, events and histories as the original (resume identity of domains.csv,
// domain_events.csv, entry_points.csv, fronts.csv).
import Testing
import Foundation
@testable import KMC

@Suite struct ObservablesStateTests {
    @Test func restoredObserverContinuesWithTheSameIdsAndEvents() throws {
        let w = try CubicWire(nx: 4, ny: 4, nz: 40, a: 3)
        var s = ObserverSettings()
        s.minReversalSites = 20
        var a = try WireObserver(frame: w.frame, settings: s)
        var codes = w.pristine()
        // History before the checkpoint: two births (ids 1, 2), growth of id 1 to 32 sites (≥ N_min).
        w.exchangeLayers(&codes, 5...6)
        w.exchange(&codes, i: 0...1, j: 0...1, k: 30...31)
        _ = a.observe(time_s: 1, temperature_C: 200, cationCodes: codes, shellCopper: 0)
        w.exchange(&codes, i: 0...0, j: 0...0, k: 12...12)                // a third, single-site domain (id 3)
        _ = a.observe(time_s: 2, temperature_C: 210, cationCodes: codes, shellCopper: 0)
        #expect(a.tracker.nextId == 4)

        let json = try JSONEncoder().encode(a.exportState())
        var b = try WireObserver(frame: w.frame, settings: s)
        try b.restore(try JSONDecoder().decode(WireObserver.State.self, from: json))
        #expect(b.tracker.domains == a.tracker.domains)
        #expect(b.exportState() == a.exportState())

        // After the checkpoint: domain 1 shrinks to 4 sites (still reached 32), the 8-site domain 2
        // disappears (vanish), a new domain is born (id 4 in both, not 1).
        codes = w.pristine()
        w.exchange(&codes, i: 0...1, j: 0...1, k: 5...5)
        w.exchange(&codes, i: 0...0, j: 0...0, k: 12...12)
        w.exchange(&codes, i: 2...3, j: 2...3, k: 36...37)
        let oa = a.observe(time_s: 3, temperature_C: 220, cationCodes: codes, shellCopper: 0)
        let ob = b.observe(time_s: 3, temperature_C: 220, cationCodes: codes, shellCopper: 0)
        #expect(ob == oa)
        #expect(oa.events.map(\.kind) == [.vanish, .birth])
        #expect(oa.events.last?.domainId == 4)
        // Domain 1 then vanishes: a reversal in both (it reached 32 ≥ 20 before the checkpoint).
        for i in 0...1 { for j in 0...1 { codes[w.index(i, j, 5)] = CationCodes.standard.cadmium } }
        let oa2 = a.observe(time_s: 4, temperature_C: 230, cationCodes: codes, shellCopper: 0)
        let ob2 = b.observe(time_s: 4, temperature_C: 230, cationCodes: codes, shellCopper: 0)
        #expect(ob2 == oa2)
        #expect(oa2.events.map(\.kind) == [.reversal] && oa2.events[0].domainId == 1 && oa2.events[0].maxSites == 32)
    }

    @Test func stateOfAnotherSnapshotIsRejected() throws {
        let w = try CubicWire(nx: 4, ny: 4, nz: 40, a: 3)
        var a = try WireObserver(frame: w.frame)
        var codes = w.pristine()
        w.exchangeLayers(&codes, 5...6)
        _ = a.observe(time_s: 1, temperature_C: 200, cationCodes: codes, shellCopper: 0)
        var st = a.exportState()
        st.tracker.ids.append(7)                       // claims two domains; the codes hold one
        var b = try WireObserver(frame: w.frame)
        #expect(throws: ObservablesError.self) { try b.restore(st) }
        let small = try CubicWire(nx: 4, ny: 4, nz: 10, a: 3)
        var c = try WireObserver(frame: small.frame)
        #expect(throws: ObservablesError.self) { try c.restore(a.exportState()) }
    }
}

import Foundation
import Synchronization
import StreamtapeCore
import Testing
@testable import StreamtapeArchive

/// Derived summaries are right, or unknown (nil), never a stale or default 0.
@Suite struct DerivedTests {
    @Test func anEndedExchangeIsUnknownUntilItsDerivationIsStored() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let gate = DispatchSemaphore(value: 0)
        let writer = try ArchiveWriter(archive: archive, derive: { e in
            gate.wait()
            return DerivedInfo(dialect: "openai-chat", events: e.chunks.count, errors: 1, warnings: 2)
        })
        let id = try record(sampleExchange(), into: writer)
        #expect(try eventually { try archive.summaries().first?.summary.state == .complete })
        // Ended and committed, derivation still running: unknown, not "0 events".
        #expect(try archive.summaries().map(\.derived) == [nil])
        #expect(try archive.derived(id: id) == nil)
        gate.signal()
        try writer.flush()
        #expect(try archive.derived(id: id) == DerivedInfo(dialect: "openai-chat", events: 4, errors: 1, warnings: 2))
        writer.close()
    }

    @Test func crashRecoveryLeavesSummariesUnknownUntilDeriveMissingRepairsThem() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let unfinished = sampleExchange(end: nil)
        do {
            let writer = try ArchiveWriter(archive: try Archive.open(path: path))
            try record(sampleExchange(), into: writer)
            try record(unfinished, into: writer)
            try writer.flush()
            writer.close()  // as after a kill -9: everything flushed, the second exchange never ended
        }
        let reopened = try Archive.open(path: path)
        let rows = try reopened.summaries()
        #expect(rows.map(\.summary.state) == [.complete, .interrupted])
        #expect(rows.map(\.derived) == [DerivedInfo(events: 3), nil])
        #expect(try reopened.underivedIDs() == [2])
        #expect(try reopened.deriveMissing { DerivedInfo(dialect: "x", events: $0.chunks.count, errors: 7, warnings: 1) } == 1)
        #expect(try reopened.summaries().map(\.derived) == [DerivedInfo(events: 3), DerivedInfo(dialect: "x", events: 4, errors: 7, warnings: 1)])
        #expect(try reopened.underivedIDs() == [])
        #expect(throws: ArchiveError.readOnly(path: path)) { try Archive.open(path: path, readOnly: true).deriveMissing { _ in DerivedInfo() } }
    }

    @Test func factsDerivedBeforeTheEndAreNotKept() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        let id = try writer.begin(startedMs: 1, upstream: "u", request: CapturedRequest(method: "POST", target: "/"), tags: [])
        try writer.flush()
        try Archive.storeDerived(archive.db, id: id, DerivedInfo(events: 99))  // a recording row keeps its facts unknown
        #expect(try archive.derived(id: id) == nil)
        writer.end(id, ExchangeEnd(offsetNs: 5, state: .complete))
        try writer.flush()
        #expect(try archive.derived(id: id) == DerivedInfo(events: 0))
        writer.close()
    }

    @Test func anInsertDerivedHereIsStoredWithItsFactsWhenInsertReturnsWithoutReadingItBack() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let seen = Mutex<[Int64?]>([])
        let writer = try ArchiveWriter(archive: archive, derive: { e in
            seen.withLock { $0.append(e.id) }
            return DerivedInfo(dialect: "openai-chat", events: e.chunks.count, errors: 1, warnings: 0)
        })
        defer { writer.close() }
        var exchange = sampleExchange()
        exchange.id = 99
        let id = try writer.insert(exchange, deriveHere: true)
        // No flush: the facts were committed before insert returned, derived once, under the new id.
        #expect(try archive.derived(id: id) == DerivedInfo(dialect: "openai-chat", events: 4, errors: 1, warnings: 0))
        try writer.flush()
        #expect(seen.withLock { $0 } == [id])
    }
}

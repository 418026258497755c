import Testing
@testable import StreamtapeArchive

/// `--archive` values: a libpq URI by its scheme, else a file; a URI's password never printed.
@Suite struct LocationTests {
    @Test func aURIIsPostgresAndAnythingElseAFile() {
        #expect(ArchiveLocation("postgresql:///db?host=/tmp") == .postgres(uri: "postgresql:///db?host=/tmp"))
        #expect(ArchiveLocation("POSTGRES://h/db").isPostgres)
        #expect(ArchiveLocation("captures/postgres.sqlite") == .file("captures/postgres.sqlite"))
    }

    @Test(arguments: [
        ("postgresql://ann:s3cret@db.example:5432/st?sslmode=require", "postgresql://ann:***@db.example:5432/st?sslmode=require"),
        ("postgres://ann@db/st", "postgres://ann@db/st"),
        ("postgresql:///st?host=/run/pg&password=s3cret&port=5433", "postgresql:///st?host=/run/pg&password=***&port=5433"),
        ("postgresql://ann:p%40ss@h/st", "postgresql://ann:***@h/st"),
    ])
    func thePasswordIsMasked(uri: String, shown: String) {
        #expect(ArchiveLocation(uri).displayName == shown)
    }
}

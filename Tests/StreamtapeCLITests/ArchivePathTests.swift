import Foundation
import Testing

/// What the commands do with archive paths and output files that are missing, folders, devices or
/// not archives: one clear line, the documented exit code, nothing created or replaced by surprise.
@Suite struct ArchivePathTests {
    static let tape = CLI.root.appendingPathComponent("captures/openai-chat-text.tape.jsonl").path

    @Test func aMissingArchiveIsUnreadableInputForEveryReadingCommand() throws {
        let dir = CLI.tempDir()
        let archive = dir.appendingPathComponent("typo.sqlite").path
        for cmd in [["list"], ["list", "--json"], ["show", "1"], ["check", "1"], ["export", "1"]] {
            let r = try CLI.run(cmd + ["--archive", archive])
            #expect(r.status == 3, "\(cmd)")
            #expect(r.stdout == "", "\(cmd)")
            #expect(r.stderr == "streamtape: no archive at \(archive) (record or import something first, or pass --archive)\n", "\(cmd)")
        }
        // The default archive, from a folder without one.
        let r = try CLI.run(["list"], cwd: dir)
        #expect(r.status == 3)
        #expect(r.stderr == "streamtape: no archive at captures/streamtape.sqlite (record or import something first, or pass --archive)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [])
    }

    @Test func aNegativeFormatVersionIsNotAnArchiveNotACrash() throws {
        let dir = CLI.tempDir()
        let archive = dir.appendingPathComponent("a.sqlite")
        #expect(try CLI.run(["import", "--archive", archive.path, Self.tape]).status == 0)
        // PRAGMA user_version is the big-endian 32-bit integer at byte 60 of the header.
        var bytes = [UInt8](try Data(contentsOf: archive))
        bytes.replaceSubrange(60..<64, with: [0xFF, 0xFF, 0xFF, 0xFF])
        try Data(bytes).write(to: archive)
        for cmd in [["list"], ["show", "1"], ["check", "1"], ["export", "1"], ["import", Self.tape]] {
            let r = try CLI.run(cmd + ["--archive", archive.path])
            #expect(r.status == 3, "\(cmd): \(r.stderr)")
            #expect(r.stderr.hasSuffix("streamtape: \(archive.path) is not a streamtape archive (format version -1)\n"), "\(cmd): \(r.stderr)")
        }
    }

    @Test func aFolderAsArchiveGetsOneMessageFromReadersAndWriters() throws {
        let dir = CLI.tempDir()
        let message = "streamtape: cannot open \(dir.path): is a folder, not an archive file\n"
        let list = try CLI.run(["list", "--archive", dir.path])
        #expect(list.status == 3)
        #expect(list.stderr == message)
        let imported = try CLI.run(["import", "--archive", dir.path, Self.tape])
        #expect(imported.status == 4)
        #expect(imported.stderr == message)
        let recorded = try CLI.run(["record", "--upstream", "http://127.0.0.1:9", "--listen", "127.0.0.1:0", "--archive", dir.path], timeout: 20)
        #expect(recorded.status == 4)
        #expect(recorded.stderr == message)
    }

    @Test func writersCreateNoFolderTheUserNamedAndSayWhichArchiveTheyUsed() throws {
        let dir = CLI.tempDir()
        let missing = dir.appendingPathComponent("missing/x.sqlite").path
        let message = "streamtape: cannot open \(missing): folder \(dir.path)/missing does not exist\n"
        for cmd in [["import", Self.tape], ["record", "--upstream", "http://127.0.0.1:9", "--listen", "127.0.0.1:0"]] {
            let r = try CLI.run(cmd + ["--archive", missing], timeout: 20)
            #expect(r.status == 4, "\(cmd)")
            #expect(r.stderr == message, "\(cmd)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [])
        let proc = try CLI.run(["import", "--archive", "/proc/x.sqlite", Self.tape])
        #expect(proc.status == 4)
        #expect(proc.stderr == "streamtape: cannot open /proc/x.sqlite: No such file or directory\n")

        // Without --archive, the default captures/ folder is made, and named on stderr.
        let first = try CLI.run(["import", Self.tape], cwd: dir)
        #expect(first.status == 0)
        #expect(first.stderr == "archive: captures/streamtape.sqlite (new)\n")
        let second = try CLI.run(["import", Self.tape], cwd: dir)
        #expect(second.stderr == "archive: captures/streamtape.sqlite\n")
        #expect(second.lines == ["2"])
    }

    @Test func exportWritesIntoAFIFOInPlaceAndThroughASymlink() throws {
        let dir = CLI.tempDir()
        let archive = dir.appendingPathComponent("a.sqlite").path
        #expect(try CLI.run(["import", "--archive", archive, Self.tape]).status == 0)
        let tape = try Data(contentsOf: URL(fileURLWithPath: Self.tape))

        // A FIFO stands in for a device such as /dev/null: renaming over it would replace it.
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let box = ReadBox()
        let reader = Thread { box.data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data(); box.done.signal() }
        reader.start()
        let r = try CLI.run(["export", "1", "--archive", archive, "-o", fifo])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(box.done.wait(timeout: .now() + 10) == .success)
        #expect(box.data == tape)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)

        // A symlink keeps pointing at its file, which gets the export.
        let target = dir.appendingPathComponent("target.tape.jsonl").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(chmod(target, 0o640) == 0)
        let link = dir.appendingPathComponent("link.tape.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try CLI.run(["export", "1", "--archive", archive, "-o", link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == tape)
        #expect((try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? NSNumber)?.intValue == 0o640)

        let folder = try CLI.run(["export", "1", "--archive", archive, "-o", dir.path])
        #expect(folder.status == 4)
        #expect(folder.stderr == "streamtape: cannot write \(dir.path): is a folder\n")
        // No temporary file left behind (the archive's own -wal/-shm may be).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix("a.sqlite") }.sorted()
                == ["fifo", "link.tape.jsonl", "target.tape.jsonl"])
    }
}

/// What the FIFO reader thread read, handed over through the semaphore.
private final class ReadBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

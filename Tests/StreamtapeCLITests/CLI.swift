import Foundation

/// Runs the real `streamtape` binary as a user would and captures what it prints.
enum CLI {
    /// The repository root (this file is Tests/StreamtapeCLITests/CLI.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary: `$STREAMTAPE_BIN`, else the debug build.
    static var binary: String {
        ProcessInfo.processInfo.environment["STREAMTAPE_BIN"] ?? root.appendingPathComponent(".build/debug/streamtape").path
    }

    /// What one run printed and how it exited.
    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// Runs `streamtape args…` in `cwd` with extra environment, stdin closed, and waits (after
    /// `timeout` seconds, when given, it is killed: a command expected to fail fast that starts a
    /// server instead fails the test rather than hanging it).
    static func run(_ args: [String], cwd: URL? = nil, env: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = cwd ?? root
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "STREAMTAPE_ARCHIVE")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        if let timeout {
            let box = ProcessBox(p)
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { if box.process.isRunning { box.process.interrupt() } }
        }
        // Read both pipes before waiting so a big output cannot fill a pipe and block the child.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        return Result(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                      status: p.terminationStatus)
    }

    /// A fresh temporary folder.
    static func tempDir() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("streamtape-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// A corpus stream path.
    static func corpus(_ name: String) -> String {
        root.appendingPathComponent("Tests/StreamtapeCoreTests/Fixtures/real-streams/\(name)").path
    }
}

/// Holds what a reader thread read, handed over through the DispatchGroup's wait.
private final class DataBox: @unchecked Sendable { var data = Data() }

/// Hands the child process to the timeout's closure.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}

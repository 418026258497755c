import Foundation

/// What makes an exchange the same one in every archive it is copied to: a uid made when it was
/// recorded (or first imported), and the name of the recorder that wrote it.
public struct ExchangeIdentity: Hashable, Sendable {
    /// The stable id (32 lowercase hex digits for new exchanges).
    public var uid: String
    /// The recorder's name.
    public var recorder: String

    /// Creates an identity.
    public init(uid: String, recorder: String) { self.uid = uid; self.recorder = recorder }

    /// A fresh random uid.
    static func newUID() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }
}

/// Names recorders in the archive.
public enum RecorderName {
    /// `host:pid`, the default `--recorder-name`.
    public static var `default`: String {
        "\(ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"):\(getpid())"
    }
}

import Foundation
import Testing

/// The real provider streams shipped as test resources.
enum Corpus {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/real-streams")

    /// Names like `01-openai-chat-text`, sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".sse") }.map { String($0.dropLast(4)) }.sorted()
    }

    static func bytes(_ name: String, _ ext: String) -> [UInt8] {
        [UInt8]((try? Data(contentsOf: folder.appendingPathComponent("\(name).\(ext)"))) ?? Data())
    }

    static func json(_ name: String, _ ext: String) -> Any {
        try! JSONSerialization.jsonObject(with: Data(bytes(name, ext)), options: [.fragmentsAllowed])
    }

    /// The events a conforming parser dispatches, as `(event, data, id)`.
    static func expectedEvents(_ name: String) -> [[String]] {
        String(decoding: bytes(name, "events.jsonl"), as: UTF8.self).split(separator: "\n").map { line in
            let o = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return [o["event"] as! String, o["data"] as! String, o["id"] as! String]
        }
    }
}

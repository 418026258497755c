import NIOCore
import NIOEmbedded
import NIOHTTP1
import StreamtapeCore

/// The backlog rule every forwarding server keeps, played on an `EmbeddedChannel`: a chunk, the sink
/// backs up, two more chunks (libcurl may hand over what it already had), 50 ms pass, the sink catches
/// up, one poll passes, a last chunk and the end. The test asserts the transfer's calls at each checkpoint.
public enum BackloggedSinkScenario {
    /// The four chunk bodies, in order.
    public static let bodies = ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n"].map { Array($0.utf8) }

    /// Plays the scenario on a started transfer; returns its calls after the first chunk, after the
    /// chunk read as the sink backed up, after 50 ms backed up, and after the sink caught up and `poll` passed.
    public static func play(_ t: ScriptedUpstreamClient.Transfer, sink: MemoryCaptureSink, channel: EmbeddedChannel,
                            poll: TimeAmount) -> [[String]] {
        var checkpoints: [[String]] = []
        t.delegate.upstreamHead(status: 200, headers: [Header("content-type", "text/event-stream")])
        t.delegate.upstreamChunk(bodies[0])
        checkpoints.append(t.calls.value)
        sink.setBacklogged(true)
        t.delegate.upstreamChunk(bodies[1])
        checkpoints.append(t.calls.value)
        t.delegate.upstreamChunk(bodies[2])
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        checkpoints.append(t.calls.value)
        sink.setBacklogged(false)
        channel.embeddedEventLoop.advanceTime(by: poll)
        checkpoints.append(t.calls.value)
        t.delegate.upstreamChunk(bodies[3])
        t.delegate.upstreamEnd(nil)
        channel.embeddedEventLoop.run()
        return checkpoints
    }

    /// The checkpoints a server that waits for its sink gives: one pause, held while backed up, then one resume.
    public static let expected = [[], ["pause"], ["pause"], ["pause", "resume"]]
}

extension EmbeddedChannel {
    /// The HTTP response body bytes written so far (read out of the channel).
    public func readOutboundBody() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let part = try readOutbound(as: HTTPServerResponsePart.self) {
            if case .body(.byteBuffer(let b)) = part { bytes += b.readableBytesView }
        }
        return bytes
    }
}

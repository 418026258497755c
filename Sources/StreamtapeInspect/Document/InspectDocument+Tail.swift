import StreamtapeCore

/// `G` before the index reaches the end: the tail window, addressed with negative event numbers.
extension InspectDocument {
    /// Whether the index has read every chunk the source had when last asked (`G` can then use it).
    public var isCaughtUp: Bool { lock.lock(); defer { lock.unlock() }; return complete || indexedChunks >= totalChunks }

    /// Fraction of the chunks indexed, 0...1.
    public var progress: Double {
        lock.lock(); defer { lock.unlock() }
        return complete ? 1 : totalChunks == 0 ? 0 : Double(indexedChunks) / Double(totalChunks)
    }

    /// Parses the last events from near the end (once) and returns how many there are; 0 when the
    /// index is complete or no event boundary was found.
    public func loadTail() -> Int {
        lock.lock()
        if complete { lock.unlock(); return 0 }
        if let tail { lock.unlock(); return tail.events.count }
        lock.unlock()
        guard let total = try? source.chunkCount(), let ended = try? source.head().end != nil,
              let window = try? TailWindow.load(source, framing: framing, total: total, ended: ended) else { return 0 }
        lock.lock(); defer { lock.unlock() }
        if complete { return 0 }
        tail = window
        return window.events.count
    }

    /// Events of the tail window (negative numbers address them).
    public var tailCount: Int { lock.lock(); defer { lock.unlock() }; return complete ? 0 : tail?.events.count ?? 0 }

    /// The position in the tail window of a negative event number, nil when there is none.
    func tailIndex(_ i: Int) -> Int? {
        guard i < 0, let tail, !complete else { return nil }
        let k = tail.events.count + i
        return k >= 0 ? k : nil
    }

}

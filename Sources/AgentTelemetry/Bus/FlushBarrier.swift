import Synchronization

/// Marks a point in the event stream; completes when every subscriber has handled everything before it.
final class FlushBarrier: Sendable {
    private struct State {
        var remaining: Int?
        var continuation: CheckedContinuation<Void, Never>?
        var done = false
    }
    private let state = Mutex(State())

    /// Called by the dispatcher with the number of subscribers that will see the barrier.
    func expect(_ count: Int) {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.remaining = count
            if count == 0 { s.done = true; defer { s.continuation = nil }; return s.continuation }
            return nil
        }
        c?.resume()
    }

    /// Called by each subscriber worker when it reaches the barrier.
    func arrive() {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let r = s.remaining else { return nil }
            s.remaining = r - 1
            if r - 1 <= 0 { s.done = true; defer { s.continuation = nil }; return s.continuation }
            return nil
        }
        c?.resume()
    }

    /// Completes the barrier at once (a hard stop: nothing will reach it any more).
    func release() {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.done = true
            defer { s.continuation = nil }
            return s.continuation
        }
        c?.resume()
    }

    /// Suspends until the barrier completes.
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.done { return true }
                s.continuation = c
                return false
            }
            if now { c.resume() }
        }
    }
}

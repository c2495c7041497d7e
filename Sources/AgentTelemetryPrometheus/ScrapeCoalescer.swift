import NIOCore
import Synchronization

/// Bounds rendering under a flood of scrapes: concurrent scrapes asking for the same variant
/// (format and compression) share one render instead of each rendering the registry.
///
/// At most one render per variant runs at a time, so the number of concurrent renders is bounded
/// by the number of variants (four), whatever the number of connections; a scrape that arrives
/// while its variant renders waits for that render and answers with its body. The body then
/// reflects the registry at a moment during the request, as any scrape does.
final class ScrapeCoalescer: Sendable {
    struct Variant: Hashable, Sendable {
        var openMetrics: Bool
        var gzip: Bool
        var protobuf = false
    }

    /// A rendered exposition; `gzipped` is false when compression was asked for but failed.
    struct Body: Sendable {
        var bytes: ByteBuffer
        var gzipped: Bool
    }

    private let inFlight = Mutex<[Variant: [CheckedContinuation<Body?, Never>]]>([:])

    /// Scrapes waiting for the render of `variant` in progress (for tests).
    func waiting(for variant: Variant) -> Int { inFlight.withLock { $0[variant]?.count ?? 0 } }

    /// The body for `variant`: rendered by `render` here, or taken from a render in progress.
    func body(for variant: Variant, render: () -> Body) async -> Body {
        let leader = inFlight.withLock { table -> Bool in
            if table[variant] != nil { return false }
            table[variant] = []
            return true
        }
        if leader {
            let body = render()
            let waiters = inFlight.withLock { $0.removeValue(forKey: variant) ?? [] }
            for waiter in waiters { waiter.resume(returning: body) }
            return body
        }
        let shared: Body? = await withCheckedContinuation { (c: CheckedContinuation<Body?, Never>) in
            let joined = inFlight.withLock { table -> Bool in
                guard table[variant] != nil else { return false }
                table[variant]?.append(c)
                return true
            }
            if !joined { c.resume(returning: nil) }
        }
        // The render finished between the two looks: render again (rare).
        return shared ?? render()
    }
}

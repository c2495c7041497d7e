#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the real-time clock as nanoseconds since the Unix epoch.
///
/// Cost: one `clock_gettime` call (a vDSO call on Linux, ~20 ns), no allocation.
@usableFromInline package enum WallClock {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    @inlinable
    package static func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

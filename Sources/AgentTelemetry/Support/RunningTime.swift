/// Waits that count only the time the process could run: a stopped process (SIGSTOP, a
/// debugger, a frozen container, a suspended laptop) does not use up a bound.
///
/// Linux has no clock that leaves out the time a process was stopped: the monotonic and boot
/// clocks both go on. So the wait sleeps in short slices and counts each slice as at most
/// ``slice`` + ``lateness``: a slice that took 20 s because the process was stopped counts as
/// about one second, while a slice that is late because the machine is busy still counts for
/// nearly all of its time. Without this, a stop interrupted by SIGSTOP for longer than its bound
/// gave up the moment the process continued, before its final export could run.
///
/// Cost: one timer wake-up per ``slice`` while waiting.
package enum RunningTime {
    /// The length of one sleep.
    package static let slice: Duration = .milliseconds(250)
    /// How late a slice may be and still count in full (a busy machine wakes sleepers late).
    package static let lateness: Duration = .seconds(1)

    /// Returns once `duration` of running time has passed. Throws `CancellationError` when the
    /// calling task is cancelled.
    package static func sleep(for duration: Duration, clock: ContinuousClock = ContinuousClock()) async throws {
        var counted: Duration = .zero
        while counted < duration {
            let step = min(slice, duration - counted)
            let before = clock.now
            try await Task.sleep(for: step, clock: clock)
            counted += min(clock.now - before, step + lateness)
        }
    }
}

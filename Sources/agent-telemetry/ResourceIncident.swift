import AgentTelemetry
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The resource incidents of `demo --scenario`: memory the process takes and never gives back (a
/// cache without eviction) and threads that spin without sleeping (a retry loop without backoff).
/// Unlike the other incidents they bend no event: the process sampler reads them from the
/// operating system, as it would read a real leak or hot loop.
///
/// Used from the demo driver's task only (one value, ended by the driver on every way out); the
/// spinning threads share nothing with it but the stop flag.
struct ResourceIncident {
    /// Resident bytes the leak grows the process to.
    private let leakTarget: Double
    private let spinningThreads: Int
    /// The mappings the leak holds, each touched so that it is resident.
    private var held: [(address: UnsafeMutableRawPointer, bytes: Int)] = []
    private var spinning: SpinStop?
    /// Bytes mapped in one step: the leak grows by this much per turn of the driver's loop.
    private static let chunk = 8 << 20

    /// - Parameters:
    ///   - memoryShare: the share of `memoryLimitBytes` the process grows to; 0: no leak.
    ///   - memoryLimitBytes: the limit the process sampler divides by.
    ///   - spinningThreads: threads that spin while the incident lasts; 0: none.
    init(memoryShare: Double, memoryLimitBytes: Double, spinningThreads: Int) {
        leakTarget = memoryShare > 0 ? memoryShare * memoryLimitBytes : 0
        self.spinningThreads = spinningThreads
    }

    var isNone: Bool { leakTarget == 0 && spinningThreads == 0 }

    /// Starts the spinning threads (once per incident).
    mutating func start() {
        guard spinningThreads > 0, spinning == nil else { return }
        let stop = SpinStop()
        for _ in 0..<spinningThreads {
            // A thread of its own, not a task: a spinning task would take one of the cooperative
            // pool's threads from the workload and the exporters (a real hot loop in a task would;
            // the demo must keep serving /metrics to show the alert).
            Thread.detachNewThread {
                var x: UInt64 = 0
                while !stop.flag.load(ordering: .relaxed) { x &+= 1 }
                stop.spun.add(x, ordering: .relaxed)
            }
        }
        spinning = stop
    }

    /// Grows the leak by one step while the process is below its target.
    mutating func grow() {
        guard leakTarget > 0, let resident = ProcessSampler.sample()?.residentBytes, resident < leakTarget else { return }
        let bytes = Self.chunk
        #if canImport(Darwin)
        let anonymous = MAP_ANON
        #else
        let anonymous = MAP_ANONYMOUS
        #endif
        guard let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | anonymous, -1, 0), address != MAP_FAILED else { return }
        memset(address, 0x5A, bytes)  // touched: resident, as a cache's entries are
        held.append((address, bytes))
    }

    /// Ends the incident: the threads stop, the memory goes back to the system.
    mutating func end() {
        spinning?.flag.store(true, ordering: .relaxed)
        spinning = nil
        for (address, bytes) in held { munmap(address, bytes) }
        held = []
    }
}

/// What the spinning threads share with the driver.
final class SpinStop: Sendable {
    let flag = Atomic<Bool>(false)
    /// Iterations spun (read by nobody: it keeps the loop from being optimised away).
    let spun = Atomic<UInt64>(0)
}

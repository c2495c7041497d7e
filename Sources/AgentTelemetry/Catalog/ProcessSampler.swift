import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One reading of the process's resource use.
public struct ProcessSample: Sendable, Hashable {
    /// User + system CPU time, seconds.
    public var cpuSeconds: Double
    /// Resident set size, bytes.
    public var residentBytes: Double
    /// Virtual memory size, bytes.
    public var virtualBytes: Double
    /// Open file descriptors.
    public var openFDs: Double
    /// Soft limit on file descriptors.
    public var maxFDs: Double
    /// Process start, seconds since the epoch.
    public var startTimeSeconds: Double
    /// The memory the process may use: the cgroup limit when one is set, else physical memory.
    public var memoryLimitBytes: Double?
    /// CPUs available: the cgroup quota when one is set, else online processors.
    public var availableCPUs: Double
}

/// Samples process statistics from `/proc` (Linux), like client_golang's process collector,
/// when a snapshot is taken — never on the agent's hot path.
///
/// Registers `process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`,
/// `process_start_time_seconds`, and `<ns>_process_memory_usage_ratio` (resident memory over the
/// cgroup limit, or over physical memory) and `<ns>_process_cpu_usage_ratio` (CPU time used
/// between two snapshots over wall time times available CPUs).
public final class ProcessSampler: Sendable {
    static func d(_ name: String, _ type: MetricType, _ help: String, unit: MetricUnit?, namespaced: Bool = false) -> MetricDescriptor {
        MetricDescriptor(name, type, help: help, unit: unit, category: .performance, namespaced: namespaced, origin: .processSampler)
    }

    /// `process_cpu_seconds_total`.
    public static let cpu = d("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.", unit: .seconds)
    /// `process_resident_memory_bytes`.
    public static let resident = d("process_resident_memory_bytes", .gauge, "Resident memory size in bytes.", unit: .bytes)
    /// `process_virtual_memory_bytes`.
    public static let virtual = d("process_virtual_memory_bytes", .gauge, "Virtual memory size in bytes.", unit: .bytes)
    /// `process_open_fds`.
    public static let openFDs = d("process_open_fds", .gauge, "Number of open file descriptors.", unit: .annotation("file_descriptor"))
    /// `process_max_fds`.
    public static let maxFDs = d("process_max_fds", .gauge, "Maximum number of open file descriptors.", unit: .annotation("file_descriptor"))
    /// `process_start_time_seconds`.
    public static let startTime = d("process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.", unit: .seconds)
    /// `<ns>_process_memory_usage_ratio`.
    public static let memoryRatio = d("process_memory_usage_ratio", .gauge,
        "Resident memory as a fraction of the memory limit: the lower of metrics.process_memory_limit and the cgroup limit, or physical memory when neither is set.", unit: .ratio, namespaced: true)
    /// `<ns>_process_cpu_usage_ratio`.
    public static let cpuRatio = d("process_cpu_usage_ratio", .gauge,
        "CPU used between the last two samples as a fraction of the CPUs available: the lower of metrics.process_cpu_limit and the cgroup quota, or the online processors.", unit: .ratio, namespaced: true)

    /// The sampler's catalog entries.
    public static let metrics: [MetricDescriptor] = [cpu, resident, virtual, openFDs, maxFDs, startTime, memoryRatio, cpuRatio]

    private struct Families {
        let cpu: CounterSeries
        let resident, virtual, openFDs, maxFDs, startTime, memoryRatio, cpuRatio: GaugeSeries
    }
    private let families: Families
    private let last = Mutex<(cpu: Double, at: Duration)?>(nil)
    private let clock: TelemetryClock
    private let source: @Sendable () -> ProcessSample?

    /// Registers the process families in `registry` and samples on every snapshot.
    /// - Parameters:
    ///   - clock: where the CPU-usage ratio reads elapsed time.
    ///   - memoryLimitBytes: a declared memory budget; the memory ratio uses it, or the cgroup
    ///     limit when that is lower. Nil: the cgroup limit, else physical memory.
    ///   - cpuLimit: a declared CPU budget in cores; the CPU ratio uses it, or the cgroup quota
    ///     when that is lower. Nil: the cgroup quota, else the online processors.
    public convenience init(registry: MetricRegistry, namespace: String = "agent", clock: TelemetryClock = .continuous,
                            memoryLimitBytes: Double? = nil, cpuLimit: Double? = nil) throws(MetricRegistrationError) {
        try self.init(registry: registry, namespace: namespace, clock: clock,
                      source: { ProcessSampler.sample(memoryLimitBytes: memoryLimitBytes, cpuLimit: cpuLimit) })
    }

    /// The same, reading samples from `read` instead of `/proc` (tests).
    init(registry: MetricRegistry, namespace: String = "agent", clock: TelemetryClock,
         source: @escaping @Sendable () -> ProcessSample?) throws(MetricRegistrationError) {
        self.clock = clock
        self.source = source
        func g(_ d: MetricDescriptor) throws(MetricRegistrationError) -> GaugeSeries {
            try registry.gauge(d.name(namespace: namespace), help: d.help, unit: d.unit, otlpName: d.otlpName(namespace: namespace)).series
        }
        families = Families(
            cpu: try registry.counter(Self.cpu.name(namespace: namespace), help: Self.cpu.help, unit: .seconds,
                                      otlpName: Self.cpu.otlpName(namespace: namespace)).series,
            resident: try g(Self.resident), virtual: try g(Self.virtual), openFDs: try g(Self.openFDs),
            maxFDs: try g(Self.maxFDs), startTime: try g(Self.startTime), memoryRatio: try g(Self.memoryRatio),
            cpuRatio: try g(Self.cpuRatio))
        registry.addCollector { self.update() }
        update()
    }

    /// Reads the current values into the gauges (called on every snapshot).
    func update() {
        guard let s = source() else { return }
        let f = families
        let now = clock.now
        // Concurrent snapshots (a scrape and an OTLP export) must not both add the same CPU time:
        // the counter is advanced under the lock that records the last sample.
        let previous = last.withLock { old -> (cpu: Double, at: Duration)? in
            let delta = s.cpuSeconds - f.cpu.value
            if delta > 0 { f.cpu.increment(by: delta) }
            defer { old = (s.cpuSeconds, now) }
            return old
        }
        f.resident.set(s.residentBytes)
        f.virtual.set(s.virtualBytes)
        f.openFDs.set(s.openFDs)
        f.maxFDs.set(s.maxFDs)
        f.startTime.set(s.startTimeSeconds)
        if let limit = s.memoryLimitBytes, limit > 0 { f.memoryRatio.set(s.residentBytes / limit) }
        if let previous {
            let wall = (now - previous.at).seconds
            if wall > 0.05 { f.cpuRatio.set(max(0, s.cpuSeconds - previous.cpu) / wall / max(0.001, s.availableCPUs)) }
        }
    }

    /// Reads `/proc/self`; `nil` where `/proc` is unavailable. A declared limit replaces the
    /// detected one when it is lower (`memoryLimitBytes` in bytes, `cpuLimit` in cores).
    public static func sample(memoryLimitBytes: Double? = nil, cpuLimit declaredCPUs: Double? = nil) -> ProcessSample? {
        guard let stat = readFile("/proc/self/stat"), let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // Fields after "pid (comm) ": state is field 3; utime 14, stime 15, starttime 22, vsize 23, rss 24.
        let fields = stat[stat.index(after: close)...].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
        func field(_ n: Int) -> Double? { let i = n - 3; return i >= 0 && i < fields.count ? Double(fields[i]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        guard ticks > 0, let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24) else { return nil }
        var bootTime = 0.0
        if let procStat = readFile("/proc/stat") {
            for line in procStat.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("btime ".utf8)) {
                bootTime = Double(String(decoding: line.dropFirst(6), as: UTF8.self).trimmingSpaces) ?? 0
            }
        }
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return ProcessSample(
            cpuSeconds: (utime + stime) / ticks, residentBytes: rss * pageSize, virtualBytes: vsize,
            openFDs: Double(countEntries("/proc/self/fd")), maxFDs: Double(limit.rlim_cur),
            startTimeSeconds: bootTime + start / ticks,
            memoryLimitBytes: lower(memoryLimitBytes, cgroupMemoryLimit()) ?? physicalMemory(),
            availableCPUs: lower(declaredCPUs, cgroupCPULimit()) ?? onlineProcessors())
    }

    /// The lower of a declared and a detected limit, either of which may be absent.
    package static func lower(_ declared: Double?, _ detected: Double?) -> Double? {
        switch (declared, detected) {
        case let (d?, c?): min(d, c)
        case let (d?, nil): d
        case let (nil, c): c
        }
    }

    static func cgroupMemoryLimit() -> Double? {
        if let v2 = readFile("/sys/fs/cgroup/memory.max").map({ String(decoding: $0, as: UTF8.self).trimmingSpaces }),
           let bytes = Double(v2), bytes > 0 {
            return bytes
        }
        if let v1 = readFile("/sys/fs/cgroup/memory/memory.limit_in_bytes").map({ String(decoding: $0, as: UTF8.self).trimmingSpaces }),
           let bytes = Double(v1), bytes > 0, bytes < 1e18 {
            return bytes
        }
        return nil
    }

    static func physicalMemory() -> Double? {
        if let info = readFile("/proc/meminfo") {
            for line in info.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("MemTotal:".utf8)) {
                let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
                if parts.count >= 2, let kb = Double(parts[1]) { return kb * 1024 }
            }
        }
        return nil
    }

    static func cgroupCPULimit() -> Double? {
        if let text = readFile("/sys/fs/cgroup/cpu.max").map({ String(decoding: $0, as: UTF8.self).trimmingSpaces }) {
            let parts = text.split(separator: " ")
            if parts.count == 2, let quota = Double(parts[0]), let period = Double(parts[1]), period > 0, quota > 0 { return quota / period }
        }
        return nil
    }

    static func onlineProcessors() -> Double {
        Double(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func countEntries(_ path: String) -> Int {
        guard let dir = opendir(path) else { return 0 }
        defer { closedir(dir) }
        var n = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(2)) }
            if name[0] == UInt8(ascii: ".") && (name[1] == 0 || name[1] == UInt8(ascii: ".")) { continue }
            n += 1
        }
        return max(0, n - 1)  // the descriptor opendir itself holds
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

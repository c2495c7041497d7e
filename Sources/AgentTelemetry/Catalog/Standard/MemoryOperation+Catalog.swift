extension MemoryOperation: StandardEvent {
    /// `memory_operations_total{operation,memory_type,result}`.
    public static let operations = MetricDescriptor(
        "memory_operations_total", .counter, help: "Memory operations by operation, memory type and result.",
        unit: .annotation("operation"), labels: ["operation", "memory_type", "result"], category: .agentic,
        labelGuidance: ["operation": "bounded", "memory_type": "bounded", "result": "bounded: success, miss, failure"],
        promQL: "sum(rate({ns}_memory_operations_total{operation=\"recall\",result=\"success\"}[15m])) / sum(rate({ns}_memory_operations_total{operation=\"recall\"}[15m]))")
    /// `memory_operation_duration_seconds{operation}`.
    public static let duration = MetricDescriptor(
        "memory_operation_duration_seconds", .histogram, help: "Memory operation duration.", unit: .seconds,
        labels: ["operation"], buckets: Buckets.agentLatency, category: .agentic, labelGuidance: ["operation": "bounded"])
    /// `memory_recall_accuracy_ratio` (histogram of observed accuracies).
    public static let recallAccuracy = MetricDescriptor(
        "memory_recall_accuracy_ratio", .histogram, help: "Observed memory recall accuracy (fraction of recalled items that were relevant).",
        unit: .ratio, buckets: Buckets.ratio, category: .agentic,
        promQL: "sum(rate({ns}_memory_recall_accuracy_ratio_sum[15m])) / sum(rate({ns}_memory_recall_accuracy_ratio_count[15m]))")
    /// `memory_recall_accuracy_last_ratio` (gauge: the last observed accuracy).
    public static let lastRecallAccuracy = MetricDescriptor(
        "memory_recall_accuracy_last_ratio", .gauge, help: "The most recent observed memory recall accuracy.",
        unit: .ratio, category: .agentic)

    public static var metrics: [MetricDescriptor] { [operations, duration, recallAccuracy, lastRecallAccuracy] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let op = operation.labelValue
        m.counter(Self.operations)?.labels(op, memoryType.labelValue, result.labelValue).increment(exemplar: exemplar)
        if let duration { m.histogram(Self.duration)?.labels(op).observe(duration, exemplar: exemplar) }
        if let accuracy = recallAccuracy, accuracy.isFinite {
            let clamped = min(1, max(0, accuracy))
            m.histogram(Self.recallAccuracy)?.series.observe(clamped, exemplar: exemplar)
            m.gauge(Self.lastRecallAccuracy)?.series.set(clamped)
        }
    }
}

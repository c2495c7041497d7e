extension _StandardEventPayload {
    /// Records the event into the standard metrics, with no existential in between.
    func record(into metrics: StandardMetrics) {
        switch self {
        case .toolExecuted(let e): e.record(into: metrics)
        case .providerRequest(let e): e.record(into: metrics)
        case .chatTurn(let e): e.record(into: metrics)
        case .requestHandled(let e): e.record(into: metrics)
        case .workflowExecuted(let e): e.record(into: metrics)
        case .cacheAccess(let e): e.record(into: metrics)
        case .featureUsed(let e): e.record(into: metrics)
        case .initializationCompleted(let e): e.record(into: metrics)
        case .componentMemoryReported(let e): e.record(into: metrics)
        case .sessionStarted(let e): e.record(into: metrics)
        case .sessionEnded(let e): e.record(into: metrics)
        case .planningStep(let e): e.record(into: metrics)
        case .memoryOperation(let e): e.record(into: metrics)
        case .skillDiscovered(let e): e.record(into: metrics)
        case .selfImprovementLoop(let e): e.record(into: metrics)
        case .codeAnalysisCompleted(let e): e.record(into: metrics)
        case .testsGenerated(let e): e.record(into: metrics)
        case .codingQueueChanged(let e): e.record(into: metrics)
        case .documentsIngested(let e): e.record(into: metrics)
        case .retrievalPerformed(let e): e.record(into: metrics)
        case .indexSizeReported(let e): e.record(into: metrics)
        case .deploymentCompleted(let e): e.record(into: metrics)
        case .containersManaged(let e): e.record(into: metrics)
        case .pipelineRunCompleted(let e): e.record(into: metrics)
        case .dataQueryExecuted(let e): e.record(into: metrics)
        case .visualizationCreated(let e): e.record(into: metrics)
        case .researchSearchPerformed(let e): e.record(into: metrics)
        case .synthesisCompleted(let e): e.record(into: metrics)
        case .authorizationCheck(let e): e.record(into: metrics)
        case .securityTestCompleted(let e): e.record(into: metrics)
        case .vulnerabilityFound(let e): e.record(into: metrics)
        case .securityScanCompleted(let e): e.record(into: metrics)
        }
    }
}

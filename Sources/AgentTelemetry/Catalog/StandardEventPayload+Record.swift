extension _StandardEventPayload {
    /// Records the event into the standard metrics, with no existential in between.
    /// Each event's exemplar is its own `trace`, which `emit` filled in.
    func record(into metrics: StandardMetrics) {
        switch self {
        case .toolExecuted(let e): e.record(into: metrics, exemplar: e.trace)
        case .agentInvoked(let e): e.record(into: metrics, exemplar: e.trace)
        case .providerRequest(let e): e.record(into: metrics, exemplar: e.trace)
        case .chatTurn(let e): e.record(into: metrics, exemplar: e.trace)
        case .requestHandled(let e): e.record(into: metrics, exemplar: e.trace)
        case .workflowExecuted(let e): e.record(into: metrics, exemplar: e.trace)
        case .cacheAccess(let e): e.record(into: metrics, exemplar: e.trace)
        case .featureUsed(let e): e.record(into: metrics, exemplar: e.trace)
        case .initializationCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        case .componentMemoryReported(let e): e.record(into: metrics, exemplar: e.trace)
        case .sessionStarted(let e): e.record(into: metrics, exemplar: e.trace)
        case .sessionEnded(let e): e.record(into: metrics, exemplar: e.trace)
        case .planningStep(let e): e.record(into: metrics, exemplar: e.trace)
        case .memoryOperation(let e): e.record(into: metrics, exemplar: e.trace)
        case .skillDiscovered(let e): e.record(into: metrics, exemplar: e.trace)
        case .selfImprovementLoop(let e): e.record(into: metrics, exemplar: e.trace)
        case .codeAnalysisCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        case .testsGenerated(let e): e.record(into: metrics, exemplar: e.trace)
        case .codingQueueChanged(let e): e.record(into: metrics, exemplar: e.trace)
        case .documentsIngested(let e): e.record(into: metrics, exemplar: e.trace)
        case .retrievalPerformed(let e): e.record(into: metrics, exemplar: e.trace)
        case .indexSizeReported(let e): e.record(into: metrics, exemplar: e.trace)
        case .deploymentCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        case .containersManaged(let e): e.record(into: metrics, exemplar: e.trace)
        case .pipelineRunCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        case .dataQueryExecuted(let e): e.record(into: metrics, exemplar: e.trace)
        case .visualizationCreated(let e): e.record(into: metrics, exemplar: e.trace)
        case .researchSearchPerformed(let e): e.record(into: metrics, exemplar: e.trace)
        case .synthesisCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        case .authorizationCheck(let e): e.record(into: metrics, exemplar: e.trace)
        case .securityTestCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        case .vulnerabilityFound(let e): e.record(into: metrics, exemplar: e.trace)
        case .securityScanCompleted(let e): e.record(into: metrics, exemplar: e.trace)
        }
    }
}

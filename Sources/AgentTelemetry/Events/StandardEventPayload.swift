/// A standard event held by value, so that the bus carries it without an existential box (a
/// standard event is larger than the 24 bytes an `any TelemetryEvent` holds inline, so boxing
/// it costs one allocation per event). Not for other code: events reach the bus through
/// `TelemetryEvent._busPayload(trace:)`; custom events keep the existential (see `docs/PERFORMANCE.md`).
///
/// Adding a standard event adds its case here, in `event` and `eventType`, in
/// `_StandardEventPayload.record(into:)` and one `_busPayload(trace:)` below.
public enum _StandardEventPayload: Sendable {
    /// A `ToolExecuted`.
    case toolExecuted(ToolExecuted)
    /// An `AgentInvoked`.
    case agentInvoked(AgentInvoked)
    /// A `ProviderRequest`.
    case providerRequest(ProviderRequest)
    /// A `ChatTurn`.
    case chatTurn(ChatTurn)
    /// A `RequestHandled`.
    case requestHandled(RequestHandled)
    /// A `WorkflowExecuted`.
    case workflowExecuted(WorkflowExecuted)
    /// A `CacheAccess`.
    case cacheAccess(CacheAccess)
    /// A `FeatureUsed`.
    case featureUsed(FeatureUsed)
    /// A `InitializationCompleted`.
    case initializationCompleted(InitializationCompleted)
    /// A `ComponentMemoryReported`.
    case componentMemoryReported(ComponentMemoryReported)
    /// A `SessionStarted`.
    case sessionStarted(SessionStarted)
    /// A `SessionEnded`.
    case sessionEnded(SessionEnded)
    /// A `PlanningStep`.
    case planningStep(PlanningStep)
    /// A `MemoryOperation`.
    case memoryOperation(MemoryOperation)
    /// A `SkillDiscovered`.
    case skillDiscovered(SkillDiscovered)
    /// A `SelfImprovementLoop`.
    case selfImprovementLoop(SelfImprovementLoop)
    /// A `CodeAnalysisCompleted`.
    case codeAnalysisCompleted(CodeAnalysisCompleted)
    /// A `TestsGenerated`.
    case testsGenerated(TestsGenerated)
    /// A `CodingQueueChanged`.
    case codingQueueChanged(CodingQueueChanged)
    /// A `DocumentsIngested`.
    case documentsIngested(DocumentsIngested)
    /// A `RetrievalPerformed`.
    case retrievalPerformed(RetrievalPerformed)
    /// A `IndexSizeReported`.
    case indexSizeReported(IndexSizeReported)
    /// A `DeploymentCompleted`.
    case deploymentCompleted(DeploymentCompleted)
    /// A `ContainersManaged`.
    case containersManaged(ContainersManaged)
    /// A `PipelineRunCompleted`.
    case pipelineRunCompleted(PipelineRunCompleted)
    /// A `DataQueryExecuted`.
    case dataQueryExecuted(DataQueryExecuted)
    /// A `VisualizationCreated`.
    case visualizationCreated(VisualizationCreated)
    /// A `ResearchSearchPerformed`.
    case researchSearchPerformed(ResearchSearchPerformed)
    /// A `SynthesisCompleted`.
    case synthesisCompleted(SynthesisCompleted)
    /// A `AuthorizationCheck`.
    case authorizationCheck(AuthorizationCheck)
    /// A `SecurityTestCompleted`.
    case securityTestCompleted(SecurityTestCompleted)
    /// A `VulnerabilityFound`.
    case vulnerabilityFound(VulnerabilityFound)
    /// A `SecurityScanCompleted`.
    case securityScanCompleted(SecurityScanCompleted)

    /// The event as an existential (one allocation: for subscribers other than the standard one).
    public var event: any TelemetryEvent {
        switch self {
        case .toolExecuted(let e): e
        case .agentInvoked(let e): e
        case .providerRequest(let e): e
        case .chatTurn(let e): e
        case .requestHandled(let e): e
        case .workflowExecuted(let e): e
        case .cacheAccess(let e): e
        case .featureUsed(let e): e
        case .initializationCompleted(let e): e
        case .componentMemoryReported(let e): e
        case .sessionStarted(let e): e
        case .sessionEnded(let e): e
        case .planningStep(let e): e
        case .memoryOperation(let e): e
        case .skillDiscovered(let e): e
        case .selfImprovementLoop(let e): e
        case .codeAnalysisCompleted(let e): e
        case .testsGenerated(let e): e
        case .codingQueueChanged(let e): e
        case .documentsIngested(let e): e
        case .retrievalPerformed(let e): e
        case .indexSizeReported(let e): e
        case .deploymentCompleted(let e): e
        case .containersManaged(let e): e
        case .pipelineRunCompleted(let e): e
        case .dataQueryExecuted(let e): e
        case .visualizationCreated(let e): e
        case .researchSearchPerformed(let e): e
        case .synthesisCompleted(let e): e
        case .authorizationCheck(let e): e
        case .securityTestCompleted(let e): e
        case .vulnerabilityFound(let e): e
        case .securityScanCompleted(let e): e
        }
    }

    /// The event's type.
    public var eventType: any TelemetryEvent.Type {
        switch self {
        case .toolExecuted: ToolExecuted.self
        case .agentInvoked: AgentInvoked.self
        case .providerRequest: ProviderRequest.self
        case .chatTurn: ChatTurn.self
        case .requestHandled: RequestHandled.self
        case .workflowExecuted: WorkflowExecuted.self
        case .cacheAccess: CacheAccess.self
        case .featureUsed: FeatureUsed.self
        case .initializationCompleted: InitializationCompleted.self
        case .componentMemoryReported: ComponentMemoryReported.self
        case .sessionStarted: SessionStarted.self
        case .sessionEnded: SessionEnded.self
        case .planningStep: PlanningStep.self
        case .memoryOperation: MemoryOperation.self
        case .skillDiscovered: SkillDiscovered.self
        case .selfImprovementLoop: SelfImprovementLoop.self
        case .codeAnalysisCompleted: CodeAnalysisCompleted.self
        case .testsGenerated: TestsGenerated.self
        case .codingQueueChanged: CodingQueueChanged.self
        case .documentsIngested: DocumentsIngested.self
        case .retrievalPerformed: RetrievalPerformed.self
        case .indexSizeReported: IndexSizeReported.self
        case .deploymentCompleted: DeploymentCompleted.self
        case .containersManaged: ContainersManaged.self
        case .pipelineRunCompleted: PipelineRunCompleted.self
        case .dataQueryExecuted: DataQueryExecuted.self
        case .visualizationCreated: VisualizationCreated.self
        case .researchSearchPerformed: ResearchSearchPerformed.self
        case .synthesisCompleted: SynthesisCompleted.self
        case .authorizationCheck: AuthorizationCheck.self
        case .securityTestCompleted: SecurityTestCompleted.self
        case .vulnerabilityFound: VulnerabilityFound.self
        case .securityScanCompleted: SecurityScanCompleted.self
        }
    }
}

extension AgentInvoked {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .agentInvoked(e)
    }
}

extension ToolExecuted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .toolExecuted(e)
    }
}

extension ProviderRequest {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .providerRequest(e)
    }
}

extension ChatTurn {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .chatTurn(e)
    }
}

extension RequestHandled {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .requestHandled(e)
    }
}

extension WorkflowExecuted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .workflowExecuted(e)
    }
}

extension CacheAccess {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .cacheAccess(e)
    }
}

extension FeatureUsed {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .featureUsed(e)
    }
}

extension InitializationCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .initializationCompleted(e)
    }
}

extension ComponentMemoryReported {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .componentMemoryReported(e)
    }
}

extension SessionStarted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .sessionStarted(e)
    }
}

extension SessionEnded {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .sessionEnded(e)
    }
}

extension PlanningStep {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .planningStep(e)
    }
}

extension MemoryOperation {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .memoryOperation(e)
    }
}

extension SkillDiscovered {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .skillDiscovered(e)
    }
}

extension SelfImprovementLoop {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .selfImprovementLoop(e)
    }
}

extension CodeAnalysisCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .codeAnalysisCompleted(e)
    }
}

extension TestsGenerated {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .testsGenerated(e)
    }
}

extension CodingQueueChanged {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .codingQueueChanged(e)
    }
}

extension DocumentsIngested {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .documentsIngested(e)
    }
}

extension RetrievalPerformed {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .retrievalPerformed(e)
    }
}

extension IndexSizeReported {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .indexSizeReported(e)
    }
}

extension DeploymentCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .deploymentCompleted(e)
    }
}

extension ContainersManaged {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .containersManaged(e)
    }
}

extension PipelineRunCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .pipelineRunCompleted(e)
    }
}

extension DataQueryExecuted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .dataQueryExecuted(e)
    }
}

extension VisualizationCreated {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .visualizationCreated(e)
    }
}

extension ResearchSearchPerformed {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .researchSearchPerformed(e)
    }
}

extension SynthesisCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .synthesisCompleted(e)
    }
}

extension AuthorizationCheck {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .authorizationCheck(e)
    }
}

extension SecurityTestCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .securityTestCompleted(e)
    }
}

extension VulnerabilityFound {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .vulnerabilityFound(e)
    }
}

extension SecurityScanCompleted {
    /// Carried by value through the bus.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? {
        var e = self
        if let trace { e.trace = trace }
        return .securityScanCompleted(e)
    }
}

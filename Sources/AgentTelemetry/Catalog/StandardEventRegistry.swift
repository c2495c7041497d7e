/// The one list of standard events: adding a standard event adds its line to each part of this
/// file (see "Adding a standard event" in docs/ARCHITECTURE.md). Everything else the event needs
/// lives in its own two files, `Events/<Event>.swift` (the data) and
/// `Catalog/Standard/<Event>+Catalog.swift` (its metrics and `record(into:exemplar:)`).

extension MetricCatalog {
    /// Every standard event type, in catalog order; each contributes its descriptors.
    public static let standardEventTypes: [any StandardEvent.Type] = [
        // Performance, functional, LLM usage, business
        ToolExecuted.self, ProviderRequest.self, ChatTurn.self, RequestHandled.self, WorkflowExecuted.self,
        CacheAccess.self, FeatureUsed.self, InitializationCompleted.self, ComponentMemoryReported.self,
        SessionStarted.self, SessionEnded.self, BudgetExceeded.self, MCPOperation.self, MCPSessionStarted.self, MCPSessionEnded.self,
        // Agentic
        AgentInvoked.self, PlanningStep.self, MemoryOperation.self, SkillDiscovered.self, SelfImprovementLoop.self,
        // Verticals
        CodeAnalysisCompleted.self, TestsGenerated.self, CodingQueueChanged.self,
        DocumentsIngested.self, RetrievalPerformed.self, IndexSizeReported.self,
        DeploymentCompleted.self, ContainersManaged.self, PipelineRunCompleted.self,
        DataQueryExecuted.self, VisualizationCreated.self,
        ResearchSearchPerformed.self, SynthesisCompleted.self,
        // Security
        AuthorizationCheck.self, SecurityTestCompleted.self, VulnerabilityFound.self, SecurityScanCompleted.self,
    ]
}

/// A standard event held by value, so that the bus carries it without an existential box (a
/// standard event is larger than the 24 bytes an `any TelemetryEvent` holds inline, so boxing it
/// costs one allocation per event). Package machinery: events reach it through their
/// ``StandardEvent/busCase``, which only this package can make.
package enum StandardEventPayload: Sendable {
    case toolExecuted(ToolExecuted)
    /// Boxed: at 304 bytes a `ProviderRequest` would set the size of every bus slot (the next
    /// largest event is about half that), and every event would move that much on each hand-off.
    /// One allocation per provider request is small beside a request's own cost.
    indirect case providerRequest(ProviderRequest)
    case chatTurn(ChatTurn)
    case requestHandled(RequestHandled)
    case workflowExecuted(WorkflowExecuted)
    case cacheAccess(CacheAccess)
    case featureUsed(FeatureUsed)
    case initializationCompleted(InitializationCompleted)
    case componentMemoryReported(ComponentMemoryReported)
    case sessionStarted(SessionStarted)
    case sessionEnded(SessionEnded)
    case budgetExceeded(BudgetExceeded)
    case mcpOperation(MCPOperation)
    case mcpSessionStarted(MCPSessionStarted)
    case mcpSessionEnded(MCPSessionEnded)
    case agentInvoked(AgentInvoked)
    case planningStep(PlanningStep)
    case memoryOperation(MemoryOperation)
    case skillDiscovered(SkillDiscovered)
    case selfImprovementLoop(SelfImprovementLoop)
    case codeAnalysisCompleted(CodeAnalysisCompleted)
    case testsGenerated(TestsGenerated)
    case codingQueueChanged(CodingQueueChanged)
    case documentsIngested(DocumentsIngested)
    case retrievalPerformed(RetrievalPerformed)
    case indexSizeReported(IndexSizeReported)
    case deploymentCompleted(DeploymentCompleted)
    case containersManaged(ContainersManaged)
    case pipelineRunCompleted(PipelineRunCompleted)
    case dataQueryExecuted(DataQueryExecuted)
    case visualizationCreated(VisualizationCreated)
    case researchSearchPerformed(ResearchSearchPerformed)
    case synthesisCompleted(SynthesisCompleted)
    case authorizationCheck(AuthorizationCheck)
    case securityTestCompleted(SecurityTestCompleted)
    case vulnerabilityFound(VulnerabilityFound)
    case securityScanCompleted(SecurityScanCompleted)

    /// The event as an existential (one allocation: for subscribers other than the standard one).
    package var event: any TelemetryEvent {
        switch self {
        case .toolExecuted(let e): e
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
        case .budgetExceeded(let e): e
        case .mcpOperation(let e): e
        case .mcpSessionStarted(let e): e
        case .mcpSessionEnded(let e): e
        case .agentInvoked(let e): e
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
    package var eventType: any TelemetryEvent.Type {
        switch self {
        case .toolExecuted: ToolExecuted.self
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
        case .budgetExceeded: BudgetExceeded.self
        case .mcpOperation: MCPOperation.self
        case .mcpSessionStarted: MCPSessionStarted.self
        case .mcpSessionEnded: MCPSessionEnded.self
        case .agentInvoked: AgentInvoked.self
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

    /// Records the event into the standard metrics, with no existential in between. Each
    /// event's exemplar is its own `trace`, which `emit` filled in.
    func record(into metrics: StandardMetrics) {
        switch self {
        case .toolExecuted(let e): e.record(into: metrics, exemplar: e.trace)
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
        case .budgetExceeded(let e): e.record(into: metrics, exemplar: e.trace)
        case .mcpOperation(let e): e.record(into: metrics, exemplar: e.trace)
        case .mcpSessionStarted(let e): e.record(into: metrics, exemplar: e.trace)
        case .mcpSessionEnded(let e): e.record(into: metrics, exemplar: e.trace)
        case .agentInvoked(let e): e.record(into: metrics, exemplar: e.trace)
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

extension ToolExecuted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.toolExecuted) } }
extension ProviderRequest { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.providerRequest) } }
extension ChatTurn { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.chatTurn) } }
extension RequestHandled { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.requestHandled) } }
extension WorkflowExecuted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.workflowExecuted) } }
extension CacheAccess { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.cacheAccess) } }
extension FeatureUsed { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.featureUsed) } }
extension InitializationCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.initializationCompleted) } }
extension ComponentMemoryReported { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.componentMemoryReported) } }
extension SessionStarted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.sessionStarted) } }
extension SessionEnded { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.sessionEnded) } }
extension BudgetExceeded { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.budgetExceeded) } }
extension MCPOperation { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.mcpOperation) } }
extension MCPSessionStarted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.mcpSessionStarted) } }
extension MCPSessionEnded { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.mcpSessionEnded) } }
extension AgentInvoked { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.agentInvoked) } }
extension PlanningStep { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.planningStep) } }
extension MemoryOperation { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.memoryOperation) } }
extension SkillDiscovered { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.skillDiscovered) } }
extension SelfImprovementLoop { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.selfImprovementLoop) } }
extension CodeAnalysisCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.codeAnalysisCompleted) } }
extension TestsGenerated { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.testsGenerated) } }
extension CodingQueueChanged { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.codingQueueChanged) } }
extension DocumentsIngested { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.documentsIngested) } }
extension RetrievalPerformed { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.retrievalPerformed) } }
extension IndexSizeReported { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.indexSizeReported) } }
extension DeploymentCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.deploymentCompleted) } }
extension ContainersManaged { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.containersManaged) } }
extension PipelineRunCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.pipelineRunCompleted) } }
extension DataQueryExecuted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.dataQueryExecuted) } }
extension VisualizationCreated { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.visualizationCreated) } }
extension ResearchSearchPerformed { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.researchSearchPerformed) } }
extension SynthesisCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.synthesisCompleted) } }
extension AuthorizationCheck { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.authorizationCheck) } }
extension SecurityTestCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.securityTestCompleted) } }
extension VulnerabilityFound { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.vulnerabilityFound) } }
extension SecurityScanCompleted { public static var busCase: StandardEventCase<Self> { .init(StandardEventPayload.securityScanCompleted) } }
